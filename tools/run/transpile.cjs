// @ts-check
// TypeScript to CommonJS, file by file, untyped (`npm run typecheck` checks types), for
// tools/run/register.cjs: @swc/core, as jest uses, cached on disk by a hash of all that decides the
// output, so unchanged sources never load swc. `@swc-node/register` and `tsx` cache nothing between
// processes: +0.25 s and +0.45 s over the compiled synth (bench/README.md), past the synth budget.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/**
 * What tsconfig.json asks of tsc (ES2022, so class fields keep define semantics; CommonJS, as
 * package.json has no "type"), an inline source map, and no .swcrc that could change the output.
 * @param {string} filename
 */
const swcOptions = (filename) => ({
  filename,
  swcrc: false,
  configFile: false,
  sourceMaps: /** @type {"inline"} */ ("inline"),
  jsc: {
    parser: { syntax: /** @type {"typescript"} */ ("typescript") },
    target: /** @type {"es2022"} */ ("es2022"),
    keepClassNames: true,
  },
  // ignoreDynamic: `import()` stays, as tsc emits it for node16 (consumer-check imports file URLs).
  module: { type: /** @type {"commonjs"} */ ("commonjs"), ignoreDynamic: true },
});

/** Bumped when swcOptions changes shape, so older cache entries are never read. */
const FORMAT = "2";

/** @type {typeof import("@swc/core") | undefined} */
let swc;
/** Loaded on the first cache miss only: its native binding is most of a cold start's cost. */
const compiler = () => (swc ??= require("@swc/core"));

/**
 * Hash of compiler version, options format, path (the source map names it) and text.
 * @param {string} source @param {string} filename @param {string} version
 */
function cacheKey(source, filename, version) {
  return createHash("sha256")
    .update(`${version}\0${FORMAT}\0${filename}\0`)
    .update(source)
    .digest("hex");
}

/** @type {string | undefined} */
let swcVersion;
/** The installed @swc/core's version, read from its package.json (cheaper than loading it). */
const installedVersion = () =>
  (swcVersion ??= /** @type {{ version: string }} */ (require("@swc/core/package.json")).version);

/**
 * JavaScript for a TypeScript file, cached in `cacheDir` (an unwritable one only costs time).
 * @param {string} source @param {string} filename @param {string | undefined} cacheDir
 */
function transpile(source, filename, cacheDir) {
  if (!cacheDir) return compiler().transformSync(source, swcOptions(filename)).code;
  const key = cacheKey(source, filename, installedVersion());
  const file = path.join(cacheDir, key.slice(0, 2), `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    // Not cached yet.
  }
  const { code } = compiler().transformSync(source, swcOptions(filename));
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a parallel run never reads half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, file);
  } catch {
    // Read-only or full: run uncached.
  }
  return code;
}

module.exports = { cacheKey, swcOptions, transpile };
