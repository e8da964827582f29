// `npm run bench [-- --runs <n>] [--test-runs <n> | --no-tests] [--out <file.json>]
//   [--compare <file.json>] [--clusters <a,b,…>]`
//
// How fast the commands people type are, before any cloud call: the README's synth
// (`npm run synth -- prod2`) beside the bare compiled synth and the floor (Node loading the
// @pulumi libraries and nothing else), a `pulumi preview`-equivalent start from the sources with
// Pulumi.yaml's runtime options (warm, and first with empty caches), where the synth's time goes,
// how it scales with the number of clusters, and `npm test`. Every measurement is a fresh
// process; the cases are interleaved round by round so that other load on the machine hits them
// alike. bench/README.md explains how to read the figures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../../synth/stack-files";
import { CASES, Case, Options, parseArgs, PLAIN, SPLITS, TOOLS } from "./cases";
import { compareResults, renderResults } from "./report";
import {
  childReport,
  cleanUp,
  linearFit,
  median,
  rounded,
  runCommand,
  runNode,
  RunResult,
  runTimed,
  summarize,
  usageSource,
} from "./run";

interface SplitReport {
  resources: number;
  bootMs: number;
  moduleLoadMs: number;
  evaluateMs: number;
  requireMs: number;
  lazyModuleMs: number;
  endMs: number;
}
interface ClusterReport {
  clusters: number;
  resources: number;
  duplicates: string[];
  evaluateMs: number;
  evaluateCpuMs: number;
  maxRssMiB: number;
}

/** A one-line status on a terminal; nothing in CI logs. */
const progress = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(70)}\r`);
};

/** Runs every job once per round, the first round a warm-up (and the compile cache's fill). */
function rounds<T>(runs: number, jobs: { name: string; run: () => T }[]): Map<string, T[]> {
  const samples = new Map(jobs.map((j) => [j.name, [] as T[]]));
  for (let round = 0; round <= runs; round++) {
    for (const job of jobs) {
      progress(`${round === 0 ? "warm-up" : `round ${round}/${runs}`}: ${job.name}`);
      const result = job.run();
      if (round > 0) samples.get(job.name)?.push(result);
    }
  }
  progress("");
  return samples;
}

const envOf = (c: Case) => (typeof c.env === "function" ? c.env() : (c.env ?? {}));
/** One run of a case, from the repository root. */
const runCase = (c: Case) =>
  c.command ? runTimed(c.command, c.args, ROOT, envOf(c)) : runNode(c.args, ROOT, envOf(c));

const shown = (c: Case) =>
  typeof c.env === "function"
    ? `${c.envShown ?? "<env>"} `
    : Object.entries(c.env ?? {})
        .filter(([k]) => !k.startsWith("PULUMI_CONFIG"))
        .map(([k, v]) => `${k}=${v} `)
        .join("");

const caseSummary = (c: Case, runs: RunResult[]) => ({
  label: c.label,
  command: `${shown(c)}${c.command ?? "node"} ${c.args
    .map((a) => path.relative(ROOT, a) || a)
    .map((a) => (a.includes(" ") ? JSON.stringify(a) : a))
    .join(" ")}`,
  wallMs: summarize(runs.map((r) => r.wallMs)),
  cpuMs: summarize(runs.map((r) => r.cpuMs)),
  maxRssMiB: summarize(runs.map((r) => r.maxRssMiB)),
});

function measureSynth(options: Options) {
  const jobs = [
    ...CASES.map((c) => ({ name: c.key, run: () => runCase(c) })),
    ...SPLITS.map((c) => ({ name: `split:${c.key}`, run: () => runCase(c) })),
  ];
  const samples = rounds(options.runs, jobs);
  const cases = Object.fromEntries(
    CASES.map((c) => [c.key, caseSummary(c, samples.get(c.key) ?? [])]),
  );
  const split = Object.fromEntries(
    SPLITS.map((c) => {
      const runs = samples.get(`split:${c.key}`) ?? [];
      const reports = runs.map((r) => childReport<SplitReport>(r.stdout));
      const med = (f: (r: SplitReport, i: number) => number) => median(reports.map(f));
      return [
        c.key,
        {
          label: c.label,
          resources: reports[0]?.resources ?? 0,
          wallMs: median(runs.map((r) => r.wallMs)),
          nodeStartMs: med((r) => r.bootMs),
          moduleLoadMs: med((r) => r.moduleLoadMs),
          lazyModuleMs: med((r) => r.lazyModuleMs),
          evaluateMs: med((r) => r.evaluateMs),
          // Spawning, tearing down, writing the compile cache when it changed.
          processMs: med((r, i) => runs[i].wallMs - r.endMs),
        },
      ];
    }),
  );
  return { cases, split };
}

function measureScaling(options: Options) {
  const samples = rounds(
    options.runs,
    options.clusters.map((n) => ({
      name: `${n} clusters`,
      run: () => runNode([`${TOOLS}/bench/clusters.js`, String(n)], ROOT),
    })),
  );
  const points = options.clusters.map((n) => {
    const runs = samples.get(`${n} clusters`) ?? [];
    const reports = runs.map((r) => childReport<ClusterReport>(r.stdout));
    return {
      clusters: n,
      resources: reports[0].resources,
      duplicateNames: reports[0].duplicates,
      wallMs: summarize(runs.map((r) => r.wallMs)),
      evaluateMs: summarize(reports.map((r) => r.evaluateMs)),
      evaluateCpuMs: median(reports.map((r) => r.evaluateCpuMs)),
      maxRssMiB: summarize(runs.map((r) => r.maxRssMiB)).max,
    };
  });
  const slope = (f: (p: (typeof points)[number]) => number) =>
    linearFit(points.map((p) => [p.clusters, f(p)])).slope;
  return {
    points,
    perClusterMs: {
      wall: slope((p) => p.wallMs.median),
      evaluate: slope((p) => p.evaluateMs.median),
    },
    perClusterResources: slope((p) => p.resources),
    perClusterMiB: slope((p) => p.maxRssMiB),
    /** Cost per cluster between consecutive points: a rising series means superlinear evaluation. */
    marginalMs: points.slice(1).map((p, i) => ({
      from: points[i].clusters,
      to: p.clusters,
      evaluatePerCluster:
        (p.evaluateMs.median - points[i].evaluateMs.median) / (p.clusters - points[i].clusters),
    })),
  };
}

/** `npm test` as a contributor runs it, `testRuns` times in a row (its caches warm after the first). */
function measureTests(options: Options) {
  if (options.testRuns === 0) return { skipped: true as const, reason: "--no-tests" };
  const runs = Array.from({ length: options.testRuns }, (_, i) => {
    progress(`npm test ${i + 1}/${options.testRuns}`);
    return runCommand("npm", ["test"], ROOT);
  });
  progress("");
  const failed = runs.find((r) => r.exitCode !== 0);
  return {
    skipped: false as const,
    runs: runs.length,
    wallMs: summarize(runs.map((r) => r.wallMs)),
    exitCodes: runs.map((r) => r.exitCode),
    ...(failed ? { tail: failed.tail } : {}),
  };
}

/**
 * Neither the startup measures nor running from sources may change what the synth writes: the
 * compiled synth's JSON, byte for byte, with the measures off and from the README's command.
 */
function checkOutputs(): Record<string, { plain: boolean; readme: boolean }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "eks-bench-out-"));
  try {
    const read = (file: string) => readFileSync(path.join(dir, file), "utf8");
    const synth = (stack: string, env: Record<string, string>, file: string) => {
      runNode([`${TOOLS}/synth/main.js`, stack, "--out", path.join(dir, file)], ROOT, env);
      return read(file);
    };
    return Object.fromEntries(
      ["prod", "prod2"].map((s) => {
        const compiled = synth(s, {}, `${s}.json`);
        const readme = path.join(dir, `${s}-readme.json`);
        runTimed("npm", ["run", "synth", "--", s, "--out", readme], ROOT);
        return [
          s,
          {
            plain: compiled === synth(s, PLAIN, `${s}-plain.json`),
            readme: compiled === read(`${s}-readme.json`),
          },
        ];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run build`, untimed: the bare synth and the split run from dist/. */
function build(): void {
  progress("npm run build (untimed)");
  const r = runCommand("npm", ["run", "build"], ROOT);
  progress("");
  if (r.exitCode !== 0) throw new Error(`npm run build failed:\n${r.tail}`);
}

export type BenchResults = ReturnType<typeof collect>;

function collect(options: Options, loadBefore: number) {
  build();
  const identicalOutput = checkOutputs();
  const { cases, split } = measureSynth(options);
  const scaling = measureScaling(options);
  const tests = measureTests(options);
  const floor = cases.floor.wallMs.median;
  const bare = cases.prod2.wallMs.median;
  const ratios = {
    prod: cases.prod.wallMs.median / floor,
    prod2: bare / floor,
    prod2Cpu: cases.prod2.cpuMs.median / cases.floor.cpuMs.median,
    prod2Plain: cases.prod2Plain.wallMs.median / floor,
    /** The README's command against the bare synth it runs. */
    readmeSynth: cases.readmeSynth.wallMs.median / bare,
    sourceSynth: cases.prod2Source.wallMs.median / bare,
    previewWarm: cases.previewWarm.wallMs.median / bare,
    previewFirst: cases.previewFirst.wallMs.median / bare,
    /** npm test against the README synth: how many synths one test run costs. */
    testsPerSynth: tests.skipped ? null : tests.wallMs.median / cases.readmeSynth.wallMs.median,
  };
  const targets = [
    { target: "README synth median ≤ 1.3 × bare synth", value: ratios.readmeSynth, limit: 1.3 },
    {
      target: "README synth median ≤ 1.2 s",
      value: cases.readmeSynth.wallMs.median / 1000,
      limit: 1.2,
    },
    { target: "bare prod2 synth median ≤ 1.2 × floor", value: ratios.prod2, limit: 1.2 },
    { target: "prod2 synth peak memory ≤ 256 MiB", value: cases.prod2.maxRssMiB.max, limit: 256 },
    { target: "each extra cluster ≤ 30 ms", value: scaling.perClusterMs.wall, limit: 30 },
    ...(tests.skipped
      ? []
      : [{ target: "npm test median ≤ 30 s", value: tests.wallMs.median / 1000, limit: 30 }]),
  ].map((t) => ({ ...t, ok: t.value <= t.limit }));
  return {
    schema: 2,
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
      usage: usageSource,
    },
    runs: options.runs,
    identicalOutput,
    cases,
    ratios,
    split,
    scaling,
    tests,
    targets,
  };
}

function main(argv: string[]): number {
  const options = parseArgs(argv);
  const results = rounded(collect(options, os.loadavg()[0]), 2);
  cleanUp();
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderResults(results));
  console.log(`\nwrote ${path.relative(process.cwd(), options.out) || options.out}`);
  if (options.compare) console.log(`\n${compareResults(results, options.compare)}`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    cleanUp();
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
