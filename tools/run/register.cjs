// @ts-check
// `node --require ./tools/run/register.cjs <file.ts>`: runs this repository's TypeScript sources
// as they are, with no build step. The npm scripts start every program this way, and so does the
// Pulumi CLI (Pulumi.yaml: runtime.options.nodeargs, with `main: index.ts`).
//
// It installs one thing: a CommonJS loader for `.ts` files (tools/run/transpile.cjs, whose output
// is cached under node_modules/.cache/eks-blueprint/ts). It also turns on Node's own compile cache
// (module.enableCompileCache, Node >= 22.8), so a program's second start reuses V8's code for the
// libraries as well as for our transpiled files: Node caches every CommonJS module it compiles,
// keyed by its contents (nodejs.org/api/module.html, "Module compile cache"). EKS_BLUEPRINT_TS_CACHE=0 and
// EKS_BLUEPRINT_COMPILE_CACHE=0 turn the caches off; either set to a directory moves that cache.
// Stack traces name .ts files with the lines of the compiled code; --enable-source-maps maps them
// to .ts lines (each file carries an inline source map), at about +0.1 s a start, since Node then
// reads the source maps of every library module too. Pulumi.yaml's nodeargs turn it on for
// `pulumi preview` and `up`; for an npm script, NODE_OPTIONS=--enable-source-maps does.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { transpile } = require("./transpile.cjs");

const cacheRoot = path.join(__dirname, "..", "..", "node_modules", ".cache", "eks-blueprint");
/** @param {string | undefined} setting @param {string} fallback */
const cacheDir = (setting, fallback) =>
  setting === "0" ? undefined : setting || path.join(cacheRoot, fallback);

const tsCache = cacheDir(process.env.EKS_BLUEPRINT_TS_CACHE, "ts");
const compileCache = cacheDir(process.env.EKS_BLUEPRINT_COMPILE_CACHE, "compile");
// Absent before Node 22.8 (and from @types/node 20): then modules simply load uncached.
const { enableCompileCache } = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (
  Module
);
if (compileCache) enableCompileCache?.(compileCache);

// Replaces Node's own `.ts` handler (type stripping, which rejects enums, parameter properties
// and `export =`, and runs files with import syntax as ES modules) for ours. Declaration files
// never reach it: nothing requires a .d.ts.
/** @type {Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>} */ (
  /** @type {unknown} */ (Module._extensions)
)[".ts"] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename, tsCache), filename);
};
