// jest's globalSetup: synthesizes the committed stacks once per run, not per test file (fresh
// registries: ~0.45 s each for prod2). Workers inherit the env naming the directory
// (https://jestjs.io/docs/configuration#globalsetup-string).
export { writeCommittedSynths as default } from "./committed";
