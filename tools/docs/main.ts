// `npm run docs:addons`: rewrites the README's add-on table from the registry, prettier-aligned.
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { ROOT } from "../../synth/stack-files";
import { parseArgs } from "../run/args";
import { runCli } from "../run/fast-load";
import { addonTable, withAddonTable } from "./addon-table";

async function main(argv: string[]): Promise<number> {
  parseArgs(argv, { usage: "usage: npm run docs:addons" });
  const file = path.join(ROOT, "README.md");
  const before = fs.readFileSync(file, "utf8");
  const options = { ...(await prettier.resolveConfig(file)), filepath: file };
  const after = await prettier.format(withAddonTable(before, addonTable()), options);
  if (after !== before) fs.writeFileSync(file, after);
  console.log(
    after === before
      ? "README.md: the add-on table is up to date"
      : "README.md: add-on table rewritten from components/addons/registry.ts",
  );
  return 0;
}

runCli(main);
