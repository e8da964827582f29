import * as path from "node:path";
import { Linter } from "eslint";

// The lint rule that keeps imports one way: components ← stacks ← synth ← policy ← tools.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS
const config = require("../eslint.config.cjs") as Linter.Config[];
const root = path.join(__dirname, "..");
const linter = new Linter({ configType: "flat", cwd: root });
const restricted = (file: string, source: string, rule = "layers/import-order") =>
  linter
    .verify(source, config, path.join(root, file))
    .filter((m) => m.ruleId === rule && m.severity === 2)
    .map((m) => m.message);
const importing = (spec: string) => `import { X } from "${spec}";\nexport const Y = X;\n`;

test.each([
  ["policy/rehearse/rules/x.ts", "../../../tools/synth/main", "policy/ may not import from tools/"],
  ["policy/x.ts", "../tools/workflows/lint", "policy/ may not import from tools/"],
  ["policy/x.ts", "./../tools/x", "policy/ may not import from tools/"],
  ["synth/x.ts", "../policy/rules", "synth/ may not import from policy/"],
  ["stacks/x.ts", "../synth/record", "stacks/ may not import from synth/"],
  ["components/x.ts", "../stacks", "components/ may not import from stacks/"],
  ["components/addons/karpenter/x.ts", "../../../policy/types", "components/ may not"],
  ["components/a/b/c/d/e/x.ts", "../../../../../../tools/x", "components/ may not"],
  ["components/x.ts", "../index", "nothing imports the program entry"],
  ["components/x.ts", "..", "nothing imports the program entry"],
  ["components/x.ts", "../", "nothing imports the program entry"],
  ["components/x.ts", "../test/upstream", "components/ imports only from the layers"],
  ["synth/mocks.ts", "./record", "synth/mocks.ts imports nothing of ours"],
])("%s may not import %s", (file, spec, says) => {
  const found = restricted(file, importing(spec));
  expect(found).toHaveLength(1);
  expect(found[0]).toContain(says);
});

test.each([
  ["require", 'const x = require("../tools/x");\nexport default x;\n'],
  ["import()", 'export const x = import("../tools/x");\n'],
  ["export from", 'export { x } from "../tools/x";\n'],
  ["typeof import()", 'export type X = typeof import("../tools/x");\n'],
  ["import = require()", 'import x = require("../tools/x");\nexport default x;\n'],
  ["import() of a template", "export const x = import(`../tools/x`);\n"],
])("every form of import is checked: %s", (_form, source) => {
  expect(restricted("policy/x.ts", source)).toEqual([
    "policy/ may not import from tools/: imports run components ← stacks ← synth ← policy ← tools.",
  ]);
});

test("plain JavaScript in a layer is checked too", () => {
  expect(restricted("policy/x.cjs", 'module.exports = require("../tools/x");\n')).toHaveLength(1);
});

test.each([
  ["tools/x.ts", "../policy/rules"],
  ["policy/x.ts", "../synth/record"],
  ["synth/x.ts", "../stacks"],
  ["stacks/x.ts", "../components/problems"],
  ["components/addons/karpenter/x.ts", "../../access/irsa-policy"],
  ["components/addons/x.ts", "./policy"],
  ["components/addons/karpenter/x.ts", "../index"],
])("%s may import %s", (file, spec) => {
  expect(restricted(file, importing(spec))).toEqual([]);
});

// What the library and the stacks tell the type checker is checked, not asserted; any layer's
// file stays one concept.
test.each([
  [
    "components/x.ts",
    "@typescript-eslint/no-non-null-assertion",
    "export const f = (x?: number) => x!;\n",
    1,
  ],
  [
    "stacks/x.ts",
    "@typescript-eslint/consistent-type-assertions",
    "export const f = (x: unknown) => x as number;\n",
    1,
  ],
  [
    "policy/x.ts",
    "@typescript-eslint/consistent-type-assertions",
    "export const f = (x: unknown) => x as number;\n",
    0,
  ],
  ["tools/x.ts", "max-lines", "export const x = 1;\n".repeat(351), 1],
  ["tools/x.ts", "max-lines", "export const x = 1;\n".repeat(350), 0],
])("%s: %s, %#", (file, rule, source, count) => {
  expect(restricted(file, source, rule)).toHaveLength(count);
});
