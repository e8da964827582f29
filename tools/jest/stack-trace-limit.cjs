// jest's setupFiles (package.json "jest"): each test file's Error.stackTraceLimit back to Node's
// default of 10. jest raises it to 100 (jest-environment-node), and @pulumi/pulumi records a stack
// trace for every promise it makes (runtime/debuggable.js, `debuggablePromise`: `new Error().stack`),
// which jest's source-map support then rewrites frame by frame: up to 100 frames for each of the
// thousands of promises one synth makes, a tenth of the whole jest run's time. A failing test's
// trace keeps the ten innermost frames, as it would outside jest.
"use strict";
Error.stackTraceLimit = 10;
