import { ResourceGraph } from "../graph";
import { recordKey } from "../../../synth/record";
import type { Finding, RehearsalInput, Rule } from "../types";

/** The cluster itself, as our program registers it (pulumi-eks) or as a plain AWS resource. */
const CLUSTER_TYPES = new Set(["eks:index:Cluster", "aws:eks/cluster:Cluster"]);

/** Resources whose create (and update) API call names an existing cluster. */
const NAMES_THE_CLUSTER = new Set([
  "aws:eks/addon:Addon",
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:eks/fargateProfile:FargateProfile",
  "aws:eks/nodeGroup:NodeGroup",
  "eks:index:ManagedNodeGroup",
]);

/** Kinds of compute pods can be scheduled on. */
const COMPUTE_TYPES = new Set([
  "eks:index:ManagedNodeGroup",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:eks/fargateProfile:FargateProfile",
]);

/**
 * Charts that only install CustomResourceDefinitions and cluster objects, no pods, so they need
 * no nodes: istio/base (manifests/charts/base/templates: CRDs, validating webhook config, the
 * reader service account) and karpenter-crd (charts/karpenter-crd/templates: the three CRDs).
 */
const PODLESS_CHARTS = new Set(["base", "oci://public.ecr.aws/karpenter/karpenter-crd"]);

/** EKS add-ons whose pods must be scheduled before EKS reports them ACTIVE. */
const ADDONS_WITH_DEPLOYMENTS = new Set([
  "coredns",
  "aws-ebs-csi-driver",
  "amazon-cloudwatch-observability",
]);

const clusters = (input: RehearsalInput) => input.head.filter((r) => CLUSTER_TYPES.has(r.type));

export const eksWaitsForCluster: Rule = {
  id: "eks-waits-for-cluster",
  phase: "create",
  title: "everything that names the cluster is created (and updated) after the cluster",
  source:
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html (ResourceNotFoundException: the cluster must exist); https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html (add-ons and nodes follow the control plane)",
  smokeCheck: "addons-ready",
  check(input) {
    const graph = new ResourceGraph(input.head);
    const cluster = clusters(input).map(recordKey);
    if (cluster.length === 0) return [];
    return input.head
      .filter((r) => NAMES_THE_CLUSTER.has(r.type))
      .filter((r) => !cluster.some((c) => graph.waitsFor(recordKey(r), c)))
      .map((r): Finding => ({
        rule: this.id,
        subject: recordKey(r),
        message: `names the cluster but does not wait for ${cluster.join(", ")}: on a first up its create call can run before the cluster exists, and on a version bump its update before the control plane is upgraded; take the cluster name from the cluster resource's output`,
      }));
  },
};

const runsPods = (r: { type: string; inputs: Record<string, unknown> }) =>
  (r.type === "kubernetes:helm.sh/v3:Release" && !PODLESS_CHARTS.has(String(r.inputs.chart))) ||
  (r.type === "aws:eks/addon:Addon" && ADDONS_WITH_DEPLOYMENTS.has(String(r.inputs.addonName)));

export const workloadsWaitForCompute: Rule = {
  id: "workloads-wait-for-compute",
  phase: "create",
  title: "releases and add-ons that run pods wait for nodes",
  source:
    "https://helm.sh/docs/helm/helm_install/ (--wait: until pods are ready, or the timeout fails the release); https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html (CoreDNS runs as a Deployment on nodes)",
  smokeCheck: "addons-ready",
  check(input) {
    const graph = new ResourceGraph(input.head);
    const compute = input.head.filter((r) => COMPUTE_TYPES.has(r.type)).map(recordKey);
    return input.head
      .filter(runsPods)
      .filter((r) => !compute.some((c) => graph.waitsFor(recordKey(r), c)))
      .map((r) => ({
        rule: this.id,
        subject: recordKey(r),
        message: `runs pods but waits for no node group or Fargate profile: on a first up it can be installed onto a cluster with no nodes and time out; make it wait for the compute`,
      }));
  },
};

export const fargateProfilesOneAtATime: Rule = {
  id: "fargate-profiles-one-at-a-time",
  phase: "create",
  title: "EKS creates and deletes one Fargate profile at a time per cluster",
  source:
    "https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html (one profile at a time; a second call fails with ResourceInUseException)",
  smokeCheck: "pulumi-up-succeeds",
  check(input) {
    const graph = new ResourceGraph(input.head);
    const profiles = input.head.filter((r) => r.type === "aws:eks/fargateProfile:FargateProfile");
    const findings: Finding[] = [];
    profiles.forEach((a, i) =>
      profiles.slice(i + 1).forEach((b) => {
        const [ka, kb] = [recordKey(a), recordKey(b)];
        if (a.inputs.clusterName !== b.inputs.clusterName) return;
        if (!graph.waitsFor(ka, kb) && !graph.waitsFor(kb, ka)) {
          findings.push({
            rule: this.id,
            subject: kb,
            message: `can be created at the same time as ${ka} on the same cluster; chain the profiles with dependsOn`,
          });
        }
      }),
    );
    return findings;
  },
};

export const eksOrderRules: Rule[] = [
  eksWaitsForCluster,
  workloadsWaitForCompute,
  fargateProfilesOneAtATime,
];
