// jest's globalSetup: synthesizes the committed stacks once per run, not per test file, loading our
// TypeScript as the tests do (setup.cjs). Workers inherit the env naming the directory
// (https://jestjs.io/docs/configuration#globalsetup-string). In band (this process runs the
// tests), it then starts the program run test/pulumi-runtime.test.ts reads (program-run.ts).
"use strict";
require("./setup.cjs");
const { writeCommittedSynths } = require("./committed.ts");
const { programRun } = require("./program-run.ts");

/** @param {{ maxWorkers: number }} globalConfig */
module.exports = async (globalConfig) => {
  await writeCommittedSynths();
  if (globalConfig.maxWorkers === 1) void programRun();
};
