// Child-process runner and statistics for `npm run bench` (tools/bench/main.ts).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** GNU time: the child's CPU time and peak RSS, its children's included (npm runs the synth). */
const TIME = "/usr/bin/time";
export const usageSource = `${TIME} (%U %S %M)`;

let scratch: string | undefined;
/** A directory for this bench run's files, removed by cleanUp. */
export const scratchDir = (): string =>
  (scratch ??= mkdtempSync(path.join(os.tmpdir(), "eks-bench-")));

export function cleanUp(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/**
 * Runs `command <args>` from `cwd` to completion: what the child process cost, measured from
 * outside it. Throws with the child's stderr if it fails.
 */
export function runTimed(command: string, args: string[], cwd: string, env = {}) {
  if (!existsSync(TIME)) throw new Error(`the bench needs GNU time at ${TIME}`);
  const usageFile = path.join(scratchDir(), "usage");
  rmSync(usageFile, { force: true });
  const argv = ["-f", "%U %S %M", "-o", usageFile, command, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(TIME, argv, { cwd, env: { ...process.env, ...env }, maxBuffer: 256 << 20 });
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
    /** Wall time from spawn to exit, as the parent sees it (includes Node's own startup). */
    wallMs,
    /** User + system CPU time of the child; less sensitive than wall time to other load. */
    cpuMs: (user + sys) * 1000,
    /** Peak resident set size (getrusage ru_maxrss). */
    maxRssMiB: rssKiB / 1024,
    stdout: r.stdout.toString(),
  };
}

/** Runs a shell-level command (npm test) and times it; never throws. */
export function runCommand(command: string, args: string[], cwd: string) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const out = `${r.stdout?.toString() ?? ""}${r.stderr?.toString() ?? ""}${r.error?.message ?? ""}`;
  return { wallMs, exitCode: r.status, tail: out.trim().split("\n").slice(-20).join("\n") };
}

/**
 * Runs one section of the bench, printing a line as it starts and one as it ends (its time and,
 * with `summary`, its headline figure): a bench takes minutes, and CI logs show no status line.
 */
export function section<T>(name: string, fn: () => T, summary?: (result: T) => string): T {
  console.log(`bench: ${name} …`);
  const start = process.hrtime.bigint();
  const result = fn();
  const seconds = (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);
  console.log(`bench: ${name}: ${seconds} s${summary ? `, ${summary(result)}` : ""}`);
  return result;
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export const median = (values: number[]): number => summarize(values).median;

/** The least-squares slope through (x, y): the cost of one more x. */
export function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Rounds every number in a result tree, so the JSON stays readable and diffs stay small. */
export function rounded<T>(value: T, digits = 1): T {
  const f = 10 ** digits;
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * f) / f : v)),
  ) as T;
}
