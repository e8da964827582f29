// `npm run docs:addons`: rewrites the README's add-on table from the registry, aligned as
// prettier aligns it (so `prettier --check` stays clean), and says whether anything changed.
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { ROOT } from "../../synth/stack-files";
import { addonTable, withAddonTable } from "./addon-table";

async function main() {
  const file = path.join(ROOT, "README.md");
  const before = fs.readFileSync(file, "utf8");
  const options = (await prettier.resolveConfig(file)) ?? {};
  const after = await prettier.format(withAddonTable(before, addonTable()), {
    ...options,
    filepath: file,
  });
  if (after === before) {
    console.log("README.md: the add-on table is up to date");
    return;
  }
  fs.writeFileSync(file, after);
  console.log("README.md: add-on table rewritten from components/addons/registry.ts");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
