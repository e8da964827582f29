// `npm test`: runs every check in tools/test/steps.ts, its lanes side by side, and exits non-zero
// if any failed. Each step's output is printed whole once it ends (so two lanes never interleave
// lines), then one line per step with its time, and the count of passed and failed checks.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { LANES, Step } from "./steps";

const ROOT = path.resolve(__dirname, "../..");

interface Outcome {
  label: string;
  status: "passed" | "failed" | "skipped";
  seconds: number;
}

/** Runs one step to its end; its stdout and stderr are kept in order, as one text. */
function run(step: Step): Promise<{ ok: boolean; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      cwd: ROOT,
      // Piped, the tools would drop colours a terminal can show (any FORCE_COLOR value forces them).
      env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: "1" } : process.env,
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    const done = (ok: boolean, extra = "") =>
      resolve({
        ok,
        output: Buffer.concat(chunks).toString() + extra,
        seconds: (performance.now() - started) / 1000,
      });
    child.on("error", (err) => done(false, `${err.message}\n`));
    child.on("close", (code) => done(code === 0));
  });
}

/** One lane: its steps in order; a step whose `needs` did not pass is skipped. */
async function lane(steps: Step[], outcomes: Map<string, Outcome>): Promise<void> {
  for (const step of steps) {
    const needed = step.needs ? outcomes.get(step.needs) : undefined;
    if (needed && needed.status !== "passed") {
      outcomes.set(step.label, { label: step.label, status: "skipped", seconds: 0 });
      console.log(`\n── ${step.label}: skipped (${step.needs} did not pass)`);
      continue;
    }
    const { ok, output, seconds } = await run(step);
    const status = ok ? "passed" : "failed";
    outcomes.set(step.label, { label: step.label, status, seconds });
    console.log(`\n── ${step.label} (${seconds.toFixed(1)} s)\n${output.trimEnd()}`);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const outcomes = new Map<string, Outcome>();
  await Promise.all(LANES.map((steps) => lane(steps, outcomes)));
  const all = LANES.flat().map((s) => outcomes.get(s.label) as Outcome);
  console.log("\n── summary");
  for (const o of all) {
    console.log(`${o.status.padEnd(8)} ${o.seconds.toFixed(1).padStart(5)} s  ${o.label}`);
  }
  const count = (status: Outcome["status"]) => all.filter((o) => o.status === status).length;
  const wall = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nnpm test: ${wall} s wall`);
  const skipped = count("skipped") ? `, ${count("skipped")} skipped` : "";
  console.log(`checks: ${count("passed")} passed, ${count("failed")} failed${skipped}`);
  return count("failed") + count("skipped") > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
