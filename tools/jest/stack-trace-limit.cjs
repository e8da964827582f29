// jest's setupFiles: Error.stackTraceLimit back to Node's 10 from jest-environment-node's 100.
// @pulumi/pulumi takes a trace per promise (runtime/debuggable.js, `debuggablePromise`:
// `new Error().stack`), which jest's source maps rewrite frame by frame: a tenth of the jest run.
"use strict";
Error.stackTraceLimit = 10;
