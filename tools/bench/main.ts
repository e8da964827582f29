// `npm run bench [-- --runs <n>] [--with-tests] [--out <file.json>] [--compare <file.json>]`
//
// How fast the program is before any cloud call: the synth of prod and prod2 against the floor
// (Node loading the @pulumi libraries and nothing else), where the time goes, how it scales with
// the number of clusters, and optionally `npm test`. Every measurement is a fresh Node process,
// as a `pulumi preview` is; the cases are interleaved round by round so that other load on the
// machine hits them alike. bench/README.md explains how to read the figures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CASES, Case, Options, parseArgs, PLAIN, ROOT, SPLITS, TOOLS } from "./cases";
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

const caseSummary = (c: Case, runs: RunResult[]) => ({
  label: c.label,
  command: `${Object.entries(c.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join("")}node ${c.args.map((a) => (a.includes(" ") ? JSON.stringify(a) : a)).join(" ")}`,
  wallMs: summarize(runs.map((r) => r.wallMs)),
  cpuMs: summarize(runs.map((r) => r.cpuMs)),
  maxRssMiB: summarize(runs.map((r) => r.maxRssMiB)),
});

function measureSynth(options: Options) {
  const jobs = [
    ...CASES.map((c) => ({ name: c.key, run: () => runNode(c.args, ROOT, c.env) })),
    ...SPLITS.map((c) => ({ name: `split:${c.key}`, run: () => runNode(c.args, ROOT, c.env) })),
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

function measureTests(options: Options) {
  if (!options.withTests)
    return { skipped: true as const, reason: "pass --with-tests to time npm test" };
  progress("npm test (once; it rebuilds dist/)");
  const r = runCommand("npm", ["test"], ROOT);
  progress("");
  process.stderr.write("\r");
  return {
    skipped: false as const,
    wallMs: r.wallMs,
    exitCode: r.exitCode,
    ...(r.exitCode === 0 ? {} : { tail: r.tail }),
  };
}

/** The startup measures must not change what the synth writes: same bytes with and without. */
function checkOutputs(): Record<string, boolean> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "eks-bench-out-"));
  try {
    const synth = (stack: string, env: Record<string, string>, file: string) => {
      runNode([`${TOOLS}/synth/main.js`, stack, "--out", path.join(dir, file)], ROOT, env);
      return readFileSync(path.join(dir, file), "utf8");
    };
    return Object.fromEntries(
      ["prod", "prod2"].map((s) => [
        s,
        synth(s, {}, `${s}.json`) === synth(s, PLAIN, `${s}-plain.json`),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type BenchResults = ReturnType<typeof collect>;

function collect(options: Options, loadBefore: number) {
  const identicalOutput = checkOutputs();
  const { cases, split } = measureSynth(options);
  const scaling = measureScaling(options);
  const tests = measureTests(options);
  const floor = cases.floor.wallMs.median;
  const ratios = {
    prod: cases.prod.wallMs.median / floor,
    prod2: cases.prod2.wallMs.median / floor,
    prod2Cpu: cases.prod2.cpuMs.median / cases.floor.cpuMs.median,
    prod2Plain: cases.prod2Plain.wallMs.median / floor,
  };
  const targets = [
    { target: "prod2 synth median ≤ 1.2 × floor", value: ratios.prod2, limit: 1.2 },
    { target: "prod2 synth peak memory ≤ 256 MiB", value: cases.prod2.maxRssMiB.max, limit: 256 },
    { target: "each extra cluster ≤ 30 ms", value: scaling.perClusterMs.wall, limit: 30 },
    ...(tests.skipped
      ? []
      : [{ target: "npm test ≤ 60 s", value: tests.wallMs / 1000, limit: 60 }]),
  ].map((t) => ({ ...t, ok: t.value <= t.limit }));
  return {
    schema: 1,
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
