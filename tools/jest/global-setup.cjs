// jest's globalSetup: synthesizes the committed stacks once per run, not per test file, loading our
// TypeScript as the tests do (setup.cjs). Workers inherit the env naming the directory
// (https://jestjs.io/docs/configuration#globalsetup-string). In band (this process runs the
// tests) it then starts the background runs of the tests in this run (background.ts).
"use strict";
require("./setup.cjs");
const { writeCommittedSynths } = require("./committed.ts");
const { BACKGROUND_WANTED, backgroundRun } = require("./background.ts");

/** @param {{ maxWorkers: number, watch: boolean, watchAll: boolean }} globalConfig */
module.exports = async (globalConfig) => {
  const inBand = globalConfig.maxWorkers === 1;
  if (inBand && (globalConfig.watch || globalConfig.watchAll)) {
    // jest-light-runner keeps one module cache in band: a rerun would see the old code.
    throw new Error("jest --watch reloads nothing in band here: add --maxWorkers=2");
  }
  await writeCommittedSynths();
  if (!inBand) return;
  for (const test of (process.env[BACKGROUND_WANTED] ?? "").split(",").filter(Boolean)) {
    void backgroundRun(test);
  }
};
