// Offline synth: `npm run synth -- <stack> [--out <file.json>]`; runCli enables fast loading first.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runCli } from "../run/fast-load";

async function main(argv: string[]): Promise<number> {
  // Only now, after enableFastLoad, and synchronously: Node's stat cache (on while the entry
  // module's top level runs) then serves every nested require.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { synthJson, synthStack } =
    require("../../synth/synth-stack") as typeof import("../../synth/synth-stack");
  const { renderTree } = require("./tree") as typeof import("./tree");
  const { evaluatePolicies, formatViolations, isProductionStack } =
    require("../../policy/rules") as typeof import("../../policy/rules");
  const { errorCount } = require("../../policy/findings") as typeof import("../../policy/findings");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const stack = argv.find((a, i) => !a.startsWith("--") && (outIndex < 0 || i !== outIndex + 1));
  if (!stack || (outIndex >= 0 && !out)) {
    console.error("usage: npm run synth -- <stack> [--out <file.json>]");
    return 2;
  }
  const result = await synthStack(stack);
  console.log(`stack ${stack}\n`);
  console.log(renderTree(result.resources));
  const violations = evaluatePolicies(result, { stack, production: isProductionStack(stack) });
  console.log(`\npolicy checks (policy/rules.ts):\n${formatViolations(violations)}`);
  if (errorCount(violations) > 0) {
    console.error(`\n${stack}: mandatory policy violations; nothing written`);
    return 1;
  }
  if (out) {
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, synthJson(result));
    console.log(`\nwrote ${out}`);
  }
  return 0;
}

if (require.main === module) runCli(main);
