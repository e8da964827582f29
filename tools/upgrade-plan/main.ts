// `npm run upgrade-plan -- <stack> <minor>`: the steps from the stack's Kubernetes minor to
// <minor>, one minor per pulumi up (policy/upgrade/plan.ts), read off the stack's offline synth,
// the pins and the charts vendored under test/fixtures/upstream; exit 1 on a blocker.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CliSpec, parseArgs as parseCli, stackFile } from "../run/args";
import { runCli } from "../run/fast-load";

const SPEC: CliSpec = {
  usage: "usage: npm run upgrade-plan -- <stack> <minor>   (for example: prod2 1.36)",
  positionals: [2, 2],
};

/** The arguments, or a usage error. */
export function parseArgs(argv: string[]): { stack: string; target: string } {
  const [stack, target] = parseCli(argv, SPEC).positionals;
  return { stack, target };
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  /* eslint-disable @typescript-eslint/no-require-imports -- after enableFastLoad, as in synth.ts */
  const { ROOT } = require("../../synth/stack-files") as typeof import("../../synth/stack-files");
  const { synthStack } =
    require("../../synth/synth-stack") as typeof import("../../synth/synth-stack");
  const { formatPlan, upgradePlan } =
    require("../../policy/upgrade/plan") as typeof import("../../policy/upgrade/plan");
  const catalog =
    require("../../components/addons/catalog") as typeof import("../../components/addons/catalog");
  const { charts } =
    require("../../components/addons/registry") as typeof import("../../components/addons/registry");
  const { SUPPORTED_KUBERNETES_MINORS } =
    require("../../components/cluster/kubernetes-versions") as typeof import("../../components/cluster/kubernetes-versions");
  const { chartDir } = require("../upstream/files") as typeof import("../upstream/files");
  /* eslint-enable @typescript-eslint/no-require-imports */
  stackFile(ROOT, args.stack);
  // Each pinned chart's kubeVersion, from its Chart.yaml as vendored at the pin.
  const chartKubeVersions = Object.fromEntries(
    Object.values(charts).map((pin) => {
      const file = path.join(ROOT, "test/fixtures/upstream/charts", chartDir(pin), "Chart.yaml");
      const chart = existsSync(file)
        ? (parse(readFileSync(file, "utf8")) as { kubeVersion?: string })
        : {};
      return [pin.chart, chart.kubeVersion];
    }),
  );
  const plan = upgradePlan({
    stack: args.stack,
    target: args.target,
    supported: SUPPORTED_KUBERNETES_MINORS,
    records: (await synthStack(args.stack)).resources,
    addonVersions: catalog.eksAddonVersions,
    addonNames: catalog.eksAddonNames,
    autoscalerImages: catalog.clusterAutoscalerImageTags,
    chartKubeVersions,
  });
  console.log(formatPlan(args.stack, args.target, plan));
  return plan.problems.length > 0 || plan.steps.some((s) => s.blocker) ? 1 : 0;
}

if (require.main === module) runCli(main);
