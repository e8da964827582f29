// Shared by the bench's child programs (tools/bench/split.ts, tools/bench/clusters.ts): they run
// in a fresh Node process each, like `node dist/tools/synth/main.js`, and report with one BENCH line.
import Module from "node:module";

/**
 * Times every outermost `require` (nested ones are inside it), so module loading can be told
 * apart from program evaluation even when a module is first required halfway through the program
 * (the @pulumi/aws submodules load lazily on first use). Install it before enableFastLoad, so the
 * modules that enableFastLoad defers are timed too when something does load them.
 */
export function moduleLoadTimer(): { ms: () => number; count: () => number } {
  const loader = Module as unknown as { _load: (this: unknown, ...args: unknown[]) => unknown };
  const load = loader._load;
  let depth = 0;
  let total = 0;
  let count = 0;
  loader._load = function (...args) {
    if (depth > 0) {
      depth++;
      try {
        return load.apply(this, args);
      } finally {
        depth--;
      }
    }
    depth++;
    count++;
    const start = performance.now();
    try {
      return load.apply(this, args);
    } finally {
      depth--;
      total += performance.now() - start;
    }
  };
  return { ms: () => total, count: () => count };
}

/** Waits for the measurement, prints it as the BENCH line and exits, as synth.js does. */
export function report(result: Promise<Record<string, unknown>>): void {
  result.then(
    (r) => {
      const endMs = performance.now();
      const maxRssMiB = process.resourceUsage().maxRSS / 1024;
      console.log(`BENCH ${JSON.stringify({ ...r, endMs, maxRssMiB })}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    },
  );
}
