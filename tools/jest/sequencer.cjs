// @ts-check
// jest's testSequencer (package.json "jest"): jest's own order (failed first, then longest first by
// the timings in its cache), except that with an empty cache (a fresh clone, CI) the suites known
// to be long still start first instead of last by file size, so no worker idles at the end while
// one of them runs alone. Durations in ms from `npx jest --json` from empty caches on 2 cores; a
// stale entry only changes the order. https://jestjs.io/docs/configuration#testsequencer-string
"use strict";
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

/** @type {Record<string, number>} test file (under test/) → ms */
const KNOWN_LONG = {
  "pulumi-runtime.test.ts": 5800,
  "coexist-stacks.test.ts": 5300,
  "isolation-matrix.test.ts": 4300,
  "stack-names.test.ts": 4100,
  "rehearse-stacks.test.ts": 3600,
  "rehearse-fb96b52.test.ts": 2700,
  "foundation.test.ts": 2600,
  "pr-diff.test.ts": 2200,
  "provider-outputs.test.ts": 1900,
};

class KnownLongFirst extends Sequencer {
  /**
   * jest runs the suites it has no time for first, by size: here every suite has one, the cached
   * time, else the known one, else its size / 100 (a 20 kB file: 200 ms), below the known ones.
   * @param {import("@jest/test-result").Test} test
   */
  time(test) {
    const size = test.context.hasteFS.getSize(test.path) ?? 0;
    return super.time(test) ?? KNOWN_LONG[path.basename(test.path)] ?? size / 100;
  }
}

module.exports = KnownLongFirst;
