import { CLUSTER_TYPES, FARGATE_PROFILE, NODE_GROUP_TYPES } from "../../shapes";
import { ResourceGraph } from "../graph";
import { recordKey, type SynthRecord } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

const COMPUTE_TYPES: string[] = [...NODE_GROUP_TYPES, FARGATE_PROFILE];

/** Their create (and update) call names an existing cluster. */
const NAMES_THE_CLUSTER = [
  ...COMPUTE_TYPES,
  "aws:eks/addon:Addon",
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
];

/** No pods: istio/base (manifests/charts/base/templates), charts/karpenter-crd/templates. */
const PODLESS_CHARTS = new Set(["base", "oci://public.ecr.aws/karpenter/karpenter-crd"]);

/** EKS add-ons whose pods must be scheduled before EKS reports them ACTIVE. */
const ADDONS_WITH_DEPLOYMENTS = new Set([
  "coredns",
  "aws-ebs-csi-driver",
  "amazon-cloudwatch-observability",
]);

const runsPods = (r: SynthRecord) =>
  (r.type === "kubernetes:helm.sh/v3:Release" && !PODLESS_CHARTS.has(String(r.inputs.chart))) ||
  (r.type === "aws:eks/addon:Addon" && ADDONS_WITH_DEPLOYMENTS.has(String(r.inputs.addonName)));

export const eksOrderRules: Rule[] = [
  defineRule({
    id: "eks-waits-for-cluster",
    phase: "create",
    title: "everything that names the cluster is created (and updated) after the cluster",
    source:
      "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html (ResourceNotFoundException: the cluster must exist); https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html (add-ons and nodes follow the control plane)",
    smokeCheck: "addons-ready",
    check({ head }) {
      const graph = new ResourceGraph(head);
      const cluster = head.filter((r) => CLUSTER_TYPES.some((t) => t === r.type)).map(recordKey);
      if (cluster.length === 0) return [];
      const message = `names the cluster but does not wait for ${cluster.join(", ")}: on a first up its create call can run before the cluster exists, and on a version bump its update before the control plane is upgraded; take the cluster name from the cluster resource's output`;
      return head
        .filter((r) => NAMES_THE_CLUSTER.includes(r.type))
        .filter((r) => !cluster.some((c) => graph.waitsFor(recordKey(r), c)))
        .map((r) => ({ subject: recordKey(r), message }));
    },
  }),
  defineRule({
    id: "workloads-wait-for-compute",
    phase: "create",
    title: "releases and add-ons that run pods wait for nodes",
    source:
      "https://helm.sh/docs/helm/helm_install/ (--wait: until pods are ready, or the timeout fails the release); https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html (CoreDNS runs as a Deployment on nodes)",
    smokeCheck: "addons-ready",
    check({ head }) {
      const graph = new ResourceGraph(head);
      const compute = head.filter((r) => COMPUTE_TYPES.includes(r.type)).map(recordKey);
      const message = `runs pods but waits for no node group or Fargate profile: on a first up it can be installed onto a cluster with no nodes and time out; make it wait for the compute`;
      return head
        .filter(runsPods)
        .filter((r) => !compute.some((c) => graph.waitsFor(recordKey(r), c)))
        .map((r) => ({ subject: recordKey(r), message }));
    },
  }),
  defineRule({
    id: "fargate-profiles-one-at-a-time",
    phase: "create",
    title: "EKS creates and deletes one Fargate profile at a time per cluster",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html (one profile at a time; a second call fails with ResourceInUseException)",
    smokeCheck: "pulumi-up-succeeds",
    check({ head }) {
      const graph = new ResourceGraph(head);
      const profiles = head.filter((r) => r.type === FARGATE_PROFILE);
      return profiles.flatMap((a, i) =>
        profiles.slice(i + 1).flatMap((b) => {
          const [ka, kb] = [recordKey(a), recordKey(b)];
          const apart = a.inputs.clusterName !== b.inputs.clusterName;
          if (apart || graph.waitsFor(ka, kb) || graph.waitsFor(kb, ka)) return [];
          const message = `can be created at the same time as ${ka} on the same cluster; chain the profiles with dependsOn`;
          return [{ subject: kb, message }];
        }),
      );
    },
  }),
];
