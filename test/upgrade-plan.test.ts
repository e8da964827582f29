// `npm run upgrade-plan`: the steps, one minor per up, read off the committed synths and the pins;
// the removed-API table (on 1.32's removal of flowcontrol v1beta3) and chart kubeVersion ranges.
import { rec } from "./coexist-fixtures";
import {
  clusterAutoscalerImageTags,
  eksAddonNames,
  eksAddonVersions,
} from "../components/addons/catalog";
import { SUPPORTED_KUBERNETES_MINORS } from "../components/cluster/kubernetes-versions";
import { kubeVersionAllows } from "../policy/upgrade/kube-version";
import { formatPlan, upgradePlan, type UpgradeInput } from "../policy/upgrade/plan";
import { removedApiUses } from "../policy/upgrade/removed-apis";
import { parseArgs } from "../tools/upgrade-plan/main";
import { committedSynth } from "./stack-harness";

const pins = {
  supported: SUPPORTED_KUBERNETES_MINORS,
  addonVersions: eksAddonVersions,
  addonNames: eksAddonNames,
  autoscalerImages: clusterAutoscalerImageTags,
  chartKubeVersions: {},
};
const planFor = (stack: string, target: string, more: Partial<UpgradeInput> = {}) =>
  upgradePlan({ stack, target, records: committedSynth(stack).resources, ...pins, ...more });

describe("APIs a minor stops serving", () => {
  const flowSchema = rec("kubernetes:flowcontrol.apiserver.k8s.io/v1beta3:FlowSchema", "fs", {});
  test("1.32 stops serving flowcontrol.apiserver.k8s.io/v1beta3", () => {
    expect(removedApiUses([flowSchema], "1.32")).toEqual([
      {
        subject: "kubernetes:flowcontrol.apiserver.k8s.io/v1beta3:FlowSchema::fs",
        api: {
          removedIn: "1.32",
          apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
          kinds: ["FlowSchema", "PriorityLevelConfiguration"],
          replacement: "flowcontrol.apiserver.k8s.io/v1",
        },
      },
    ]);
  });
  test("1.31 still serves it, and v1 is never removed", () => {
    expect(removedApiUses([flowSchema], "1.31")).toEqual([]);
    const v1 = rec("kubernetes:flowcontrol.apiserver.k8s.io/v1:FlowSchema", "fs", {});
    expect(removedApiUses([v1], "1.32")).toEqual([]);
  });
  test("a plan across 1.32 stops before that up, naming the object and where to move it", () => {
    const plan = upgradePlan({
      stack: "old",
      target: "1.32",
      records: [rec("eks:index:Cluster", "c", { name: "old", version: "1.31" }), flowSchema],
      ...pins,
      supported: ["1.31", "1.32"],
    });
    expect(plan.steps[0]).toEqual({
      minor: "1.32",
      title:
        "Before 1.32: APIs it stops serving, charts that refuse it, add-ons that would skip a minor",
      notes: [
        "kubernetes:flowcontrol.apiserver.k8s.io/v1beta3:FlowSchema::fs: flowcontrol.apiserver.k8s.io/v1beta3 is not served from 1.32; move it to flowcontrol.apiserver.k8s.io/v1 first",
      ],
      blocker: true,
      checks: ["aws eks list-insights --cluster-name old --filter kubernetesVersions=1.32"],
    });
  });
});

test.each([
  [">=1.25.0-0", "1.36", true],
  [">= 1.10.0-0", "1.36", true],
  [">=1.19.0-0 <1.34.0-0", "1.34", false],
  [">=1.19.0-0 <1.34.0-0", "1.33", true],
  [">=1.30.0-0 <=1.35.x", "1.36", undefined],
  ["<1.30 || >=1.33", "1.34", true],
  ["^1.30", "1.34", undefined],
])("kubeVersion %j admits %s: %s", (range, minor, allows) => {
  expect(kubeVersionAllows(range, minor)).toBe(allows);
});

describe("the committed stacks' plans", () => {
  test("prod2 to 1.36: one up, kube-proxy and the autoscaler image move, every group rolls", () => {
    const plan = planFor("prod2", "1.36");
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => [s.minor, s.title.split(":")[0], s.blocker ?? false])).toEqual([
      ["1.36", "Before 1.36", false],
      ["1.36", "Config", false],
      ["1.36", "pulumi up", false],
      ["1.36", "Same up", false],
      ["1.36", "Same up", false],
      ["1.36", "Same up", false],
      ["1.36", "After the up", false],
    ]);
    expect(plan.steps[2].run).toBe("npm exec -- pulumi up --stack prod2");
    expect(plan.steps[2].checks).toEqual([
      "aws eks describe-cluster --name eks-blueprint-prod2 --query cluster.version --output text",
    ]);
    expect(plan.steps[3].notes).toContain("kube-proxy: v1.35.3-eksbuild.13 → v1.36.0-eksbuild.14");
    expect(plan.steps[3].notes).toContain("vpc-cni: stays v1.21.1-eksbuild.7");
    expect(plan.steps[4].notes).toEqual(["image v1.35.2 → v1.36.1"]);
    expect(plan.steps[5].notes).toContain(
      "eks:index:ManagedNodeGroup::prod2-nodes-gpu: 1.35 → 1.36",
    );
    expect(plan.steps[6].run).toBe("kubectl -n batch-jobs rollout restart deployment");
  });

  test("prod to 1.36 goes through 1.35, its deployed group named as deployed", () => {
    const plan = planFor("prod", "1.36");
    expect([...new Set(plan.steps.map((s) => s.minor))]).toEqual(["1.35", "1.36"]);
    expect(plan.steps.find((s) => s.title.startsWith("Config"))?.run).toBe(
      "npm exec -- pulumi config set eks-blueprint:kubernetesVersion 1.35 --stack prod",
    );
    expect(plan.steps.find((s) => s.title.includes("node group"))?.checks).toContain(
      "aws eks describe-nodegroup --cluster-name eks-blueprint-prod --nodegroup-name eks-blueprint-prod-general --query nodegroup.version --output text",
    );
    expect(formatPlan("prod", "1.36", plan).split("\n").slice(-1)).toEqual(["0 blockers"]);
  });

  test("a chart whose kubeVersion excludes the target blocks the hop that reaches it", () => {
    const plan = planFor("prod", "1.36", {
      chartKubeVersions: { "metrics-server": ">=1.19.0-0 <1.36.0-0" },
    });
    expect(plan.steps.filter((s) => s.blocker).map((s) => [s.minor, s.notes])).toEqual([
      [
        "1.36",
        [
          'kubernetes:helm.sh/v3:Release::prod-platform-addons-metrics-server: chart metrics-server 3.13.1 kubeVersion ">=1.19.0-0 <1.36.0-0" excludes 1.36; bump the chart first',
        ],
      ],
    ]);
  });

  test("a skipped vpc-cni minor in the pins blocks the hop", () => {
    const skipping = {
      ...eksAddonVersions,
      "1.36": { ...eksAddonVersions["1.36"], vpcCni: "v1.23.0-eksbuild.1" },
    };
    const plan = planFor("prod2", "1.36", { addonVersions: skipping });
    expect(plan.steps[0].notes).toEqual([
      "vpc-cni: v1.21.1-eksbuild.7 → v1.23.0-eksbuild.1 skips a minor; pin the one between for 1.36 first (eksAddonVersions)",
    ]);
  });

  test.each([
    ["1.35", 'target: not ahead of the stack\'s 1.35 (got "1.35"); use one of 1.36'],
    ["1.37", 'target: not a minor the catalog pins (got "1.37"); use one of 1.36'],
  ])("prod2 to %s is refused", (target, problem) => {
    expect(planFor("prod2", target)).toEqual({ problems: [problem], steps: [] });
  });
});

test("Karpenter's node classes drift to the new minor's AMI after the up", () => {
  const plan = upgradePlan({
    stack: "k",
    target: "1.36",
    records: [
      rec("eks:index:Cluster", "c", { name: "k", version: "1.35" }),
      rec("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "k-default-nodeclass", {
        spec: { amiSelectorTerms: [{ alias: "al2023@latest" }] },
      }),
    ],
    ...pins,
  });
  expect(plan.steps.find((s) => s.title.includes("Karpenter"))).toEqual({
    minor: "1.36",
    title:
      "After the up: Karpenter replaces its nodes with 1.36 AMIs (drift; a pinned alias version must exist for 1.36)",
    notes: [
      "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass::k-default-nodeclass: alias al2023@latest",
    ],
    checks: ["kubectl get nodeclaims -o wide", "kubectl get nodes -l karpenter.sh/nodepool"],
  });
});

test("the command takes a stack and a minor", () => {
  expect(parseArgs(["prod2", "1.36"])).toEqual({ stack: "prod2", target: "1.36" });
  expect(() => parseArgs(["prod2"])).toThrow("usage: npm run upgrade-plan -- <stack> <minor>");
});
