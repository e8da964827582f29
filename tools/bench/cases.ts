// What `npm run bench` measures (tools/bench/main.ts): the processes it starts and its options.
import * as path from "node:path";

export const ROOT = path.resolve(
  __dirname,
  "../..",
  __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "",
);
/** dist/tools: each program in its folder. */
export const TOOLS = path.relative(ROOT, path.dirname(__dirname));
const FLOOR_LIBS = [
  "@pulumi/pulumi",
  "@pulumi/aws",
  "@pulumi/eks",
  "@pulumi/awsx",
  "@pulumi/kubernetes",
];
/** Turns off both startup measures in tools/synth/main.ts: the synth as it ran before them. */
export const PLAIN = { EKS_BLUEPRINT_COMPILE_CACHE: "0", EKS_BLUEPRINT_LAZY_LOAD: "0" };

export interface Options {
  runs: number;
  withTests: boolean;
  out: string;
  compare?: string;
  clusters: number[];
}

export interface Case {
  key: string;
  label: string;
  args: string[];
  env?: Record<string, string>;
}

export const CASES: Case[] = [
  {
    key: "floorPulumi",
    label: "floor: require @pulumi/pulumi",
    args: ["-e", `require("@pulumi/pulumi")`],
  },
  {
    key: "floor",
    label: "floor: require pulumi, aws, eks, awsx, kubernetes",
    args: ["-e", FLOOR_LIBS.map((l) => `require(${JSON.stringify(l)})`).join(";")],
  },
  { key: "prod", label: "synth prod", args: [`${TOOLS}/synth/main.js`, "prod"] },
  { key: "prod2", label: "synth prod2", args: [`${TOOLS}/synth/main.js`, "prod2"] },
  {
    key: "prod2NoCache",
    label: "synth prod2, no compile cache",
    args: [`${TOOLS}/synth/main.js`, "prod2"],
    env: { EKS_BLUEPRINT_COMPILE_CACHE: "0" },
  },
  {
    key: "prod2Plain",
    label: "synth prod2, no compile cache, nothing deferred",
    args: [`${TOOLS}/synth/main.js`, "prod2"],
    env: PLAIN,
  },
];

export const SPLITS: Case[] = [
  { key: "prod", label: "prod", args: [`${TOOLS}/bench/split.js`, "prod"] },
  { key: "prod2", label: "prod2", args: [`${TOOLS}/bench/split.js`, "prod2"] },
  {
    key: "prod2Plain",
    label: "prod2, plain",
    args: [`${TOOLS}/bench/split.js`, "prod2"],
    env: PLAIN,
  },
];

export function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value("--runs") ?? "7");
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: not a positive integer (got ${value("--runs")})`);
  const clusters = (value("--clusters") ?? "1,5,10,20").split(",").map(Number);
  if (clusters.some((n) => !Number.isInteger(n) || n < 1) || clusters.length < 2) {
    throw new Error(
      `--clusters: use two or more cluster counts such as 1,5,10,20 (got ${value("--clusters")})`,
    );
  }
  return {
    runs,
    withTests: argv.includes("--with-tests"),
    out: path.resolve(value("--out") ?? path.join(ROOT, "bench-results.json")),
    compare: value("--compare"),
    clusters,
  };
}
