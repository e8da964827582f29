// `npm test`: runs every check in tools/test/steps.ts with concurrently, two at a time. Each
// check's output is printed whole once it ends, prefixed with its name (so two checks never
// interleave lines), then concurrently's table of timings and exit codes, then the count of
// passed and failed checks. Exits non-zero if any failed.
import { STEPS } from "./steps";

async function main(): Promise<number> {
  const { concurrently } = await import("concurrently");
  const started = performance.now();
  const { result } = concurrently(STEPS, {
    maxProcesses: 2,
    group: true,
    prefix: "name",
    timings: true,
  });
  // Rejected when any check failed; both carry every check's close event.
  const closed = await result.catch((events: Awaited<typeof result>) => events);
  const failed = closed.filter((e) => e.exitCode !== 0).map((e) => e.command.name);
  const wall = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\nnpm test: ${wall} s wall`);
  console.log(`checks: ${closed.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) console.log(`failed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
