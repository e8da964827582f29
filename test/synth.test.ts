import { synthJson } from "../tools/synth-stack";
import { renderTree } from "../tools/tree";
import { synthStackWith } from "./stack-harness";

test("same config, same synth JSON, byte for byte", async () => {
  const first = synthJson(await synthStackWith("prod2"));
  const second = synthJson(await synthStackWith("prod2"));
  expect(second).toBe(first);
  const parsed = JSON.parse(first) as { stack: string; resources: Record<string, unknown>[] };
  expect(parsed.stack).toBe("prod2");
  for (const r of parsed.resources)
    expect(Object.keys(r)).toEqual(["type", "name", "parent", "inputs"]);
});

test("the tree nests resources under their components and counts them", async () => {
  const result = await synthStackWith("prod");
  const tree = renderTree(result.resources);
  expect(tree.split("\n")[0]).toBe("└─ prod  (eks-blueprint:index:EksBlueprint)");
  expect(tree).toContain("   ├─ prod-cluster  (eks-blueprint:index:Cluster)");
  expect(tree).toContain(`${result.resources.length} resources:`);
  expect(tree).toMatch(/^\s+1 {2}eks:index:ManagedNodeGroup$/m);
});
