// `npm run cost -- <stack> [--synth <file.json>] [--region <region>] [--replacing <old stack>]
// [--on <YYYY-MM-DD>]`: the stack's monthly cost by line item, priced in its region (`aws:region`
// of Pulumi.<stack>.yaml; `--region` asks what it would cost in another) from
// policy/cost/aws-prices.json, as Markdown. It synthesizes the stack first, or reads a synth file
// `npm run synth -- <stack> --out` wrote. `--replacing` adds the cost of each migration phase from
// the old stack to this one. `--on` (default today, UTC) is the day whose EKS support window applies.
import { estimate } from "../../policy/cost/estimate";
import { renderEstimate } from "../../policy/cost/markdown";
import { renderPhases } from "../../policy/cost/phases";
import { PRICES } from "../../policy/cost/prices";
import { readStackConfig, ROOT } from "../../synth/stack-files";
import { readSynthFile, type SynthFile } from "../diff/main";
import { CliSpec, parseArgs, stackFile, UsageError } from "../run/args";
import { runCli } from "../run/fast-load";

const SPEC: CliSpec = {
  usage:
    "usage: npm run cost -- <stack> [--synth <file.json>] [--region <region>] [--replacing <old stack>] [--on <YYYY-MM-DD>]",
  values: ["--synth", "--region", "--replacing", "--on"],
  positionals: [1, 1],
};

/** Today in UTC, `YYYY-MM-DD`: the day an estimate is for unless told. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** A stack's region, as its config sets it for the AWS provider. */
export function stackRegion(config: Record<string, string>, stack: string): string {
  const region = config["aws:region"];
  if (!region)
    throw new UsageError(
      `aws:region: not set in Pulumi.${stack}.yaml, so the stack has no region to price in; set it (pulumi config set aws:region us-west-2 -s ${stack})`,
    );
  return region;
}

/** A synth file of `stack` (tools/diff's reader), or what is wrong with it. */
export function readSynth(file: string, stack: string): SynthFile {
  const synth = readSynthFile(file);
  if (synth.stack !== stack)
    throw new UsageError(`${file}: the synth of stack ${synth.stack}, not ${stack}`);
  return synth;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, SPEC);
  const [stack] = args.positionals;
  // The synth (Pulumi and the providers) loads only for a stack priced from its config.
  const synthStack = async (name: string) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- after enableFastLoad
    (require("../../synth/synth-stack") as typeof import("../../synth/synth-stack")).synthStack(
      name,
    );
  stackFile(ROOT, stack);
  const asked = args.value("--region");
  if (asked !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(asked))
    throw new UsageError(
      `--region: not an AWS region (got ${JSON.stringify(asked)}); use one such as us-east-1\n${SPEC.usage}`,
    );
  const asOf = args.value("--on") ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new UsageError(
      `--on: not a date (got ${JSON.stringify(asOf)}); use YYYY-MM-DD, such as 2026-12-01\n${SPEC.usage}`,
    );
  const regionOf = (s: string) => asked ?? stackRegion(readStackConfig(s).config, s);
  const region = regionOf(stack);
  const file = args.value("--synth");
  const synth = file ? readSynth(file, stack) : await synthStack(stack);
  const next = estimate(synth, region, PRICES, asOf);
  process.stdout.write(renderEstimate(next));
  const old = args.value("--replacing");
  if (old) {
    stackFile(ROOT, old);
    const before = estimate(await synthStack(old), regionOf(old), PRICES, asOf);
    process.stdout.write(`\nMigration phases, ${old} → ${stack}:\n\n${renderPhases(before, next)}`);
  }
  return 0;
}

if (require.main === module) runCli(main);
