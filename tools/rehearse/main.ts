// Deploy rehearsal, `npm run rehearse -- <stack> [--base <synth.json>] [--destroy]`: applies what
// Pulumi, AWS and Kubernetes enforce (rules/) to the offline synth; prints the create (or delete)
// order and blockers, exit 1 on any.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CliSpec, inputFile, parseArgs as parseCli, stackFile } from "../run/args";
import { runCli } from "../run/fast-load";

const SPEC: CliSpec = {
  usage: "usage: npm run rehearse -- <stack> [--base <synth.json>] [--destroy] [--no-order]",
  values: ["--base"],
  switches: ["--destroy", "--no-order"],
  positionals: [1, 1],
};

/** The arguments, or a usage error. */
export function parseArgs(argv: string[]) {
  const args = parseCli(argv, SPEC);
  return {
    stack: args.positionals[0],
    base: args.value("--base"),
    destroy: args.has("--destroy"),
    order: !args.has("--no-order"),
  };
}

/** The base synth file, or how to make one: a synth of the same stack on the base commit. */
const baseFile = (file: string, stack: string) =>
  inputFile(
    file,
    "the synth to rehearse the update from",
    `make it on the base commit (such as \`git worktree add ../base main\`) with \`npm run synth -- ${stack} --out ${path.resolve(file)}\`, or leave --base out to rehearse a first deploy`,
  );

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  /* eslint-disable @typescript-eslint/no-require-imports -- after enableFastLoad, as in synth.ts */
  const { rehearseStack } = require("./stack") as typeof import("./stack");
  const { formatReport } =
    require("../../policy/rehearse/rehearse") as typeof import("../../policy/rehearse/rehearse");
  const { volumeFates } =
    require("../../policy/rehearse/rules/destroy") as typeof import("../../policy/rehearse/rules/destroy");
  const { ROOT } = require("../../synth/stack-files") as typeof import("../../synth/stack-files");
  /* eslint-enable @typescript-eslint/no-require-imports */
  stackFile(ROOT, args.stack);
  const base = args.base
    ? (JSON.parse(readFileSync(baseFile(args.base, args.stack), "utf8")) as {
        resources: unknown[];
      })
    : undefined;
  const report = await rehearseStack(args.stack, { base: base?.resources, destroy: args.destroy });
  console.log(formatReport(report, { order: args.order }));
  if (args.destroy) {
    console.log(
      ["", "volumes:", ...volumeFates(report.input.head).map((l) => `  ${l}`)].join("\n"),
    );
  }
  return report.findings.length > 0 ? 1 : 0;
}

if (require.main === module) runCli(main);
