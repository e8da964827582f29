// `node dist/tools/workflows/deploy-order.js --base <dir> <stack>...` (deploy.yml passes every
// stack, `npm run -s stacks`): the order deploy.yml updates them in, from their `migration:*`
// config here and on the parent commit (`<dir>` holds its Pulumi*.yaml). Rising weights go first,
// so weighted sets gain traffic before losing any; else the stack serving least goes first (a new
// cluster before the one in service), then the given order. Prints `order=["prod2","prod"]` for
// $GITHUB_OUTPUT; exits 1 if a state on the way has all weights 0: an even split to Route 53
// (policy/coexist/weight-path.ts).
import { existsSync } from "node:fs";
import * as path from "node:path";
import { PROJECT } from "../../stacks/config-schema";
import { parseMigrationConfig } from "../../stacks/migration-config";
import {
  deployOrder,
  ownedWeights,
  Weights,
  weightStates,
  zeroStates,
} from "../../policy/coexist/weight-path";
import { stackFile } from "../../stacks/stack-names";
import { readStackConfig, ROOT } from "../../synth/stack-files";
import { CliSpec, parseArgs, runMain, UsageError } from "../run/args";

/** A stack's weights as its config file in `dir` sets them; none when the file does not exist. */
export function weightsIn(stack: string, dir: string): Weights {
  if (!existsSync(path.join(dir, stackFile(stack)))) return {};
  const { config } = readStackConfig(stack, dir);
  const clusterName = config[`${PROJECT}:clusterName`] ?? `${PROJECT}-${stack}`;
  return ownedWeights(clusterName, parseMigrationConfig(config));
}

/** The update order of `stacks` from `baseDir`'s config to `headDir`'s, and any all-zero state. */
export function deployPlan(stacks: string[], baseDir: string, headDir: string = ROOT) {
  const before = Object.fromEntries(stacks.map((s) => [s, weightsIn(s, baseDir)]));
  const after = Object.fromEntries(stacks.map((s) => [s, weightsIn(s, headDir)]));
  // Stable: equal traffic keeps the given order.
  const serving = (s: string) => Object.values(before[s]).reduce((sum, w) => sum + w, 0);
  const order = deployOrder(
    [...stacks].sort((a, b) => serving(a) - serving(b)),
    before,
    after,
  );
  return { order, zero: zeroStates(weightStates(order, before, after)) };
}

const SPEC: CliSpec = {
  usage:
    "usage: node dist/tools/workflows/deploy-order.js --base <parent dir> [--head <dir>] <stack>...",
  values: ["--base", "--head"],
  positionals: [1, Infinity],
};

export function main(argv: string[]): number {
  const args = parseArgs(argv, SPEC);
  const baseDir = args.value("--base");
  if (!baseDir) throw new UsageError(SPEC.usage);
  const { order, zero } = deployPlan(args.positionals, baseDir, args.value("--head"));
  if (zero.length > 0) {
    console.error(
      `updating ${order.join(" then ")} passes through every weight at 0 (${zero.join("; ")}), which Route 53 answers as an even split: raise the serving side in one commit and lower the other in the next`,
    );
    return 1;
  }
  console.log(`order=${JSON.stringify(order)}`);
  return 0;
}

if (require.main === module) runMain(main);
