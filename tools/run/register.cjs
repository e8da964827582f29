// @ts-check
// `node --require ./tools/run/register.cjs <file.ts>`: runs our TypeScript with no build step, for
// the npm scripts and the Pulumi CLI (Pulumi.yaml runtime.options.nodeargs). Installs a `.ts`
// loader (transpile.cjs, cached in node_modules/.cache/eks-blueprint/ts) and Node's compile cache,
// for libraries too (module.enableCompileCache, Node >= 22.8; nodejs.org/api/module.html, "Module
// compile cache"). EKS_BLUEPRINT_TS_CACHE, EKS_BLUEPRINT_COMPILE_CACHE: 0 is off, a dir moves it.
// Pulumi.yaml or NODE_OPTIONS sets --enable-source-maps (.ts lines in traces, +0.1 s a start).
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

// Replaces Node's `.ts` handler (type stripping rejects enums, parameter properties, `export =`,
// and runs import syntax as ES modules). Nothing requires a .d.ts.
/** @type {Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>} */ (
  /** @type {unknown} */ (Module._extensions)
)[".ts"] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename, tsCache), filename);
};
