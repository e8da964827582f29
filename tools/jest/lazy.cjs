// @ts-check
// jest's stand-ins for modules that @pulumi/pulumi requires when it loads but uses only to
// serialize functions, which no test does (package.json "jest".moduleNameMapper). Every test file
// gets a fresh module registry, so each one compiled them again: the TypeScript compiler
// (typescript-shim.js, 8.9 MB) and npm's Arborist (runtime/closure/codePaths.js), about 0.15 s and
// 0.18 s a file. A stand-in requires the real module the first time anything reads from it; the
// same idea as the synth's deferred modules (tools/synth/main.ts).
"use strict";
const path = require("node:path");

/**
 * A proxy for the module at `main` of package `name`, loaded on first use. `esModule` is what
 * `__esModule` reads as before then, so tsc's __importStar returns the proxy instead of copying
 * every key (which would load the module at once).
 * @param {string} name @param {string} main @param {boolean} esModule
 */
function lazyModule(name, main, esModule) {
  // By path: the mapper matches the bare name only, and would hand us ourselves.
  const real = path.join(path.dirname(require.resolve(`${name}/package.json`)), main);
  /** @type {object | undefined} */
  let loaded;
  const target = () => (loaded ??= require(real));
  return new Proxy(
    {},
    {
      get: (_, key) =>
        key === "__esModule" && loaded === undefined
          ? esModule || undefined
          : Reflect.get(target(), key),
      has: (_, key) => key in target(),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Reflect.getOwnPropertyDescriptor(target(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
}

module.exports = { lazyModule };
