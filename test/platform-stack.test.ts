import { eksAddonNames, eksAddonVersions } from "../components/addons/catalog";
import { charts } from "../components/addons/registry";
import { mockSecurityGroupIds } from "../synth/mocks";
import type { SynthResult } from "../synth/record";
import { byType, committedSynth, one, synthStackWith } from "./stack-harness";

let prod2: SynthResult;
beforeAll(async () => {
  prod2 = committedSynth("prod2");
});

const releases = (r: SynthResult) => byType(r, "kubernetes:helm.sh/v3:Release");

test("prod2 installs each chart it selects at exactly its catalog version from an https repo", () => {
  const pins = Object.values(charts).map((p) => ({
    chart: p.chart,
    version: p.version,
    repo: "repo" in p ? p.repo : undefined,
  }));
  const installed = releases(prod2).map((r) => ({
    chart: r.inputs.chart,
    version: r.inputs.version,
    repo: (r.inputs.repositoryOpts as { repo: string }).repo,
  }));
  for (const r of installed) expect(pins).toContainEqual(r);
  for (const r of installed) expect(r.repo).toMatch(/^https:\/\//);
  // Everything but EFS and Karpenter, which prod2 leaves off.
  expect(installed.map((r) => r.chart).sort()).toEqual([
    "argo-cd",
    "aws-for-fluent-bit",
    "aws-load-balancer-controller",
    "base",
    "cluster-autoscaler",
    "cni",
    "external-dns",
    "external-secrets",
    "gateway",
    "istiod",
    "kube-prometheus-stack",
    "metrics-server",
    "nvidia-device-plugin",
    "opencost",
    "opentelemetry-collector",
    "reloader",
    "snapshot-controller",
    "velero",
  ]);
});

test("prod2 runs the four core EKS add-ons at the catalog versions for Kubernetes 1.35", () => {
  const versions = eksAddonVersions["1.35"];
  for (const key of ["vpcCni", "coredns", "kubeProxy", "podIdentityAgent"] as const) {
    const addon = byType(prod2, "aws:eks/addon:Addon").find(
      (a) => a.inputs.addonName === eksAddonNames[key],
    );
    expect(addon?.inputs).toMatchObject({
      clusterName: "eks-blueprint-prod2",
      addonVersion: versions[key],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
    });
  }
});

test("each AWS-calling add-on's role trusts exactly the service account its chart runs as", () => {
  const subjects = byType(prod2, "aws:iam/role:Role")
    .map((r) => JSON.parse(r.inputs.assumeRolePolicy as string))
    .flatMap((t) => t.Statement)
    .filter((s) => s.Action === "sts:AssumeRoleWithWebIdentity")
    .map((s) => Object.entries(s.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))?.[1]);
  const values = (chart: string) =>
    releases(prod2).find((r) => r.inputs.chart === chart)?.inputs.values as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(subjects).toEqual(
    expect.arrayContaining([
      `system:serviceaccount:kube-system:${values("aws-load-balancer-controller").serviceAccount.name}`,
      `system:serviceaccount:kube-system:${values("cluster-autoscaler").rbac.serviceAccount.name}`,
      `system:serviceaccount:external-dns:${values("external-dns").serviceAccount.name}`,
      `system:serviceaccount:logging:${values("aws-for-fluent-bit").serviceAccount.name}`,
      "system:serviceaccount:kube-system:aws-node",
      "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    ]),
  );
});

test("ExternalDNS owns only this cluster's records and Prometheus labels its metrics with the cluster", () => {
  const values = (chart: string) =>
    releases(prod2).find((r) => r.inputs.chart === chart)?.inputs.values as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(values("external-dns")).toMatchObject({
    txtOwnerId: "eks-blueprint-prod2",
    policy: "sync",
  });
  expect(values("kube-prometheus-stack").prometheus.prometheusSpec.externalLabels).toEqual({
    cluster: "eks-blueprint-prod2",
  });
  expect(values("cluster-autoscaler").autoDiscovery.clusterName).toBe("eks-blueprint-prod2");
});

test("a karpenter stack gets the controller, NodePool, EC2NodeClass, queue, rules and access entry, and no cluster-autoscaler", async () => {
  const result = await synthStackWith("prod2", (c) => {
    (c["eks-blueprint:addons"] as Record<string, unknown>).clusterAutoscaler = { enabled: false };
    (c["eks-blueprint:addons"] as Record<string, unknown>).karpenter = {
      nodePools: {
        general: {
          architectures: ["amd64", "arm64"],
          capacityTypes: ["spot", "on-demand"],
          limits: { cpu: "200", memory: "800Gi" },
        },
      },
    };
  });
  const charts = releases(result).map((r) => r.inputs.chart);
  expect(charts).toEqual(
    expect.arrayContaining([
      "oci://public.ecr.aws/karpenter/karpenter-crd",
      "oci://public.ecr.aws/karpenter/karpenter",
    ]),
  );
  expect(charts).not.toContain("cluster-autoscaler");
  expect(byType(result, "kubernetes:karpenter.sh/v1:NodePool")).toHaveLength(1);
  expect(byType(result, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")).toHaveLength(1);
  expect(one(result, "aws:sqs/queue:Queue").inputs.name).toBe("eks-blueprint-prod2");
  expect(byType(result, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(5);
  expect(
    one(result, "aws:eks/accessEntry:AccessEntry", "prod2-platform-addons-karpenter-node").inputs
      .type,
  ).toBe("EC2_LINUX");
  const subnets = (
    one(result, "awsx:ec2:Vpc").inputs.subnetSpecs as {
      type: string;
      tags: Record<string, string>;
    }[]
  ).find((s) => s.type === "Private");
  expect(subnets?.tags["karpenter.sh/discovery"]).toBe("eks-blueprint-prod2");
  // The discovery tag goes on the group EKS creates (the one managed nodes carry), not on
  // pulumi-eks's node group, which the cluster no longer has.
  expect(one(result, "eks:index:Cluster").inputs.nodeSecurityGroupTags).toBeUndefined();
  expect(one(result, "aws:ec2/tag:Tag", "prod2-cluster-karpenter-discovery").inputs).toEqual({
    resourceId: mockSecurityGroupIds("eks-blueprint-prod2").eksCluster,
    key: "karpenter.sh/discovery",
    value: "eks-blueprint-prod2",
  });
});

test("a draining node group (blue/green replacement) is tainted so nothing new lands there", async () => {
  const result = await synthStackWith("prod2", (c) => {
    const groups = c["eks-blueprint:nodeGroups"] as Record<string, Record<string, unknown>>;
    groups.general.draining = true;
    groups["general-v2"] = { ...groups.general, role: "general", draining: false };
    groups.general.role = "general";
  });
  expect(one(result, "eks:index:ManagedNodeGroup", "prod2-nodes-general").inputs.taints).toEqual([
    { key: "eks-blueprint/draining", value: "true", effect: "NO_SCHEDULE" },
  ]);
  expect(one(result, "eks:index:ManagedNodeGroup", "prod2-nodes-general-v2").inputs.taints).toEqual(
    [],
  );
});
