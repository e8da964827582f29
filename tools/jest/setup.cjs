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
// (nodejs.org/api/module.html#loadurl-context-nextload), which ignores the URL's query.
const { registerHooks } =
  /** @type {{ registerHooks?(hooks: { load: (url: string, context: object, next: (url: string, context: object) => object) => object }): unknown }} */ (
    /** @type {unknown} */ (Module)
  );
if (!registerHooks) {
  throw new Error(
    `jest needs Node >= 22.15 (module.registerHooks), not ${process.version}: run it through npm (npm test, npx jest), whose node is the project's`,
  );
}
registerHooks({
  load: (url, context, next) =>
    url.startsWith("file:") && /\.ts([?#].*)?$/.test(url)
      ? { format: "commonjs", source: null, shortCircuit: true }
      : next(url, context),
});

// In band every test file shares this process, which an unhandled rejection would end with no
// summary: report it and fail the run instead (jest keeps a non-zero process.exitCode).
process.on("unhandledRejection", (reason) => {
  console.error("jest: unhandled rejection:", reason);
  process.exitCode = 1;
});

// .ts lines in failures (register.cjs's inline source maps).
process.setSourceMapsEnabled(true);
// @pulumi/pulumi takes a trace per promise (runtime/debuggable.js, `debuggablePromise`): keep them
// at Node's 10 frames.
Error.stackTraceLimit = 10;
