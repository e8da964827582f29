// Weights never pass 0/0: the deploy order follows the direction of the change, and a change
// whose way passes through all-zero weights is refused, rollback included.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { deployOrder, weightStates, zeroStates } from "../policy/coexist/weight-path";
import { ROOT } from "../synth/stack-files";
import { deployPlan, main } from "../tools/workflows/deploy-order";
import { UsageError } from "../tools/run/args";
import { committedConfig } from "./stack-harness";
import { printed } from "./printed";

const P = "eks-blueprint-prod";
const P2 = "eks-blueprint-prod2";
const w = (prod: number, prod2: number) => ({ prod: { [P]: prod }, prod2: { [P2]: prod2 } });

test.each([
  ["the canary's first stage", w(100, 0), w(99, 1), ["prod2", "prod"]],
  ["the last stage", w(50, 50), w(0, 100), ["prod2", "prod"]],
  ["the rollback from (0, 100)", w(0, 100), w(100, 0), ["prod", "prod2"]],
  ["a rollback stage", w(10, 90), w(50, 50), ["prod", "prod2"]],
  ["no weight change", w(100, 0), w(100, 0), ["prod2", "prod"]],
])("%s: the stack whose weight rises goes first", (_, before, after, order) => {
  expect(deployOrder(["prod2", "prod"], before, after)).toEqual(order);
});

test("every state on the way: before, the first stack applied, the end", () => {
  expect(weightStates(["prod", "prod2"], w(0, 100), w(100, 0))).toEqual([
    { [P]: 0, [P2]: 100 },
    { [P]: 100, [P2]: 100 },
    { [P]: 100, [P2]: 100 },
    { [P]: 100, [P2]: 0 },
    { [P]: 100, [P2]: 0 },
  ]);
});

test.each([
  [
    "the rollback in the old fixed order (prod2 first)",
    ["prod2", "prod"],
    w(0, 100),
    w(100, 0),
    [`${P}=0, ${P2}=0`],
  ],
  ["the rollback in deploy order", ["prod", "prod2"], w(0, 100), w(100, 0), []],
  [
    "a forward move in the wrong order",
    ["prod", "prod2"],
    w(100, 0),
    w(0, 100),
    [`${P}=0, ${P2}=0`],
  ],
  [
    "one stack moving its own record and a peer's in one update",
    ["prod2"],
    { prod2: { [P2]: 100, legacy: 0 } },
    { prod2: { [P2]: 0, legacy: 100 } },
    [`${P2}=0, legacy=0`],
  ],
  [
    "a stack joining at 0 beside one at 100",
    ["prod2", "prod"],
    { prod: { [P]: 100 } },
    w(100, 0),
    [],
  ],
])("%s: all-zero states %j", (_, order, before, after, zero) => {
  expect(zeroStates(weightStates(order, before, after))).toEqual(zero);
});

/** A directory holding the project file and the committed stacks with these weights. */
function commit(weights: { prod: number; prod2: number }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "deploy-order-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), readFileSync(path.join(ROOT, "Pulumi.yaml")));
  for (const stack of ["prod", "prod2"] as const) {
    const config = { ...committedConfig(stack), "migration:weight": weights[stack] };
    writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
  }
  return dir;
}

test("deploy.yml's plan from the committed files: the rollback goes prod first", () => {
  expect(
    deployPlan(["prod2", "prod"], commit({ prod: 0, prod2: 100 }), commit({ prod: 100, prod2: 0 })),
  ).toEqual({
    order: ["prod", "prod2"],
    zero: [],
  });
});

test("deploy.yml's plan from the sorted list: without a rise, the stack serving least goes first", () => {
  const same = commit({ prod: 100, prod2: 0 });
  expect(deployPlan(["prod", "prod2"], same, same)).toEqual({ order: ["prod2", "prod"], zero: [] });
});

test("deploy.yml's plan: a commit that ends at 0/0 is refused, and the CLI exits 1 naming it", () => {
  const base = commit({ prod: 100, prod2: 0 });
  expect(deployPlan(["prod2", "prod"], base, commit({ prod: 0, prod2: 0 })).zero).toEqual([
    `${P}=0, ${P2}=0`,
  ]);
  const { logs, errors } = printed(() => {
    // The working tree is the committed (prod 100, prod2 0): from (0, 100) that is the rollback.
    expect(main(["--base", commit({ prod: 0, prod2: 100 }), "prod2", "prod"])).toBe(0);
    const head = commit({ prod: 0, prod2: 0 });
    expect(main(["--base", base, "--head", head, "prod2", "prod"])).toBe(1);
    // A UsageError (toThrow compares the class too): runMain prints the message, exit 2.
    expect(() => main(["prod2"])).toThrow(
      new UsageError(
        "usage: node dist/tools/workflows/deploy-order.js --base <parent dir> [--head <dir>] <stack>...",
      ),
    );
  });
  expect(logs).toEqual(['order=["prod","prod2"]']);
  expect(errors).toEqual([
    `updating prod2 then prod passes through every weight at 0 (${P}=0, ${P2}=0), which Route 53 answers as an even split: raise the serving side in one commit and lower the other in the next`,
  ]);
});
