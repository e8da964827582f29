// For the bench's child programs (split.ts, clusters.ts): fresh processes, one BENCH line each.
import Module from "node:module";

/**
 * Times every outermost `require`, telling module loading from evaluation even mid-program
 * (@pulumi/aws submodules load on first use). Install before enableFastLoad to time deferred ones.
 */
export function moduleLoadTimer(): { ms: () => number } {
  const loader = Module as unknown as { _load: (this: unknown, ...args: unknown[]) => unknown };
  const load = loader._load;
  let depth = 0;
  let total = 0;
  loader._load = function (...args) {
    const start = depth++ === 0 ? performance.now() : undefined;
    try {
      return load.apply(this, args);
    } finally {
      depth--;
      if (start !== undefined) total += performance.now() - start;
    }
  };
  return { ms: () => total };
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
