// @ts-check
// jest's setupFiles, once per worker of jest-light-runner (package.json "jest"), which runs test
// files in plain Node with one module cache per worker: @pulumi/* load once per worker, not once per
// test file as in jest's own runner. Our TypeScript loads as the npm scripts load it (register.cjs),
// the test file included: the runner `import()`s it, so the hook below hands `.ts` to require.
"use strict";
const Module = require("node:module");
require("../run/register.cjs");
require("../run/fast-load.ts").deferUnusedModules();

// Node's ES module loader would strip types and run `import` syntax as an ES module, whose
// extension-less relative imports fail; format "commonjs" with no source goes to require
// (nodejs.org/api/module.html#loadurl-context-nextload).
/** @type {{ registerHooks(hooks: { load: (url: string, context: object, next: (url: string, context: object) => object) => object }): unknown }} */ (
  /** @type {unknown} */ (Module)
).registerHooks({
  load: (url, context, next) =>
    url.startsWith("file:") && /\.ts(\?.*)?$/.test(url)
      ? { format: "commonjs", source: null, shortCircuit: true }
      : next(url, context),
});

// .ts lines in failures (register.cjs's inline source maps).
process.setSourceMapsEnabled(true);
// @pulumi/pulumi takes a trace per promise (runtime/debuggable.js, `debuggablePromise`): keep them
// at Node's 10 frames.
Error.stackTraceLimit = 10;
