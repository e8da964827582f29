// Deploy rehearsal, `npm run rehearse -- <stack> [--base <synth.json> | --base-state <export.json>]
// [--destroy]`: applies what Pulumi, AWS and Kubernetes enforce (rules/) to the offline synth, as an
// update from a base synth or from the deployed state (`pulumi stack export`); prints the create (or
// delete) order and blockers, exit 1 on any.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CliSpec, inputFile, parseArgs as parseCli, stackFile, UsageError } from "../run/args";
import { runCli } from "../run/fast-load";

const SPEC: CliSpec = {
  // Two lines: --base and --base-state are two kinds of base, never both.
  usage: [
    "usage: npm run rehearse -- <stack> [--base <synth.json>] [--destroy] [--no-order]",
    "       npm run rehearse -- <stack> --base-state <export.json> [--destroy] [--no-order]",
  ].join("\n"),
  values: ["--base", "--base-state"],
  switches: ["--destroy", "--no-order"],
  positionals: [1, 1],
};

/** The arguments, or a usage error. */
export function parseArgs(argv: string[]) {
  const args = parseCli(argv, SPEC);
  if (args.value("--base") && args.value("--base-state")) {
    throw new UsageError(
      `--base and --base-state are both bases of the update: give the synth of the base commit or the deployed state, not both\n${SPEC.usage}`,
    );
  }
  return {
    stack: args.positionals[0],
    base: args.value("--base"),
    baseState: args.value("--base-state"),
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

/** The deployed state's export, or how to make one. */
const stateFile = (file: string, stack: string) =>
  inputFile(
    file,
    "the deployed state to rehearse the update from",
    `make it with \`pulumi stack export --stack ${stack} --file ${path.resolve(file)}\`, or leave --base-state out to rehearse a first deploy`,
  );

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  /* eslint-disable @typescript-eslint/no-require-imports -- after enableFastLoad, as in synth.ts */
  const { rehearseStack } = require("./stack") as typeof import("./stack");
  const { formatReport } =
    require("../../policy/rehearse/rehearse") as typeof import("../../policy/rehearse/rehearse");
  const { errorCount } = require("../../policy/findings") as typeof import("../../policy/findings");
  const { volumeFates } =
    require("../../policy/rehearse/rules/destroy") as typeof import("../../policy/rehearse/rules/destroy");
  const { ROOT } = require("../../synth/stack-files") as typeof import("../../synth/stack-files");
  const { readDeployedState } =
    require("../../policy/rehearse/checkpoint") as typeof import("../../policy/rehearse/checkpoint");
  /* eslint-enable @typescript-eslint/no-require-imports */
  stackFile(ROOT, args.stack);
  const base = args.base
    ? (JSON.parse(readFileSync(baseFile(args.base, args.stack), "utf8")) as {
        resources: unknown[];
      })
    : undefined;
  const deployed = args.baseState
    ? readDeployedState(
        readFileSync(stateFile(args.baseState, args.stack), "utf8"),
        args.baseState,
        args.stack,
      )
    : undefined;
  const report = await rehearseStack(args.stack, {
    base: base?.resources ?? deployed?.records,
    baseRendered: deployed?.rendered,
    destroy: args.destroy,
  });
  console.log(formatReport(report, { order: args.order }));
  if (args.destroy) {
    console.log(
      ["", "volumes:", ...volumeFates(report.input.head).map((l) => `  ${l}`)].join("\n"),
    );
  }
  return errorCount(report.findings) > 0 ? 1 : 0;
}

if (require.main === module) runCli(main);
