// @ts-check
// jest's stand-ins for modules that @pulumi/pulumi requires when it loads but uses only to
// serialize functions, which no test does (package.json "jest".moduleNameMapper). Every test file
// gets a fresh module registry, so each one compiled them again: the TypeScript compiler
// (typescript-shim.js, 8.9 MB) and npm's Arborist (runtime/closure/codePaths.js), about 0.15 s and
// 0.18 s a file. A stand-in requires the real module the first time anything reads from it: the
// synth's deferred module (tools/run/fast-load.ts), required through jest, which compiles it.
"use strict";
const path = require("node:path");
const { deferredModule } = require("../run/fast-load.ts");

/**
 * A stand-in for the module at `main` of package `name`, loaded on first use. `esModule` is what
 * `__esModule` reads as before then (tools/run/fast-load.ts).
 * @param {string} name @param {string} main @param {boolean} esModule
 */
function lazyModule(name, main, esModule) {
  // By path: the mapper matches the bare name only, and would hand us ourselves.
  const real = path.join(path.dirname(require.resolve(`${name}/package.json`)), main);
  return deferredModule(() => require(real), esModule, false);
}

module.exports = { lazyModule };
