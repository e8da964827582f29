// jest's `typescript` (tools/jest/lazy.cjs says why): the real compiler on first use.
"use strict";
module.exports = require("./lazy.cjs").lazyModule("typescript", "lib/typescript.js", false);
