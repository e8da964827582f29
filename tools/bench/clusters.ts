// Bench child: `node dist/tools/bench/clusters.js <n>` synthesizes n EksBlueprints from prod2's
// config, each with its own name and VPC CIDR, and reports the resources registered and the time.
import { moduleLoadTimer, report } from "./child";
import { enableFastLoad } from "../run/fast-load";
import { recordKey } from "../../synth/record";

const clusters = Number(process.argv[2] ?? "1");
if (!Number.isInteger(clusters) || clusters < 1 || clusters > 100) {
  console.error(
    `usage: node dist/tools/bench/clusters.js <clusters, 1-100> (got ${process.argv[2]})`,
  );
  process.exit(2);
}
const timer = moduleLoadTimer();
enableFastLoad();
/* eslint-disable @typescript-eslint/no-require-imports */
const { EksBlueprint } =
  require("../../components/blueprint/blueprint") as typeof import("../../components/blueprint/blueprint");
const { parseStackConfig } = require("../../stacks/config") as typeof import("../../stacks/config");
const { readStackConfig } =
  require("../../synth/stack-files") as typeof import("../../synth/stack-files");
const { synthesize } = require("../../synth/synthesize") as typeof import("../../synth/synthesize");
/* eslint-enable @typescript-eslint/no-require-imports */
const loaded = performance.now();
const requireModuleMs = timer.ms();
const cpuAtLoad = process.cpuUsage();

const file = readStackConfig("prod2");
report(
  synthesize(file, () => {
    const base = parseStackConfig("prod2", file.config);
    for (let i = 0; i < clusters; i++) {
      // 10.64.0.0/16 onwards: apart from prod (10.10) and prod2 (10.20), and from each other.
      new EksBlueprint(`prod2-c${i}`, {
        ...base,
        clusterName: `${base.clusterName}-c${i}`,
        network: { ...base.network, cidrBlock: `10.${64 + i}.0.0/16` },
      });
    }
  }).then((result) => {
    const evalModuleMs = timer.ms() - requireModuleMs;
    const cpu = process.cpuUsage(cpuAtLoad);
    const evaluateMs = performance.now() - loaded - evalModuleMs;
    // Names that repeat across clusters collide in one real stack (Pulumi rejects duplicate URNs).
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const key of result.resources.map(recordKey)) (seen.has(key) ? duplicates : seen).add(key);
    return {
      resources: result.resources.length,
      duplicates: [...duplicates],
      evaluateMs,
      // CPU time of the whole evaluation, modules included: steadier than wall time under load.
      evaluateCpuMs: (cpu.user + cpu.system) / 1000,
    };
  }),
);
