// Offline synth: `npm run synth -- <stack> [--out <file.json>]`; runCli enables fast loading first.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CliSpec, parseArgs, stackFile } from "../run/args";
import { runCli } from "../run/fast-load";

const SPEC: CliSpec = {
  usage: "usage: npm run synth -- <stack> [--out <file.json>]",
  values: ["--out"],
  positionals: [1, 1],
};

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC);
  const [stack] = args.positionals;
  const out = args.value("--out");
  // Only now, after enableFastLoad, and synchronously: Node's stat cache (on while the entry
  // module's top level runs) then serves every nested require.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { synthJson, synthStack } =
    require("../../synth/synth-stack") as typeof import("../../synth/synth-stack");
  const { renderTree } = require("./tree") as typeof import("./tree");
  const { evaluatePolicies, formatViolations, isProductionStack } =
    require("../../policy/rules") as typeof import("../../policy/rules");
  const { errorCount } = require("../../policy/findings") as typeof import("../../policy/findings");
  const { ROOT } = require("../../synth/stack-files") as typeof import("../../synth/stack-files");
  /* eslint-enable @typescript-eslint/no-require-imports */
  stackFile(ROOT, stack);
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
