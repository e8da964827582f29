// `npm test`: runs the checks of tools/test/steps.ts with concurrently, output never interleaved,
// then prints each check's time and the pass/fail counts; exits non-zero if any failed.
import { existsSync } from "node:fs";
import { parseArgs } from "../run/args";
import { runCli } from "../run/fast-load";
import { LINT_CACHE, RUN, STEPS } from "./steps";

async function main(argv: string[]): Promise<number> {
  parseArgs(argv, {
    usage: "usage: npm test (no arguments: it runs every check of tools/test/steps.ts)",
  });
  // The first run from empty caches (no lint cache yet) leaves V8's compile cache off: every
  // process would fill it with each module it compiles, about 10,000 files, which costs more
  // (≈ 4 s of kernel time, 2.5 s of wall on 2 cores) than it saves within the run. Later runs,
  // and every other command, use and fill it (tools/run/register.cjs).
  if (process.env.EKS_BLUEPRINT_COMPILE_CACHE === undefined && !existsSync(LINT_CACHE)) {
    process.env.EKS_BLUEPRINT_COMPILE_CACHE = "0";
  }
  const { concurrently } = await import("concurrently");
  const started = performance.now();
  const { result } = concurrently(STEPS, RUN);
  // Rejected when any check failed; either way it holds every check's close event.
  const closed = await result.catch((events: Awaited<typeof result>) => events);
  console.log("\nsummary");
  const width = Math.max(...closed.map((e) => e.command.name.length));
  for (const e of [...closed].sort((a, b) => a.index - b.index)) {
    const status = e.exitCode === 0 ? "passed" : `failed (exit ${e.exitCode})`;
    const seconds = e.timings.durationSeconds.toFixed(1).padStart(5);
    console.log(`  ${seconds} s  ${e.command.name.padEnd(width)} ${status}`);
  }
  const failed = closed.filter((e) => e.exitCode !== 0).length;
  const wall = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nnpm test: ${wall} s wall`);
  console.log(`checks: ${closed.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

runCli(main);
