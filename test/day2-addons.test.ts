import { charts } from "../components/addons/registry";
import { containerInsightsConfiguration } from "../components/addons/container-insights";
import { efsCsiValues } from "../components/addons/efs-csi";
import { metricsServerValues } from "../components/addons/metrics-server";
import { baselinePolicies } from "../components/addons/network-policies";
import { isRecord } from "../components/problems";
import { mergeValues, Values } from "../components/addons/values";
import { corednsConfiguration } from "../components/cluster/core-addons";
import { karpenterValues } from "../components/addons/karpenter/karpenter";
import { addonOf, fakeContext, one, synthProgram, valuesInput } from "./day2-context";
import { upstreamYaml } from "./upstream";

/** A chart's values.yaml, vendored at its pin (test/fixtures/upstream/charts/<chart>/). */
const chartValues = (chart: string) => upstreamYaml<Values>(`charts/${chart}/values.yaml`);

/** Key paths we set that the chart's values.yaml does not have (below maps it leaves open). */
function unknownKeys(ours: Values, theirs: Values, prefix = ""): string[] {
  return Object.entries(ours).flatMap(([k, v]) => {
    const at = `${prefix}${k}`;
    if (!(k in theirs)) return [at];
    const t = theirs[k];
    // `resources` is a Kubernetes ResourceRequirements, passed through whole by every chart.
    return k !== "resources" && isRecord(v) && isRecord(t) && Object.keys(t).length > 0
      ? unknownKeys(v, t, `${at}.`)
      : [];
  });
}

const ROLE = "arn:aws:iam::111122223333:role/r";
const merged = {
  "metrics-server": mergeValues(metricsServerValues({ replicas: 2 })),
  "aws-efs-csi-driver": mergeValues(efsCsiValues(valuesInput({}, {}, { roleArn: ROLE }))),
  karpenter: mergeValues(
    karpenterValues(
      valuesInput({ nodePools: {} }, { clusterName: "c" }, { queueName: "c", roleArn: ROLE }),
    ),
  ),
};

test.each(Object.entries(merged))("every key we set exists in %s's values.yaml", (chart, v) => {
  expect(unknownKeys(v, chartValues(chart))).toEqual([]);
});

/** replicas and PDB of each multi-replica add-on, wherever its chart keeps them. */
const disruption: [string, number, unknown, unknown][] = [
  [
    "metrics-server",
    merged["metrics-server"].replicas as number,
    merged["metrics-server"].podDisruptionBudget,
    merged["metrics-server"].topologySpreadConstraints,
  ],
  [
    "efs-csi-controller",
    (merged["aws-efs-csi-driver"].controller as Values).replicaCount as number,
    (merged["aws-efs-csi-driver"].controller as Values).podDisruptionBudget,
    (merged["aws-efs-csi-driver"].controller as Values).topologySpreadConstraints,
  ],
  [
    "karpenter",
    merged.karpenter.replicas as number,
    merged.karpenter.podDisruptionBudget,
    chartValues("karpenter").topologySpreadConstraints,
  ],
  [
    "coredns",
    corednsConfiguration().replicaCount as number,
    corednsConfiguration().podDisruptionBudget,
    corednsConfiguration().topologySpreadConstraints,
  ],
];

test.each(disruption)(
  "%s runs %i replicas with a PDB and a zone spread",
  (_n, replicas, pdb, spread) => {
    expect(replicas).toBeGreaterThanOrEqual(2);
    // A drain may evict one pod at a time, never the last one.
    const p = pdb as { enabled?: boolean; maxUnavailable?: number; minAvailable?: number };
    expect(p.enabled).not.toBe(false);
    expect(p.maxUnavailable === 1 || p.minAvailable === replicas - 1).toBe(true);
    expect(spread).toEqual([
      expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone" }),
    ]);
  },
);

test("metrics-server is the pinned chart with 2 replicas, a PDB and a zone spread", async () => {
  const r = await synthProgram(() => addonOf("metrics-server", "metricsServer", {}));
  const release = one(r, "kubernetes:helm.sh/v3:Release", "metrics-server");
  expect(release.inputs).toMatchObject({
    chart: "metrics-server",
    version: charts.metricsServer.version,
    repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    namespace: "kube-system",
    values: {
      replicas: 2,
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: {
            matchLabels: {
              "app.kubernetes.io/instance": "metrics-server",
              "app.kubernetes.io/name": "metrics-server",
            },
          },
        },
      ],
    },
  });
});

test.each([
  [true, { containerLogs: { enabled: false } }],
  [false, { containerLogs: { enabled: true } }],
])(
  "Container Insights with our Fluent Bit %s ships container logs only when it is off",
  async (fluentBitOn, config) => {
    expect(containerInsightsConfiguration(fluentBitOn)).toEqual(config);
    const r = await synthProgram(() =>
      addonOf("ci", "containerInsights", {}, fakeContext(), fluentBitOn ? ["fluentBit"] : []),
    );
    const addon = one(r, "aws:eks/addon:Addon", "ci");
    expect(addon.inputs).toMatchObject({
      addonName: "amazon-cloudwatch-observability",
      serviceAccountRoleArn: "arn:aws:iam::111122223333:role/day2-test-cloudwatch-agent",
    });
    expect(JSON.parse(addon.inputs.configurationValues as string)).toEqual(config);
  },
);

test("EFS: encrypted file system, a mount target per subnet, the controller's role and the StorageClass", async () => {
  const r = await synthProgram(() =>
    addonOf(
      "efs",
      "efs",
      {},
      fakeContext({
        privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        clusterSecurityGroupId: "sg-nodes",
      }),
    ),
  );
  expect(one(r, "aws:efs/fileSystem:FileSystem", "efs").inputs.encrypted).toBe(true);
  expect(r.resources.filter((x) => x.type === "aws:efs/mountTarget:MountTarget")).toHaveLength(3);
  expect(
    one(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "efs-irsa-AmazonEFSCSIDriverPolicy")
      .inputs.policyArn,
  ).toBe("arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy");
  const sc = one(r, "kubernetes:storage.k8s.io/v1:StorageClass", "efs-sc");
  expect(sc.inputs).toMatchObject({
    provisioner: "efs.csi.aws.com",
    parameters: { provisioningMode: "efs-ap", fileSystemId: expect.stringMatching(/^fs-/) },
  });
  const values = one(r, "kubernetes:helm.sh/v3:Release", "efs").inputs.values as Values;
  expect((values.controller as Values).serviceAccount).toEqual({
    create: true,
    name: "efs-csi-controller-sa",
    annotations: {
      "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/day2-test-efs-csi-driver",
    },
  });
});

test("a workload namespace gets default-deny ingress plus same-namespace and gateway allows; Prometheus only its metrics ports", () => {
  const byName = (ns: string) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
  });
  expect(baselinePolicies("shop").map((p) => p.metadata.name)).toEqual([
    "default-deny-ingress",
    "allow-same-namespace",
    "allow-istio-ingress",
  ]);
  const policies = baselinePolicies("shop", { metricsPorts: [9102, 8080], mesh: true });
  expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
  expect(policies.slice(1).map((p) => [p.metadata.name, p.spec.ingress])).toEqual([
    ["allow-same-namespace", [{ from: [byName("shop")] }]],
    ["allow-istio-ingress", [{ from: [byName("istio-ingress")] }]],
    [
      "allow-prometheus-scrape",
      [
        {
          from: [byName("monitoring")],
          ports: [8080, 9102, 15020, 15090].map((port) => ({ protocol: "TCP", port })),
        },
      ],
    ],
  ]);
});
