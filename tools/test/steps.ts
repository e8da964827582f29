// What `npm test` runs, two at a time: jest keeps one slot with two workers (its default here is
// one in-band process; loading @pulumi/* per fresh registry dominates, so two nearly halve it), the
// rest share the other. Commands run from the root on npm's PATH, whose `node` is .nvmrc's.
import { stackNames } from "../../stacks/stack-names";

/**
 * One check: a shell command run from the repository root. Its name, unique, is shown before each
 * line of its output and in the summary.
 */
export type Step = { name: string; command: string };

/** For concurrently: two at a time, each check's output printed whole at its end, name-prefixed. */
export const RUN = { maxProcesses: 2, group: true, prefix: "name" } as const;

const program = (file: string, ...args: string[]) =>
  ["node --require ./tools/run/register.cjs", file, ...args].join(" ");

/** A linter over the tree, with a content-keyed cache at `location` under node_modules/.cache. */
const cached = (tool: string, location: string) =>
  `${tool} --cache --cache-strategy content --cache-location node_modules/.cache/${location} .`;

/**
 * Per stack file, its synth as `npm run synth` runs it (the program, with the policy rules). Each
 * stack's rehearsal and each declared pair's coexistence check (`migration:peers`) run once, in
 * jest (test/rehearse-stacks.test.ts, test/coexist-stacks.test.ts) on the synths its global setup
 * made, not again here. Adding a stack adds its step and its suites.
 */
export function stackSteps(stacks: readonly string[]): Step[] {
  return stacks.map((stack) => ({
    name: `synth ${stack}`,
    command: program("tools/synth/main.ts", stack, "--out", `out/${stack}.json`),
  }));
}

export const STEPS: Step[] = [
  { name: "jest", command: "jest --maxWorkers=2" },
  // tsgo: tsc's errors in a third of the time (bench/README.md; typecheck:tsc is tsc). One
  // compile type-checks the tree and writes all of dist/ (not incremental: a file deleted from
  // dist/ comes back), whose library files the consumer check packs: never on a failed build.
  // Second, so type errors show early and the longest check after jest starts first.
  {
    name: "type check and pack",
    command: `tsgo -p tsconfig.json --incremental false && ${program("tools/pack/consumer-check.ts")}`,
  },
  // A content hash per file, so a fresh clone (new mtimes) still hits a warm cache.
  { name: "eslint", command: cached("eslint", "eslint/") },
  { name: "prettier", command: cached("prettier --check", "prettier/cache.json") },
  { name: "workflow lint", command: program("tools/workflows/lint.ts") },
  ...stackSteps(stackNames()),
];
