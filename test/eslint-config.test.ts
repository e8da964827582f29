import * as path from "node:path";
import { Linter } from "eslint";

// The lint rule that keeps imports one way: components ← stacks ← synth ← policy ← tools.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS
const config = require("../eslint.config.cjs") as Linter.Config[];
const root = path.join(__dirname, "..");
const linter = new Linter({ configType: "flat", cwd: root });
const restricted = (file: string, spec: string) =>
  linter
    .verify(`import { X } from "${spec}";\nexport const Y = X;\n`, config, path.join(root, file))
    .filter((m) => m.ruleId === "no-restricted-imports")
    .map((m) => m.message);

test.each([
  ["policy/rehearse/rules/x.ts", "../../../tools/synth/main", "policy/ may not import from tools/"],
  ["policy/x.ts", "../tools/workflows/lint", "policy/ may not import from tools/"],
  ["synth/x.ts", "../policy/rules", "synth/ may not import from policy/, tools/"],
  ["stacks/x.ts", "../synth/record", "stacks/ may not import from synth/, policy/, tools/"],
  ["components/x.ts", "../stacks", "components/ may not import from stacks/, synth/"],
  ["components/addons/karpenter/x.ts", "../../../policy/types", "components/ may not"],
  ["synth/mocks.ts", "./record", "synth/mocks.ts imports nothing of ours"],
])("%s may not import %s", (file, spec, says) => {
  const found = restricted(file, spec);
  expect(found).toHaveLength(1);
  expect(found[0]).toContain(says);
});

test.each([
  ["tools/x.ts", "../policy/rules"],
  ["policy/x.ts", "../synth/record"],
  ["synth/x.ts", "../stacks"],
  ["stacks/x.ts", "../components/problems"],
  ["components/addons/karpenter/x.ts", "../../access/irsa-policy"],
  ["components/addons/x.ts", "./policy"],
])("%s may import %s", (file, spec) => {
  expect(restricted(file, spec)).toEqual([]);
});
