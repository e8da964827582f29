// jest's globalTeardown (package.json "jest"): removes the synths tools/jest/global-setup.ts wrote.
export { removeCommittedSynths as default } from "./committed";
