// jest's globalSetup: synthesizes the committed stacks once per run, not per test file, loading our
// TypeScript as the tests do (setup.cjs). Workers inherit the env naming the directory
// (https://jestjs.io/docs/configuration#globalsetup-string).
"use strict";
require("./setup.cjs");
module.exports = require("./committed.ts").writeCommittedSynths;
