// `npm run bench [-- --runs <n>] [--test-runs <n> | --no-tests] [--out <file.json>]
//   [--compare <file.json>] [--clusters <a,b,…>]`
// Times what people type, offline: the README's synth beside the bare compiled synth and the floor
// (Node loading @pulumi), a `pulumi preview` start (warm, cold), synth time split, cluster scaling,
// `npm test`. Fresh processes, interleaved by round so load hits all alike (bench/README.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../../synth/stack-files";
import { CASES, Case, Options, parseArgs, PLAIN, SPLITS, TEST_CACHES, TOOLS } from "./cases";
import { lastReport } from "../run/mock-report";
import { compareResults, renderResults } from "./report";
import * as run from "./run";

/** The BENCH lines of split.ts and clusters.ts (which also lists the names that repeat). */
type Figures = Record<string, number>;
type Scaled = Record<"resources" | "evaluateMs" | "evaluateCpuMs", number>;

const CLUSTERS = `${TOOLS}/bench/clusters.js`;

/** A one-line status on a terminal; nothing in CI logs. */
const progress = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(70)}\r`);
};

const envOf = (c: Case) => (typeof c.env === "function" ? c.env() : (c.env ?? {}));
const runCase = (c: Case) => run.runTimed(c.command ?? process.execPath, c.args, ROOT, envOf(c));
type Run = ReturnType<typeof runCase>;

/** Runs every case once per round, the first round a warm-up (and the compile cache's fill). */
function rounds(runs: number, cases: Case[]): Map<string, Run[]> {
  const samples = new Map(cases.map((c) => [c.key, [] as Run[]]));
  for (let round = 0; round <= runs; round++) {
    const name = round === 0 ? "warm-up" : `round ${round}/${runs}`;
    const start = performance.now();
    for (const c of cases) {
      progress(`${name}: ${c.key}`);
      const result = runCase(c);
      if (round > 0) samples.get(c.key)?.push(result);
    }
    progress("");
    console.log(`  ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  return samples;
}

const shown = (c: Case) =>
  typeof c.env === "function"
    ? `${c.envShown ?? "<env>"} `
    : Object.entries(c.env ?? {})
        .filter(([k]) => !k.startsWith("PULUMI_CONFIG"))
        .map(([k, v]) => `${k}=${v} `)
        .join("");

const caseSummary = (c: Case, runs: Run[]) => ({
  label: c.label,
  command: `${shown(c)}${c.command ?? "node"} ${c.args
    .map((a) => path.relative(ROOT, a) || a)
    .map((a) => (a.includes(" ") ? JSON.stringify(a) : a))
    .join(" ")}`,
  wallMs: run.summarize(runs.map((r) => r.wallMs)),
  cpuMs: run.summarize(runs.map((r) => r.cpuMs)),
  maxRssMiB: run.summarize(runs.map((r) => r.maxRssMiB)),
});

function measureSynth(options: Options) {
  const splits = SPLITS.map((c) => ({ ...c, key: `split:${c.key}` }));
  const samples = rounds(options.runs, [...CASES, ...splits]);
  const cases = Object.fromEntries(
    CASES.map((c) => [c.key, caseSummary(c, samples.get(c.key) ?? [])]),
  );
  const split = Object.fromEntries(
    SPLITS.map((c) => {
      const runs = samples.get(`split:${c.key}`) ?? [];
      const reports = runs.map((r) => lastReport<Figures>(r.stdout, "BENCH "));
      const med = (f: (r: Figures, i: number) => number) => run.median(reports.map(f));
      const figures = {
        label: c.label,
        resources: reports[0]?.resources ?? 0,
        wallMs: run.median(runs.map((r) => r.wallMs)),
        nodeStartMs: med((r) => r.bootMs),
        moduleLoadMs: med((r) => r.moduleLoadMs),
        lazyModuleMs: med((r) => r.lazyModuleMs),
        evaluateMs: med((r) => r.evaluateMs),
        // Spawning, tearing down, writing the compile cache when it changed.
        processMs: med((r, i) => runs[i].wallMs - r.endMs),
      };
      return [c.key, figures];
    }),
  );
  return { cases, split };
}

function measureScaling(options: Options) {
  const samples = rounds(
    options.runs,
    options.clusters.map((n) => ({ key: `${n} clusters`, label: "", args: [CLUSTERS, String(n)] })),
  );
  const points = options.clusters.map((n) => {
    const runs = samples.get(`${n} clusters`) ?? [];
    const reports = runs.map((r) =>
      lastReport<Scaled & { duplicates: string[] }>(r.stdout, "BENCH "),
    );
    return {
      clusters: n,
      resources: reports[0].resources,
      duplicateNames: reports[0].duplicates,
      wallMs: run.summarize(runs.map((r) => r.wallMs)),
      evaluateMs: run.summarize(reports.map((r) => r.evaluateMs)),
      evaluateCpuMs: run.median(reports.map((r) => r.evaluateCpuMs)),
      maxRssMiB: run.summarize(runs.map((r) => r.maxRssMiB)).max,
    };
  });
  const perCluster = (f: (p: (typeof points)[number]) => number) =>
    run.slope(points.map((p) => [p.clusters, f(p)]));
  return {
    points,
    perClusterMs: {
      wall: perCluster((p) => p.wallMs.median),
      evaluate: perCluster((p) => p.evaluateMs.median),
    },
    perClusterResources: perCluster((p) => p.resources),
    perClusterMiB: perCluster((p) => p.maxRssMiB),
    /** Cost per cluster between consecutive points: a rising series means superlinear evaluation. */
    marginalMs: points.slice(1).map((p, i) => ({
      from: points[i].clusters,
      to: p.clusters,
      evaluatePerCluster:
        (p.evaluateMs.median - points[i].evaluateMs.median) / (p.clusters - points[i].clusters),
    })),
  };
}

/** `npm test` as on a fresh clone or in CI, `testRuns` times, each from empty caches. */
function measureTests(options: Options) {
  if (options.testRuns === 0) return { skipped: true as const, reason: "--no-tests" };
  const runs = Array.from({ length: options.testRuns }, (_, i) => {
    for (const dir of TEST_CACHES) rmSync(path.join(ROOT, dir), { recursive: true, force: true });
    progress(`npm test ${i + 1}/${options.testRuns}`);
    const r = run.runCommand("npm", ["test"], ROOT);
    progress("");
    const seconds = (r.wallMs / 1000).toFixed(1);
    console.log(`  npm test ${i + 1}/${options.testRuns}: ${seconds} s, exit ${r.exitCode}`);
    return r;
  });
  const failed = runs.find((r) => r.exitCode !== 0);
  return {
    skipped: false as const,
    runs: runs.length,
    emptiedBeforeEach: TEST_CACHES,
    wallMs: run.summarize(runs.map((r) => r.wallMs)),
    exitCodes: runs.map((r) => r.exitCode),
    ...(failed ? { tail: failed.tail } : {}),
  };
}

/** The compiled synth's JSON must not change by a byte with the measures off or via the README. */
function checkOutputs(): Record<string, { plain: boolean; readme: boolean }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "eks-bench-out-"));
  try {
    const read = (file: string) => readFileSync(path.join(dir, file), "utf8");
    const synth = (stack: string, env: Record<string, string>, file: string) => {
      run.runTimed(
        process.execPath,
        [`${TOOLS}/synth/main.js`, stack, "--out", path.join(dir, file)],
        ROOT,
        env,
      );
      return read(file);
    };
    return Object.fromEntries(
      ["prod", "prod2"].map((s) => {
        const compiled = synth(s, {}, `${s}.json`);
        const readme = path.join(dir, `${s}-readme.json`);
        run.runTimed("npm", ["run", "synth", "--", s, "--out", readme], ROOT);
        const plain = compiled === synth(s, PLAIN, `${s}-plain.json`);
        return [s, { plain, readme: compiled === read(`${s}-readme.json`) }];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run build`, untimed: the bare synth and the split run from dist/. */
function build(): void {
  const r = run.runCommand("npm", ["run", "build"], ROOT);
  if (r.exitCode !== 0) throw new Error(`npm run build failed:\n${r.tail}`);
}

export type BenchResults = ReturnType<typeof collect>;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function collect(options: Options, loadBefore: number) {
  run.section("npm run build (untimed)", build);
  const identicalOutput = run.section(
    "synth output, measures off and through the README command",
    checkOutputs,
    (r) => (Object.values(r).every((s) => s.plain && s.readme) ? "identical" : "DIFFERENT"),
  );
  const { cases, split } = run.section(
    `synth cases, a warm-up and ${options.runs} round${options.runs === 1 ? "" : "s"}`,
    () => measureSynth(options),
    (r) => `README synth median ${seconds(r.cases.readmeSynth.wallMs.median)}`,
  );
  const scaling = run.section(
    `scaling over ${options.clusters.join(", ")} clusters`,
    () => measureScaling(options),
    (r) => `${r.perClusterMs.wall.toFixed(1)} ms per extra cluster`,
  );
  const tests = run.section(
    `npm test × ${options.testRuns}`,
    () => measureTests(options),
    (r) => (r.skipped ? `skipped (${r.reason})` : `median ${seconds(r.wallMs.median)}`),
  );
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
  const goals: [string, number, number][] = [
    ["README synth median ≤ 1.3 × bare synth", ratios.readmeSynth, 1.3],
    ["README synth median ≤ 1.2 s", cases.readmeSynth.wallMs.median / 1000, 1.2],
    ["bare prod2 synth median ≤ 1.2 × floor", ratios.prod2, 1.2],
    ["prod2 synth peak memory ≤ 256 MiB", cases.prod2.maxRssMiB.max, 256],
    ["each extra cluster ≤ 30 ms", scaling.perClusterMs.wall, 30],
  ];
  if (!tests.skipped) goals.push(["npm test median ≤ 30 s", tests.wallMs.median / 1000, 30]);
  return {
    schema: 2,
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
      usage: run.usageSource,
    },
    runs: options.runs,
    identicalOutput,
    cases,
    ratios,
    split,
    scaling,
    tests,
    targets: goals.map(([target, value, limit]) => ({ target, value, limit, ok: value <= limit })),
  };
}

function main(argv: string[]): void {
  const options = parseArgs(argv);
  const results = run.rounded(collect(options, os.loadavg()[0]), 2);
  run.cleanUp();
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(renderResults(results));
  console.log(`\nwrote ${path.relative(process.cwd(), options.out) || options.out}`);
  if (options.compare) console.log(`\n${compareResults(results, options.compare)}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    run.cleanUp();
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
