// @ts-check
// jest's testSequencer (package.json "jest"): jest's own order (failed first, then longest first by
// the timings in its cache, else by size), except that test/pulumi-runtime.test.ts runs last: the
// program run it reads, started by the global setup (program-run.ts), runs beside the others.
// https://jestjs.io/docs/configuration#testsequencer-string
"use strict";
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const LAST = "pulumi-runtime.test.ts";

class RuntimeLast extends Sequencer {
  /** @param {import("@jest/test-result").Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const last = (/** @type {import("@jest/test-result").Test} */ t) =>
      Number(path.basename(t.path) === LAST);
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}

module.exports = RuntimeLast;
