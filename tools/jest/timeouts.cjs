// @ts-check
// jest's setupFilesAfterEnv: jest-light-runner runs tests and hooks without jest's timeouts, so a
// hung one would hold `npm test` until the workflow's timeout-minutes, naming nothing. Each test
// and hook here fails after LIMIT ms (or its own timeout argument), naming itself.
"use strict";

const LIMIT = 60_000;

/**
 * `fn` (sync or async; no done callback here), failing once `ms` pass unsettled.
 * @param {(...args: unknown[]) => unknown} fn @param {number} ms @param {string} what
 */
const bounded = (fn, ms, what) =>
  function (/** @type {unknown[]} */ ...args) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
    });
    const run = Promise.resolve().then(() => fn.apply(this, args));
    return Promise.race([run, late]).finally(() => clearTimeout(timer));
  };

/** @typedef {(name: string, fn?: (...args: unknown[]) => unknown, ms?: number) => unknown} TestFn */
/** @param {TestFn & { each: (...table: unknown[]) => TestFn }} test */
function boundedTest(test) {
  /** @type {TestFn} */
  const wrapped = (name, fn, ms) =>
    test(name, fn && bounded(fn, ms ?? LIMIT, `test "${name}"`), ms);
  return Object.assign(wrapped, test, {
    each:
      (/** @type {unknown[]} */ ...table) =>
      (
        /** @type {string} */ name,
        /** @type {(...a: unknown[]) => unknown} */ fn,
        /** @type {number=} */ ms,
      ) =>
        test.each(...table)(name, bounded(fn, ms ?? LIMIT, `test "${name}"`), ms),
  });
}

const g = /** @type {Record<string, any>} */ (globalThis);
g.test = boundedTest(g.test);
g.it = boundedTest(g.it);
for (const hook of ["beforeAll", "afterAll", "beforeEach", "afterEach"]) {
  const original = g[hook];
  g[hook] = (/** @type {(...a: unknown[]) => unknown} */ fn, /** @type {number=} */ ms) =>
    original(bounded(fn, ms ?? LIMIT, hook), ms);
}

module.exports = { bounded, LIMIT };
