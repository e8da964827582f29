import { CoreAddons } from "../components/cluster/core-addons";
import type { KarpenterSettings } from "../components/addons/karpenter/karpenter";
import { blueGreenProblems } from "../components/compute/node-group-problems";
import { DAY2_KEYS, loadDay2Config, parseDay2Config } from "../stacks/day2-config";
import { addonOf, fakeContext, synthProgram } from "./day2-context";

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
const ok: { addons?: unknown } = {};

test("defaults: cluster-autoscaler; the add-on keys stay unset (the registry decides what is on)", () => {
  expect(parseDay2Config(getter({}), ok)).toEqual({
    config: {
      autoscaler: "cluster-autoscaler",
      karpenter: undefined,
      efs: undefined,
      containerInsights: undefined,
      metricsServer: undefined,
      workloadNamespaces: [],
    },
    problems: [],
  });
});

test("karpenter with its node pools parses as given (NODE_POOL_DEFAULTS fill in the rest)", () => {
  const r = parseDay2Config(
    getter({ [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock }),
    ok,
  );
  expect(r.problems).toEqual([]);
  expect(r.config?.karpenter).toEqual(karpenterBlock);
});

test.each<[string, Record<string, unknown>, typeof ok, string]>([
  [
    "both autoscalers",
    { [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock },
    { addons: { clusterAutoscaler: { enabled: true } } },
    'eks-blueprint:addons.clusterAutoscaler: on while eks-blueprint:autoscaler is karpenter (got {"enabled":true}); both would manage the same nodes; remove it or set the autoscaler to cluster-autoscaler',
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
    'eks-blueprint:karpenter.nodePools.general.limits: missing or not Kubernetes quantities (got undefined); set limits.cpu and limits.memory (such as "100" and 400Gi) so the pool cannot grow without bound',
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
  expect(blueGreenProblems(groups, "eks-blueprint:nodeGroups")).toEqual(problems);
});

test("a rejected day-2 config registers nothing", async () => {
  const program = () => {
    const config = loadDay2Config(
      getter({ [DAY2_KEYS.autoscaler]: "karpenter", [DAY2_KEYS.karpenter]: karpenterBlock }),
      { addons: { clusterAutoscaler: {} } },
    );
    const context = fakeContext();
    new CoreAddons("core", { context });
    addonOf("karpenter", "karpenter", config.karpenter as unknown as KarpenterSettings, context);
  };
  await expect(synthProgram(program)).rejects.toMatchObject({
    message: expect.stringContaining("eks-blueprint:addons.clusterAutoscaler: on while"),
    resources: [],
  });
});
