// @ts-check
// jest's stand-ins (package.json "jest".moduleNameMapper) for what @pulumi/pulumi loads only to
// serialize functions, which no test does: TypeScript (typescript-shim.js, 8.9 MB) and npm's
// Arborist (runtime/closure/codePaths.js), ~0.15 s and 0.18 s per test file (fresh registries). The
// real module loads on first read: fast-load.ts's deferredModule.
"use strict";
const path = require("node:path");
const { deferredModule } = require("../run/fast-load.ts");

/**
 * Package `name`'s module at `main`, loaded on first use; `esModule` as in fast-load.ts.
 * @param {string} name @param {string} main @param {boolean} esModule
 */
function lazyModule(name, main, esModule) {
  // By path: the mapper matches the bare name only, and would hand us ourselves.
  const real = path.join(path.dirname(require.resolve(`${name}/package.json`)), main);
  return deferredModule(() => require(real), esModule, false);
}

module.exports = { lazyModule };
