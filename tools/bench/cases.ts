// What `npm run bench` measures (tools/bench/main.ts): the processes it starts and its options.
import { mkdtempSync } from "node:fs";
import * as path from "node:path";
import { cliStart } from "../run/cli-start";
import { ROOT } from "../../synth/stack-files";
import { CliSpec, inputFile, parseArgs as parseCli } from "../run/args";
import { scratchDir } from "./run";

/** The compiled tools, as `npm run build` writes them: the bare synth runs from here. */
export const TOOLS = "dist/tools";
/** How every npm script runs a TypeScript program from its source (package.json). */
const FROM_SOURCE = ["--require", "./tools/run/register.cjs"];
/** The @pulumi packages the floor requires. */
const FLOOR_LIBS = ["pulumi", "aws", "eks", "awsx", "kubernetes"];
/** Turns off both startup measures in tools/synth/main.ts: the synth as it ran before them. */
export const PLAIN = { EKS_BLUEPRINT_COMPILE_CACHE: "0", EKS_BLUEPRINT_LAZY_LOAD: "0" };

export type Options = ReturnType<typeof parseArgs>;

export interface Case {
  key: string;
  label: string;
  /** `node` (the bench's own Node) unless set. */
  command?: string;
  args: string[];
  /** Extra environment; a function is called once per run. */
  env?: Record<string, string> | (() => Record<string, string>);
  /** How the environment reads in the report when `env` is a function. */
  envShown?: string;
}

/** Empty caches for one run: what the first start after a change (or a fresh clone) gets. */
const freshCaches = () => {
  const dir = mkdtempSync(path.join(scratchDir(), "cold-"));
  return {
    EKS_BLUEPRINT_TS_CACHE: path.join(dir, "ts"),
    EKS_BLUEPRINT_COMPILE_CACHE: path.join(dir, "compile"),
  };
};

const preview = cliStart(ROOT, "prod2");
const bare = (stack: string) => [`${TOOLS}/synth/main.js`, stack];
const split = (stack: string) => [`${TOOLS}/bench/split.js`, stack];

export const CASES: Case[] = [
  {
    key: "floorPulumi",
    label: "floor: require @pulumi/pulumi",
    args: ["-e", `require("@pulumi/pulumi")`],
  },
  {
    key: "floor",
    label: "floor: require pulumi, aws, eks, awsx, kubernetes",
    args: ["-e", FLOOR_LIBS.map((l) => `require("@pulumi/${l}")`).join(";")],
  },
  { key: "prod", label: "bare synth prod (compiled)", args: bare("prod") },
  { key: "prod2", label: "bare synth prod2 (compiled)", args: bare("prod2") },
  {
    key: "prod2Source",
    label: "synth prod2 from sources",
    args: [...FROM_SOURCE, "tools/synth/main.ts", "prod2"],
  },
  {
    key: "readmeSynth",
    label: "README synth: npm run synth -- prod2",
    command: "npm",
    args: ["run", "synth", "--", "prod2"],
  },
  {
    key: "previewWarm",
    label: "pulumi preview start (Pulumi.yaml runtime, mocks)",
    args: preview.args,
    env: preview.env,
  },
  {
    key: "previewFirst",
    label: "the same, first start (empty caches)",
    args: preview.args,
    env: () => ({ ...preview.env, ...freshCaches() }),
    envShown: "EKS_BLUEPRINT_TS_CACHE=<empty> EKS_BLUEPRINT_COMPILE_CACHE=<empty>",
  },
  {
    key: "prod2NoCache",
    label: "bare synth prod2, no compile cache",
    args: bare("prod2"),
    env: { EKS_BLUEPRINT_COMPILE_CACHE: "0" },
  },
  {
    key: "prod2Plain",
    label: "bare synth prod2, no compile cache, nothing deferred",
    args: bare("prod2"),
    env: PLAIN,
  },
];

/**
 * Every cache `npm test` fills, relative to the root; the bench empties them all before each run,
 * as CI starts: eslint's and prettier's (--cache-location, tools/test/steps.ts), register.cjs's
 * transpiled .ts and Node compile cache, jest's cacheDirectory (package.json "jest"), the
 * consumer check's jest (its @swc/jest transforms), and `npm run build`'s incremental state
 * (npm test's compile neither reads nor writes it). swc keeps nothing on disk without plugins.
 */
export const TEST_CACHES = [
  "node_modules/.cache/eslint",
  "node_modules/.cache/prettier",
  "node_modules/.cache/eks-blueprint",
  "node_modules/.cache/jest",
  "node_modules/.cache/jest-consumer",
  "dist/tsconfig.tsbuildinfo",
];

export const SPLITS: Case[] = [
  { key: "prod", label: "prod", args: split("prod") },
  { key: "prod2", label: "prod2", args: split("prod2") },
  { key: "prod2Plain", label: "prod2, plain", args: split("prod2"), env: PLAIN },
];

const SPEC: CliSpec = {
  usage:
    "usage: npm run bench [-- --runs <n>] [--test-runs <n> | --no-tests] [--out <file.json>] [--compare <file.json>] [--clusters <a,b,…>]",
  values: ["--runs", "--test-runs", "--out", "--compare", "--clusters"],
  switches: ["--no-tests"],
};

export function parseArgs(argv: string[]) {
  const args = parseCli(argv, SPEC);
  const count = (flag: string, fallback: string, min: number) => {
    const n = Number(args.value(flag) ?? fallback);
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`${flag}: not an integer of at least ${min} (got ${args.value(flag)})`);
    }
    return n;
  };
  const runs = count("--runs", "7", 1);
  const testRuns = args.has("--no-tests") ? 0 : count("--test-runs", "3", 0);
  const clusters = (args.value("--clusters") ?? "1,5,10,20").split(",").map(Number);
  if (clusters.some((n) => !Number.isInteger(n) || n < 1) || clusters.length < 2) {
    throw new Error(
      `--clusters: use two or more cluster counts such as 1,5,10,20 (got ${args.value("--clusters")})`,
    );
  }
  const compare = args.value("--compare");
  return {
    runs,
    /** How many times `npm test` runs; 0 skips it. */
    testRuns,
    out: path.resolve(args.value("--out") ?? path.join(ROOT, "bench-results.json")),
    compare:
      compare &&
      inputFile(
        compare,
        "an earlier bench result",
        "make it with `npm run bench -- --out <file.json>`",
      ),
    clusters,
  };
}
