import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import {
  launchTemplateTagSpecifications,
  nodeGroupNamePrefix,
  nodeGroupNameProblems,
} from "../components/compute/node-group-identity";
import { blueGreenProblems } from "../components/compute/node-group-problems";
import type { NodeGroupSpec } from "../components/compute/node-group-settings";
import { NodeGroups, NodeGroupsArgs } from "../components/compute/node-groups";
import { SynthError, synthesize } from "../synth/synthesize";
import type { SynthResult } from "../synth/record";
import { byType, committedSynth, one, synthStackWith } from "./stack-harness";
import type { KubernetesMinor } from "../components/cluster/kubernetes-versions";

const general: NodeGroupSpec = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 };
const graviton: NodeGroupSpec = {
  architecture: "arm64",
  instanceTypes: ["m7g.xlarge", "m6g.xlarge"],
  capacityType: "SPOT",
  minSize: 0,
  maxSize: 5,
};

type Overrides = Partial<Omit<NodeGroupsArgs, "cluster">>;

/** Synthesizes one NodeGroups on a mocked cluster; `names` resolves to the group names EKS gives. */
async function synthNodeGroups(overrides: Overrides = {}): Promise<{
  result: SynthResult;
  names: Record<string, string>;
  prefixes: Record<string, string>;
}> {
  let groups: NodeGroups | undefined;
  const result = await synthesize({ project: "eks-blueprint", stack: "test", config: {} }, () => {
    const cluster = new eks.Cluster("c", { name: "eks-blueprint-test", version: "1.35" });
    groups = new NodeGroups("nodes", {
      cluster,
      clusterName: "eks-blueprint-test",
      kubernetesVersion: "1.35",
      subnetIds: ["subnet-a", "subnet-b"],
      groups: { general, graviton },
      tags: { team: "platform", "eks-blueprint:cluster": "eks-blueprint-test" },
      ...overrides,
    });
  });
  const names = Object.fromEntries(
    await Promise.all(
      Object.entries(groups!.names).map(
        ([k, v]) =>
          new Promise<[string, string]>((resolve) =>
            pulumi.output(v).apply((n) => resolve([k, n])),
          ),
      ),
    ),
  );
  return { result, names, prefixes: groups!.namePrefixes };
}

const MNG = "eks:index:ManagedNodeGroup";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";

describe("node group identity (pure)", () => {
  test("the name prefix is <cluster>-<group>- so the provider can append a unique suffix", () => {
    expect(nodeGroupNamePrefix("eks-blueprint-prod2", "general")).toBe(
      "eks-blueprint-prod2-general-",
    );
  });

  test.each([
    ["eks-blueprint-prod2", "bottlerocket", []],
    ["eks-blueprint-prod2", "abcdefghijklmnop", []],
    [
      "eks-blueprint-prod2",
      "abcdefghijklmnopq",
      [
        'groups.x: node group name prefix longer than 37 characters (got "eks-blueprint-prod2-abcdefghijklmnopq-"); shorten the group or cluster name so "<clusterName>-<group>-" fits in 37 (EKS allows 63, the provider appends 26)',
      ],
    ],
  ])("cluster %s, group %s: name problems %j", (cluster, group, expected) => {
    expect(nodeGroupNameProblems(cluster, group, "groups.x")).toEqual(expected);
  });

  test("instance tags carry only the group's Name and the cluster tag unless instanceTags are given", () => {
    expect(launchTemplateTagSpecifications("c1", "general")).toEqual([
      { resourceType: "instance", tags: { Name: "c1-general", "eks-blueprint:cluster": "c1" } },
      { resourceType: "volume", tags: { Name: "c1-general", "eks-blueprint:cluster": "c1" } },
    ]);
    expect(launchTemplateTagSpecifications("c1", "general", { "cost-center": "42" })[0]).toEqual({
      resourceType: "instance",
      tags: { "cost-center": "42", Name: "c1-general", "eks-blueprint:cluster": "c1" },
    });
  });
});

test.each<[string, Record<string, { role?: string; draining?: boolean }>, string[]]>([
  ["one group per role", { general: {}, graviton: {} }, []],
  [
    "old group draining next to its replacement",
    { general: { draining: true }, "general-v2": { role: "general" } },
    [],
  ],
  [
    "two generations, neither draining",
    { general: {}, "general-v2": { role: "general" } },
    [
      'groups.general-v2.draining: two groups with role general but 0 draining (got ["general","general-v2"]); mark exactly the old group draining: true while its replacement takes over',
    ],
  ],
  [
    "the only group draining",
    { general: { draining: true } },
    [
      'groups.general.draining: the only group with role general is draining (got ["general"]); add its replacement with the same role first, or it strands the pods',
    ],
  ],
])("blue/green: %s", (_case, groups, problems) => {
  expect(blueGreenProblems(groups, "groups")).toEqual(problems);
});

describe("NodeGroups under the mocks", () => {
  let base: Awaited<ReturnType<typeof synthNodeGroups>>;
  beforeAll(async () => {
    base = await synthNodeGroups();
  });

  test("each group gets a name prefix, no fixed name, and the cluster's Kubernetes version", () => {
    const group = one(base.result, MNG, "nodes-general");
    expect(group.inputs.nodeGroupNamePrefix).toBe("eks-blueprint-test-general-");
    expect(group.inputs.nodeGroupName).toBeUndefined();
    expect(group.inputs.version).toBe("1.35");
    expect(one(base.result, MNG, "nodes-graviton").inputs).toMatchObject({
      nodeGroupNamePrefix: "eks-blueprint-test-graviton-",
      version: "1.35",
    });
  });

  test("a kubernetesVersion bump moves every group's version with it", async () => {
    // The newest supported minor.
    const { result } = await synthNodeGroups({ kubernetesVersion: "1.36" as KubernetesMinor });
    expect(one(result, MNG, "nodes-general").inputs.version).toBe("1.36");
    expect(one(result, MNG, "nodes-graviton").inputs.version).toBe("1.36");
  });

  test("names are the names EKS gives (prefix plus suffix); prefixes are known up front", () => {
    expect(base.names).toEqual({
      general: expect.stringMatching(/^eks-blueprint-test-general-\w{26}$/),
      graviton: expect.stringMatching(/^eks-blueprint-test-graviton-\w{26}$/),
    });
    expect(base.prefixes).toEqual({
      general: "eks-blueprint-test-general-",
      graviton: "eks-blueprint-test-graviton-",
    });
  });

  test("the launch template keeps a fixed name and stable tag specifications; full tags on the template and group", () => {
    const template = one(base.result, LT, "nodes-general");
    expect(template.inputs.name).toBe("eks-blueprint-test-general");
    expect(template.inputs.tagSpecifications).toEqual([
      {
        resourceType: "instance",
        tags: { Name: "eks-blueprint-test-general", "eks-blueprint:cluster": "eks-blueprint-test" },
      },
      {
        resourceType: "volume",
        tags: { Name: "eks-blueprint-test-general", "eks-blueprint:cluster": "eks-blueprint-test" },
      },
    ]);
    expect(template.inputs.tags).toEqual({
      team: "platform",
      "eks-blueprint:cluster": "eks-blueprint-test",
    });
    expect(one(base.result, MNG, "nodes-general").inputs.tags).toEqual({
      team: "platform",
      "eks-blueprint:cluster": "eks-blueprint-test",
    });
  });

  test("editing the stack tags leaves every launch template's versioned inputs unchanged", async () => {
    const { result } = await synthNodeGroups({
      tags: { team: "payments", owner: "sre", "eks-blueprint:cluster": "eks-blueprint-test" },
    });
    for (const group of ["nodes-general", "nodes-graviton"]) {
      const before = one(base.result, LT, group).inputs;
      const after = one(result, LT, group).inputs;
      const { tags: tagsBefore, ...versionedBefore } = before;
      const { tags: tagsAfter, ...versionedAfter } = after;
      expect(versionedAfter).toEqual(versionedBefore);
      expect(tagsBefore).toEqual({
        team: "platform",
        "eks-blueprint:cluster": "eks-blueprint-test",
      });
      expect(tagsAfter).toEqual({
        team: "payments",
        owner: "sre",
        "eks-blueprint:cluster": "eks-blueprint-test",
      });
    }
  });

  test("instanceTags reach the instances and volumes through the launch template", async () => {
    const { result } = await synthNodeGroups({ instanceTags: { "cost-center": "42" } });
    expect(one(result, LT, "nodes-general").inputs.tagSpecifications).toEqual([
      {
        resourceType: "instance",
        tags: {
          "cost-center": "42",
          Name: "eks-blueprint-test-general",
          "eks-blueprint:cluster": "eks-blueprint-test",
        },
      },
      {
        resourceType: "volume",
        tags: {
          "cost-center": "42",
          Name: "eks-blueprint-test-general",
          "eks-blueprint:cluster": "eks-blueprint-test",
        },
      },
    ]);
  });

  test("a group whose name prefix would exceed 37 characters is refused before any node resource registers", async () => {
    let caught: unknown;
    try {
      await synthNodeGroups({ groups: { "an-eighteen-chars1": general } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SynthError);
    const error = caught as SynthError;
    expect(error.message).toBe(
      'NodeGroups nodes:\n  - groups.an-eighteen-chars1: node group name prefix longer than 37 characters (got "eks-blueprint-test-an-eighteen-chars1-"); shorten the group or cluster name so "<clusterName>-<group>-" fits in 37 (EKS allows 63, the provider appends 26)',
    );
    expect(error.resources.map((r) => r.type)).toEqual(["eks:index:Cluster"]);
  });
});

describe("the committed stacks", () => {
  let prod2: SynthResult;
  let prod: SynthResult;
  beforeAll(async () => {
    prod2 = committedSynth("prod2");
    prod = committedSynth("prod");
  });

  test("prod2's groups are named by prefix and run the cluster's 1.35", () => {
    expect(
      byType(prod2, MNG).map((g) => [g.name, g.inputs.nodeGroupNamePrefix, g.inputs.version]),
    ).toEqual([
      ["prod2-nodes-bottlerocket", "eks-blueprint-prod2-bottlerocket-", "1.35"],
      ["prod2-nodes-general", "eks-blueprint-prod2-general-", "1.35"],
      ["prod2-nodes-gpu", "eks-blueprint-prod2-gpu-", "1.35"],
      ["prod2-nodes-graviton", "eks-blueprint-prod2-graviton-", "1.35"],
    ]);
    expect(byType(prod2, MNG).map((g) => g.inputs.nodeGroupName)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("prod's group runs prod's 1.34, and follows a bump to 1.35", async () => {
    expect(one(prod, MNG, "prod-nodes-general").inputs.version).toBe("1.34");
    const bumped = await synthStackWith("prod", (c) => {
      c["eks-blueprint:kubernetesVersion"] = "1.35";
    });
    expect(one(bumped, MNG, "prod-nodes-general").inputs.version).toBe("1.35");
  });

  test("editing prod2's tags changes no launch template's tag specifications", async () => {
    const retagged = await synthStackWith("prod2", (c) => {
      c["eks-blueprint:tags"] = { team: "payments", environment: "production", owner: "sre" };
    });
    const specs = (r: SynthResult) =>
      byType(r, LT).map((t) => [t.name, t.inputs.tagSpecifications]);
    expect(specs(retagged)).toEqual(specs(prod2));
    expect(one(retagged, LT, "prod2-nodes-general").inputs.tagSpecifications).toEqual([
      {
        resourceType: "instance",
        tags: {
          Name: "eks-blueprint-prod2-general",
          "eks-blueprint:cluster": "eks-blueprint-prod2",
        },
      },
      {
        resourceType: "volume",
        tags: {
          Name: "eks-blueprint-prod2-general",
          "eks-blueprint:cluster": "eks-blueprint-prod2",
        },
      },
    ]);
    // The template's own tags (not versioned) carry the edit; other helpers may add stack tags.
    expect(one(retagged, LT, "prod2-nodes-general").inputs.tags).toMatchObject({
      team: "payments",
      environment: "production",
      owner: "sre",
      "eks-blueprint:cluster": "eks-blueprint-prod2",
    });
  });
});
