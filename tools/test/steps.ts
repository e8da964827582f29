// What `npm test` runs, two at a time: jest keeps one slot, in band (jest-light-runner: one module
// cache for the global setup and every test file; a second worker loads it all again, ~10 s of CPU
// more on two cores for no shorter run), the rest share the other. Commands run from the root on
// npm's PATH, whose `node` is .nvmrc's.
import * as path from "node:path";
import { ROOT } from "../../synth/stack-files";

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

/** eslint's cache: there once `npm test` has run since the caches were emptied. */
export const LINT_CACHE = path.join(ROOT, "node_modules", ".cache", "eslint");

export const STEPS: Step[] = [
  { name: "jest", command: "jest --runInBand" },
  // tsgo: tsc's errors in a third of the time (bench/README.md; typecheck:tsc is tsc). One
  // compile type-checks the tree and writes all of dist/ (not incremental: a file deleted from
  // dist/ comes back), whose library files the consumer check packs: never on a failed build.
  // One thread: a third less CPU, and both cores are busy anyway. Second, so type errors show
  // early and the longest check after jest starts first.
  {
    name: "type check and pack",
    command: `tsgo -p tsconfig.json --incremental false --singleThreaded && ${program("tools/pack/consumer-check.ts")}`,
  },
  // A content hash per file, so a fresh clone (new mtimes) still hits a warm cache.
  { name: "eslint", command: cached("eslint", "eslint/") },
  { name: "prettier", command: cached("prettier --check", "prettier/cache.json") },
  { name: "workflow lint", command: program("tools/workflows/lint.ts") },
];
