// jest's `@npmcli/arborist` (tools/jest/lazy.cjs says why): the real module on first use.
"use strict";
module.exports = require("./lazy.cjs").lazyModule("@npmcli/arborist", "lib/index.js", true);
