// @ts-check
// jest's testSequencer (package.json "jest"): jest's own order (failed first, then longest first by
// the timings in its cache, else by size), except that the tests reading a background run
// (background.ts) run last, so their runs, started by the global setup, run beside the others.
// https://jestjs.io/docs/configuration#testsequencer-string
"use strict";
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

require("./setup.cjs");
const { BACKGROUND, BACKGROUND_WANTED } = require("./background.ts");

class BackgroundLast extends Sequencer {
  /** @param {import("@jest/test-result").Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const last = (/** @type {import("@jest/test-result").Test} */ t) =>
      Number(path.basename(t.path) in BACKGROUND);
    process.env[BACKGROUND_WANTED] = sorted
      .filter(last)
      .map((t) => path.basename(t.path))
      .join(",");
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}

module.exports = BackgroundLast;
