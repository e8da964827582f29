// @ts-check
// TypeScript to CommonJS for Node, one file at a time, with no type check: the compiler is
// @swc/core (the one jest already transforms the tests with), and its output is kept on disk by a
// hash of everything that decides it, so a run whose sources did not change never loads swc.
// tools/run/register.cjs installs it; `npm run typecheck` (tsgo) is where types are checked.
//
// Why not a ready-made register: `@swc-node/register` and `tsx` keep nothing between processes
// and cost +0.25 s and +0.45 s over the compiled synth on this 2-core machine (bench/README.md),
// which alone is more than the whole budget the README synth has over the bare one.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/**
 * The swc options: what tsconfig.json asks of tsc (target ES2022, so class fields keep define
 * semantics; CommonJS, since package.json has no "type"), an inline source map (read when Node
 * runs with --enable-source-maps), and no .swcrc lookup, so nothing else changes the output.
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
  // ignoreDynamic: `import()` stays a real dynamic import, as tsc emits it for module node16
  // (the consumer check imports the example's build by file URL, which require cannot load).
  module: { type: /** @type {"commonjs"} */ ("commonjs"), ignoreDynamic: true },
});

/** Bumped when swcOptions changes shape, so older cache entries are never read. */
const FORMAT = "2";

/** @type {typeof import("@swc/core") | undefined} */
let swc;
/** Loaded on the first cache miss only: its native binding is most of a cold start's cost. */
const compiler = () => (swc ??= require("@swc/core"));

/**
 * The cache entry's name: a hash of the compiler version, the options' format, the file's path
 * (the source map names it) and its text.
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
 * JavaScript for one TypeScript file: from `cacheDir` when an earlier run compiled the same text,
 * else from swc, then stored. A cache that cannot be written (read-only checkout) only costs time.
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
