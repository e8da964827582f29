// Renders `npm run bench` results (tools/bench/main.ts) as Markdown tables, and compares two runs.
import { readFileSync } from "node:fs";
import type { BenchResults } from "./main";

const ms = (v: number) => (v >= 10000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const mib = (v: number) => `${Math.round(v)} MiB`;
const x = (v: number) => `${v.toFixed(2)} ×`;
const yes = (ok: boolean) => (ok ? "yes" : "NO");

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

function synthTable(r: BenchResults): string {
  const floor = r.cases.floor.wallMs.median;
  return table(
    ["case", "median", "min", "max", "CPU (median)", "max RSS", "÷ floor"],
    Object.values(r.cases).map((c) => [
      c.label,
      ms(c.wallMs.median),
      ms(c.wallMs.min),
      ms(c.wallMs.max),
      ms(c.cpuMs.median),
      mib(c.maxRssMiB.max),
      x(c.wallMs.median / floor),
    ]),
  );
}

/** The split's times, as column heading → field. */
const SPLIT_TIMES = {
  "node start": "nodeStartMs",
  "module loading": "moduleLoadMs",
  "of which during eval": "lazyModuleMs",
  evaluation: "evaluateMs",
  "spawn + exit": "processMs",
  wall: "wallMs",
} as const;

function splitTable(r: BenchResults): string {
  return table(
    ["synth (medians)", "resources", ...Object.keys(SPLIT_TIMES)],
    Object.values(r.split).map((s) => [
      s.label,
      String(s.resources),
      ...Object.values(SPLIT_TIMES).map((k) => ms(s[k])),
    ]),
  );
}

function scalingTable(r: BenchResults): string {
  const s = r.scaling;
  const rows = s.points.map((p) => [
    String(p.clusters),
    String(p.resources),
    ms(p.wallMs.median),
    `${ms(p.wallMs.min)}–${ms(p.wallMs.max)}`,
    ms(p.evaluateMs.median),
    ms(p.evaluateCpuMs),
    mib(p.maxRssMiB),
  ]);
  const marginal = s.marginalMs
    .map((m) => `${m.from}→${m.to}: ${ms(m.evaluatePerCluster)}`)
    .join(", ");
  const dups = s.points.find((p) => p.duplicateNames.length > 0);
  return [
    table(
      ["clusters", "resources", "wall (median)", "wall range", "evaluation", "eval CPU", "max RSS"],
      rows,
    ),
    "",
    `Per extra cluster (least squares): ${ms(s.perClusterMs.wall)} wall, ` +
      `${ms(s.perClusterMs.evaluate)} evaluation, ${s.perClusterResources.toFixed(0)} resources, ` +
      `${s.perClusterMiB.toFixed(1)} MiB.`,
    `Evaluation per cluster between points: ${marginal} (flat = linear).`,
    ...(dups
      ? [
          `Warning: with ${dups.clusters} clusters these names repeat, so one real stack would ` +
            `reject them as duplicate URNs: ${dups.duplicateNames.slice(0, 5).join(", ")}` +
            `${dups.duplicateNames.length > 5 ? ", …" : ""}`,
        ]
      : []),
  ].join("\n");
}

export function renderResults(r: BenchResults): string {
  const m = r.machine;
  const tests = r.tests.skipped
    ? `skipped (${r.tests.reason})`
    : `${r.tests.runs} runs: median ${ms(r.tests.wallMs.median)} (${ms(r.tests.wallMs.min)}–` +
      `${ms(r.tests.wallMs.max)}), exit codes ${r.tests.exitCodes.join(", ")}; ` +
      `${x(r.ratios.testsPerSynth ?? 0)} the README synth.` +
      (r.tests.tail ? `\n\n\`\`\`\n${r.tests.tail}\n\`\`\`` : "");
  return [
    `# eks-blueprint bench, ${r.date}`,
    "",
    `Node ${m.node}, ${m.platform}, ${m.cpus} × ${m.cpuModel}; ${r.runs} runs per case after a ` +
      (r.runs < 5 ? "(fewer than 5: a quick look, not a measurement) " : "") +
      `warm-up, interleaved; load average ${m.loadAverage.before.toFixed(1)} → ` +
      `${m.loadAverage.after.toFixed(1)}; CPU and RSS from ${m.usage}.`,
    "",
    "## Synth against the floor (wall time per process)",
    "",
    synthTable(r),
    "",
    `README synth (\`npm run synth -- prod2\`) = ${x(r.ratios.readmeSynth)} the bare compiled ` +
      `synth; from sources without npm ${x(r.ratios.sourceSynth)}; the \`pulumi preview\` start ` +
      `${x(r.ratios.previewWarm)} (first start, empty caches: ${x(r.ratios.previewFirst)}).`,
    "",
    `Bare prod2 synth = ${x(r.ratios.prod2)} the floor by wall time, ${x(r.ratios.prod2Cpu)} by ` +
      `CPU time (before the startup measures: ${x(r.ratios.prod2Plain)}); prod = ${x(r.ratios.prod)}.`,
    "",
    `Synth JSON byte-identical to the compiled synth's, without the startup measures / from the ` +
      `README's command: ${Object.entries(r.identicalOutput)
        .map(([stack, same]) => `${stack} ${yes(same.plain)} / ${yes(same.readme)}`)
        .join(", ")}.`,
    "",
    "## Where the time goes",
    "",
    splitTable(r),
    "",
    "## Scaling: one program with N clusters of the prod2 shape",
    "",
    scalingTable(r),
    "",
    "## npm test",
    "",
    tests,
    "",
    "## Targets",
    "",
    table(
      ["target", "value", "limit", "met"],
      r.targets.map((t) => [t.target, t.value.toFixed(2), String(t.limit), yes(t.ok)]),
    ),
  ].join("\n");
}

/** The figures worth comparing between two runs, as label → value (lower is better for all). */
function keyFigures(r: BenchResults): [string, number, (v: number) => string][] {
  return [
    ["README synth (npm run synth -- prod2), median", r.cases.readmeSynth.wallMs.median, ms],
    ["README synth ÷ bare synth", r.ratios.readmeSynth, x],
    ["pulumi preview start, median", r.cases.previewWarm.wallMs.median, ms],
    ["pulumi preview first start, median", r.cases.previewFirst.wallMs.median, ms],
    ["floor (5 libraries), median", r.cases.floor.wallMs.median, ms],
    ["synth prod, median", r.cases.prod.wallMs.median, ms],
    ["synth prod2, median", r.cases.prod2.wallMs.median, ms],
    ["synth prod2, CPU", r.cases.prod2.cpuMs.median, ms],
    ["synth prod2, max RSS", r.cases.prod2.maxRssMiB.max, mib],
    ["prod2 ÷ floor", r.ratios.prod2, x],
    ["prod2 module loading", r.split.prod2.moduleLoadMs, ms],
    ["prod2 evaluation", r.split.prod2.evaluateMs, ms],
    ["per extra cluster, wall", r.scaling.perClusterMs.wall, ms],
    ["per extra cluster, evaluation", r.scaling.perClusterMs.evaluate, ms],
    ...(r.tests.skipped
      ? []
      : [["npm test, median", r.tests.wallMs.median, ms] as [string, number, typeof ms]]),
  ];
}

export function compareResults(current: BenchResults, file: string): string {
  const other = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  if (other.schema !== current.schema) {
    return `## Not compared: ${file} has schema ${other.schema}, this run ${current.schema}`;
  }
  const theirs = new Map(keyFigures(other).map(([label, value]) => [label, value]));
  const rows = keyFigures(current).map(([label, value, fmt]) => {
    const before = theirs.get(label);
    const change =
      before === undefined || before === 0
        ? "n/a"
        : `${value >= before ? "+" : ""}${(((value - before) / before) * 100).toFixed(0)} %`;
    return [label, before === undefined ? "n/a" : fmt(before), fmt(value), change];
  });
  return [
    `## Compared with ${file} (${other.date})`,
    "",
    table(["figure", "then", "now", "change"], rows),
  ].join("\n");
}
