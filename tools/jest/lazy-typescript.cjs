// @ts-check
// jest's stand-in for `typescript` (package.json "jest".moduleNameMapper). Every test file gets a
// fresh module registry, and @pulumi/pulumi requires the TypeScript compiler (8.9 MB) when it
// loads, only to serialize functions (typescript-shim.js), which no test does: compiling it again
// for each of the test files cost seconds. This requires the real compiler the first time anything
// reads from it (test/public-api.test.ts does).
"use strict";
const path = require("node:path");
// By a path the mapper does not match (it maps the bare name only, and would map us to ourselves).
const real = path.join(
  path.dirname(require.resolve("typescript/package.json")),
  "lib",
  "typescript.js",
);
/** @type {object | undefined} */
let loaded;
const target = () => (loaded ??= require(real));
module.exports = new Proxy(
  {},
  {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
  },
);
