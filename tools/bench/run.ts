// Child-process runner and statistics for `npm run bench` (tools/bench/main.ts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What one child process cost, measured from outside it. */
export interface RunResult {
  /** Wall time from spawn to exit, as the parent sees it (includes Node's own startup). */
  wallMs: number;
  /** User + system CPU time of the child; less sensitive than wall time to other load. */
  cpuMs: number;
  /** Peak resident set size (getrusage ru_maxrss). */
  maxRssMiB: number;
  stdout: string;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

const TIME = "/usr/bin/time";
const PROBE_ENV = "EKS_BLUEPRINT_BENCH_PROBE";

/**
 * Without GNU time the child is started with `-r <this file>`: this block then reports the
 * child's own resource usage at exit. Nothing else in this file runs at load.
 */
const probeFile = process.env[PROBE_ENV];
if (probeFile) {
  process.once("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(probeFile, `${(u.userCPUTime + u.systemCPUTime) / 1e6} 0 ${u.maxRSS}`);
  });
}

export const usageSource = existsSync(TIME)
  ? `${TIME} (%U %S %M)`
  : "process.resourceUsage() in the child (-r tools/bench-run)";

let scratch: string | undefined;
/** A directory for this bench run's files, removed by cleanUp. */
export const scratchDir = (): string =>
  (scratch ??= mkdtempSync(path.join(os.tmpdir(), "eks-bench-")));

export function cleanUp(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** This file preloaded as the probe; from its source, behind the TypeScript loader. */
const probePreload = () =>
  __filename.endsWith(".ts")
    ? ["-r", path.join(__dirname, "..", "run", "register.cjs"), "-r", __filename]
    : ["-r", __filename];

/** Runs `node <args>` (the bench's own Node) from `cwd`; see runTimed. */
export const runNode = (args: string[], cwd: string, env: Record<string, string> = {}): RunResult =>
  runTimed(process.execPath, args, cwd, env);

/** Runs `command <args>` from `cwd` to completion; throws with the child's stderr if it fails. */
export function runTimed(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): RunResult {
  const usageFile = path.join(scratchDir(), "usage");
  rmSync(usageFile, { force: true });
  const useTime = existsSync(TIME);
  // Without GNU time only a Node child can report its own usage (the probe above).
  if (!useTime && command !== process.execPath) {
    throw new Error(`${command}: timing a program other than node needs ${TIME}`);
  }
  const [program, argv] = useTime
    ? [TIME, ["-f", "%U %S %M", "-o", usageFile, command, ...args]]
    : [process.execPath, [...probePreload(), ...args]];
  const childEnv = { ...process.env, ...env, ...(useTime ? {} : { [PROBE_ENV]: usageFile }) };
  const start = process.hrtime.bigint();
  const r = spawnSync(program, argv, { cwd, env: childEnv, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    const err = `${r.stderr?.toString() ?? ""}${r.error?.message ?? ""}`.trim().split("\n");
    throw new Error(
      `${command} ${args.join(" ")} exited ${r.status}:\n${err.slice(-15).join("\n")}`,
    );
  }
  // GNU time may prefix a status line; the figures are the last line.
  const last = readFileSync(usageFile, "utf8").trim().split("\n").pop() ?? "";
  const [user, sys, rssKiB] = last.split(/\s+/).map(Number);
  return {
    wallMs,
    cpuMs: (user + sys) * 1000,
    maxRssMiB: rssKiB / 1024,
    stdout: r.stdout.toString(),
  };
}

/** Runs a shell-level command (npm test) and times it; never throws. */
export function runCommand(
  command: string,
  args: string[],
  cwd: string,
): { wallMs: number; exitCode: number | null; tail: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const out = `${r.stdout?.toString() ?? ""}${r.stderr?.toString() ?? ""}${r.error?.message ?? ""}`;
  return { wallMs, exitCode: r.status, tail: out.trim().split("\n").slice(-20).join("\n") };
}

/** The line a bench child prints last: `BENCH {json}`. */
export function childReport<T>(stdout: string): T {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`bench child printed no BENCH line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice("BENCH ".length)) as T;
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export const median = (values: number[]): number => summarize(values).median;

/** Least-squares line through (x, y): the slope is the cost of one more x. */
export function linearFit(points: [number, number][]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Rounds every number in a result tree, so the JSON stays readable and diffs stay small. */
export function rounded<T>(value: T, digits = 1): T {
  const f = 10 ** digits;
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * f) / f : v)),
  ) as T;
}
