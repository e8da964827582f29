// Offline synth: `npm run synth -- <stack> [--out <file.json>]`.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { synthJson, synthStack } from "./synth-stack";
import { renderTree } from "./tree";

async function main(argv: string[]): Promise<number> {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const stack = argv.find(
    (a, i) => (!a.startsWith("--") && i !== outIndex + 1) || (outIndex < 0 && !a.startsWith("--")),
  );
  if (!stack || (outIndex >= 0 && !out)) {
    console.error("usage: npm run synth -- <stack> [--out <file.json>]");
    return 2;
  }
  const result = await synthStack(stack);
  console.log(`stack ${stack}\n`);
  console.log(renderTree(result.resources));
  if (out) {
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, synthJson(result));
    console.log(`\nwrote ${out}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
