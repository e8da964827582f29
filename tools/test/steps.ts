// What `npm test` runs (tools/test/main.ts): every check, two at a time.
//
// Jest is first, so it takes one of the two slots for the whole run, with two workers of its
// own (its default here, the core count less one, is a single in-band process; most of a suite's
// time is loading @pulumi/* into its fresh module registry, so two workers nearly halve it). The
// other checks take the second slot one after another: together they take about as long as jest.
// Each command runs from the repository root with the npm script's PATH, whose `node` is the dev
// dependency's (.nvmrc) and which has node_modules/.bin; the TypeScript programs run from their
// sources.

/** One check: a shell command run from the repository root. */
export interface Step {
  /** Shown before each line of its output and in the summary; unique. */
  name: string;
  command: string;
}

/**
 * How concurrently runs them: two at a time (the first step, jest, in one slot throughout), each
 * check's output held until it ends and printed whole, every line prefixed with the check's name.
 */
export const RUN = { maxProcesses: 2, group: true, prefix: "name" } as const;

/** A TypeScript program run from its source with tools/run/register.cjs. */
const program = (file: string, ...args: string[]) =>
  ["node --require ./tools/run/register.cjs", file, ...args].join(" ");

/** eslint and prettier keep their caches beside the others, under node_modules/.cache. */
const CACHE = "node_modules/.cache";

export const STEPS: Step[] = [
  { name: "jest", command: "jest --maxWorkers=2" },
  // The native compiler: the same errors as tsc on this tree in a third of the time
  // (bench/README.md). `npm run typecheck:tsc` runs tsc itself.
  { name: "type check", command: "tsgo --noEmit -p tsconfig.json" },
  // A content hash per file, so a fresh clone (new mtimes) still hits a warm cache.
  {
    name: "eslint",
    command: `eslint --cache --cache-strategy content --cache-location ${CACHE}/eslint/ .`,
  },
  {
    name: "prettier",
    command: `prettier --check --cache --cache-strategy content --cache-location ${CACHE}/prettier/cache.json .`,
  },
  { name: "workflow lint", command: program("tools/workflows/lint.ts") },
  { name: "synth prod", command: program("tools/synth/main.ts", "prod", "--out", "out/prod.json") },
  {
    name: "synth prod2",
    command: program("tools/synth/main.ts", "prod2", "--out", "out/prod2.json"),
  },
  { name: "rehearse prod", command: program("tools/rehearse/main.ts", "prod", "--no-order") },
  { name: "rehearse prod2", command: program("tools/rehearse/main.ts", "prod2", "--no-order") },
  { name: "coexist", command: program("tools/coexist/main.ts", "prod", "prod2") },
  // The library as `npm pack` ships it (tsconfig.build.json), then the check that packs it: one
  // command, so the check never starts on a build that failed or is still running.
  {
    name: "pack",
    command: `tsgo -p tsconfig.build.json && ${program("tools/pack/consumer-check.ts")}`,
  },
];
