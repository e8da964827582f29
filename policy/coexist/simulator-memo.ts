// The one patch of a dependency here, isolated and checked by test/isolation-simulator-memo.test.ts.
// iam-simulate 0.1.173 resolves on every request which of the action's resource types the ARN is
// (simulation_engine/resourceTypes.js → iam-utils 0.1.82 mostSpecificMatchingResourceTypePatterns,
// an intersection of ARN pattern automata): over half of a matrix's time, though it depends only on
// the ARN and the action's patterns, which a matrix repeats for every role. It is remembered.
import { createRequire } from "node:module";
import * as path from "node:path";

type Patterns = (resource: string, patterns: string[]) => string[];

/** iam-utils as iam-simulate loads it, and the module its index re-exports the function from. */
function resourceTypesModule(): { mostSpecificMatchingResourceTypePatterns: Patterns } {
  const fromSimulator = createRequire(require.resolve("@cloud-copilot/iam-simulate"));
  const index = fromSimulator.resolve("@cloud-copilot/iam-utils");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a file the exports map hides
  return require(path.join(path.dirname(index), "resourceTypes.js")) as {
    mostSpecificMatchingResourceTypePatterns: Patterns;
  };
}

let installed: Patterns | undefined;

/** The dependency's own function, once the memo replaced it (for the test that compares them). */
export const unmemoized = (): Patterns | undefined => installed;

/** Installs the memo once; throws, naming what changed, if the dependency's shape is not this. */
export function memoizeResourceTypes(): void {
  if (installed) return;
  const target = resourceTypesModule();
  const original = target.mostSpecificMatchingResourceTypePatterns;
  if (typeof original !== "function") {
    throw new Error(
      "policy/coexist/simulator-memo.ts: @cloud-copilot/iam-utils no longer has resourceTypes.js's mostSpecificMatchingResourceTypePatterns; remove the memo or follow the new shape",
    );
  }
  const answers = new Map<string, string[]>();
  target.mostSpecificMatchingResourceTypePatterns = (resource, patterns) => {
    const key = `${resource}\n${patterns.join("\n")}`;
    if (!answers.has(key)) answers.set(key, original(resource, patterns));
    return [...answers.get(key)!];
  };
  installed = original;
}
