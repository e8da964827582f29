import { CoreAddons } from "../components/core-addons";
import { Karpenter } from "../components/karpenter/karpenter";
import {
  blueGreenProblems,
  DAY2_KEYS,
  loadDay2Config,
  parseDay2Config,
} from "../stacks/day2-config";
import { fakeContext, synthProgram } from "./day2-context";

const karpenterBlock = {
  nodePools: {
    general: {
      architectures: ["amd64", "arm64"],
      capacityTypes: ["spot", "on-demand"],
      limits: { cpu: "200", memory: "800Gi" },
    },
  },
};
const getter = (raw: Record<string, unknown>) => (key: string) => {
  const v = raw[key];
  return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
};
const ok = { clusterAutoscalerAddon: false };

test("defaults: cluster-autoscaler, metrics-server on with 2 replicas, EFS and Container Insights off", () => {
  expect(parseDay2Config(getter({}), ok)).toEqual({
    config: {
      autoscaler: "cluster-autoscaler",
      karpenter: undefined,
      efs: { enabled: false },
      containerInsights: { enabled: false },
      metricsServer: { enabled: true, replicas: 2 },
      workloadNamespaces: [],
    },
    problems: [],
  });
});

test("karpenter with its node pools parses, with defaults filled in", () => {
  const r = parseDay2Config(
    getter({ [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock }),
    ok,
  );
  expect(r.config?.karpenter?.nodePools.general).toMatchObject({
    amiFamily: "AL2023",
    architectures: ["amd64", "arm64"],
    limits: { cpu: "200", memory: "800Gi" },
  });
});

test.each<[string, Record<string, unknown>, Partial<typeof ok>, string]>([
  [
    "both autoscalers",
    { [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock },
    { clusterAutoscalerAddon: true },
    "eks-blueprint:addons.clusterAutoscaler.enabled: cluster-autoscaler is on while eks-blueprint:autoscaler is karpenter (got true); both would manage the same nodes; turn clusterAutoscaler off or set autoscaler to cluster-autoscaler",
  ],
  [
    "karpenter without node pools",
    { [DAY2_KEYS.autoscaler]: "karpenter" },
    {},
    "eks-blueprint:karpenter: missing while eks-blueprint:autoscaler is karpenter (got undefined); declare karpenter.nodePools with at least one NodePool",
  ],
  [
    "karpenter block without karpenter",
    { [DAY2_KEYS.karpenter]: karpenterBlock },
    {},
    'eks-blueprint:karpenter: set while eks-blueprint:autoscaler is cluster-autoscaler (got ["general"]); set eks-blueprint:autoscaler to karpenter, or remove the karpenter block',
  ],
  [
    "an unknown autoscaler",
    { [DAY2_KEYS.autoscaler]: "keda" },
    {},
    'eks-blueprint:autoscaler: unknown autoscaler (got "keda"); use cluster-autoscaler or karpenter',
  ],
  [
    "a node pool without limits",
    {
      [DAY2_KEYS.autoscaler]: "karpenter",
      [DAY2_KEYS.karpenter]: { nodePools: { general: {} } },
    },
    {},
    "eks-blueprint:karpenter.nodePools.general.limits: missing (got undefined); set it with `pulumi config set eks-blueprint:karpenter.nodePools.general.limits <value>`",
  ],
  [
    "a bad namespace",
    { [DAY2_KEYS.workloadNamespaces]: ["Shop"] },
    {},
    "eks-blueprint:workloadNamespaces[0]: not a namespace name (got \"Shop\"); use at most 63 lowercase letters, digits and '-'",
  ],
  [
    "a namespace listed twice",
    { [DAY2_KEYS.workloadNamespaces]: ["orders", "orders"] },
    {},
    'eks-blueprint:workloadNamespaces: duplicate namespaces (got ["orders","orders"]); list each once',
  ],
])("%s is a config error naming the key", (_case, raw, ctx, message) => {
  expect(parseDay2Config(getter(raw), { ...ok, ...ctx }).problems).toEqual([message]);
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
      'eks-blueprint:nodeGroups.general-v2.draining: two groups with role general but 0 draining (got ["general","general-v2"]); mark exactly the old group draining: true while its replacement takes over',
    ],
  ],
  [
    "the only group draining",
    { general: { draining: true } },
    [
      'eks-blueprint:nodeGroups.general.draining: the only group with role general is draining (got ["general"]); add its replacement with the same role first, or it strands the pods',
    ],
  ],
])("blue/green: %s", (_case, groups, problems) => {
  expect(blueGreenProblems(groups)).toEqual(problems);
});

test("a rejected day-2 config registers nothing", async () => {
  const program = () => {
    const config = loadDay2Config(
      getter({ [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock }),
      { ...ok, clusterAutoscalerAddon: true },
    );
    const context = fakeContext();
    new CoreAddons("core", { context });
    new Karpenter("karpenter", { context, settings: config.karpenter! });
  };
  await expect(synthProgram(program)).rejects.toMatchObject({
    message: expect.stringContaining("eks-blueprint:addons.clusterAutoscaler.enabled"),
    resources: [],
  });
});
