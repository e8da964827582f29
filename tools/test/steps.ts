// What `npm test` runs (tools/test/main.ts): every check, in two lanes that run side by side.
//
// Jest has a lane of its own with two workers (its default here, the core count less one, is a
// single in-band process; most of a suite's time is loading @pulumi/* into its fresh module
// registry, so two workers nearly halve it). The other checks run one after another beside it:
// they take less than half as long, so the two lanes share the 2 cores for their first part.
// Each is a program started from the repository root with the npm script's PATH, whose
// `node` is the dev dependency's (.nvmrc); the TypeScript programs run from their sources.

/** One check: a command and its arguments, run from the repository root. */
export interface Step {
  /** Shown in the summary; unique. */
  label: string;
  command: string;
  args: string[];
  /** The label of a step that must pass first (its output is this step's input). */
  needs?: string;
}

/** `node` with tools/run/register.cjs: a TypeScript program run from its source. */
const program = (label: string, file: string, ...args: string[]): Step => ({
  label,
  command: "node",
  args: ["--require", "./tools/run/register.cjs", file, ...args],
});
/** A tool from node_modules/.bin. */
const bin = (label: string, name: string, ...args: string[]): Step => ({
  label,
  command: `node_modules/.bin/${name}`,
  args,
});

/** eslint and prettier keep their caches beside the others, under node_modules/.cache. */
const CACHE = "node_modules/.cache";

export const LANES: Step[][] = [
  [bin("jest", "jest", "--maxWorkers=2")],
  [
    // The native compiler: the same errors as tsc on this tree in a third of the time
    // (bench/README.md). `npm run typecheck:tsc` runs tsc itself.
    bin("type check (tsgo)", "tsgo", "--noEmit", "-p", "tsconfig.json"),
    // A content hash per file, so a fresh clone (new mtimes) still hits a warm cache.
    bin(
      "eslint",
      "eslint",
      "--cache",
      "--cache-strategy",
      "content",
      "--cache-location",
      `${CACHE}/eslint/`,
      ".",
    ),
    bin(
      "prettier",
      "prettier",
      "--check",
      "--cache",
      "--cache-strategy",
      "content",
      "--cache-location",
      `${CACHE}/prettier/cache.json`,
      ".",
    ),
    program("workflow lint", "tools/workflows/lint.ts"),
    program("synth prod", "tools/synth/main.ts", "prod", "--out", "out/prod.json"),
    program("synth prod2", "tools/synth/main.ts", "prod2", "--out", "out/prod2.json"),
    program("rehearse prod", "tools/rehearse/main.ts", "prod", "--no-order"),
    program("rehearse prod2", "tools/rehearse/main.ts", "prod2", "--no-order"),
    program("coexist prod prod2", "tools/coexist/main.ts", "prod", "prod2"),
    // tsc, not tsgo: it writes the declarations the package ships (tsconfig.build.json: the
    // library only, which is all `npm pack` takes).
    bin("build the library (tsc)", "tsc", "-p", "tsconfig.build.json"),
    {
      ...program("consumer check", "tools/pack/consumer-check.ts"),
      needs: "build the library (tsc)",
    },
  ],
];
