// jest's globalTeardown: removes the synths global-setup.cjs wrote.
"use strict";
require("./setup.cjs");
module.exports = require("./committed.ts").removeCommittedSynths;
