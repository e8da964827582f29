import { allow, policyDocument, type PolicyDocument } from "../access/irsa-policy";
import { clusterAutoscalerImageTags } from "./catalog";
import { minorPins } from "./settings";
import type { AddonSpec, CommonSettings, ValuesInput } from "./spec";
import { irsaServiceAccount, requests, ValueLayers } from "./values";

export const CLUSTER_AUTOSCALER = {
  namespace: "kube-system",
  serviceAccount: "cluster-autoscaler",
} as const;

/** cluster-autoscaler takes no settings of its own. */
export type ClusterAutoscalerSettings = CommonSettings;

const imageTags = minorPins(
  clusterAutoscalerImageTags,
  "cluster-autoscaler image",
  "clusterAutoscalerImageTags",
);

/** A problem when the cluster's minor has no pinned autoscaler image. */
export const clusterAutoscalerClusterProblems = imageTags.problems;

/** The autoscaler image for a cluster's Kubernetes minor; throws for a minor we do not pin. */
export const clusterAutoscalerImageTag = imageTags.require;

export function clusterAutoscalerValues({
  context: ctx,
  resolved,
  serviceMonitor,
}: ValuesInput<ClusterAutoscalerSettings>): ValueLayers {
  return {
    defaults: {
      resources: requests("100m", "300Mi", "600Mi"),
      extraArgs: {
        // Spread scale-ups over the per-AZ groups EKS creates for one node group.
        "balance-similar-node-groups": true,
        expander: "least-waste",
      },
      serviceMonitor: { enabled: serviceMonitor, namespace: CLUSTER_AUTOSCALER.namespace },
    },
    owned: {
      cloudProvider: "aws",
      awsRegion: ctx.region,
      // The chart's default tags become --node-group-auto-discovery=asg:tag=
      // k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/<clusterName>: our groups only.
      autoDiscovery: { clusterName: ctx.clusterName },
      image: { tag: clusterAutoscalerImageTag(ctx.kubernetesVersion) },
      rbac: { serviceAccount: irsaServiceAccount(CLUSTER_AUTOSCALER.serviceAccount, resolved) },
    },
  };
}

export interface ClusterAutoscalerPolicyInput {
  clusterName: string;
  partition: string;
  region: string;
  accountId: string;
}

/**
 * Upstream's "full features" policy (reference iam/cluster-autoscaler.json), writes held to both
 * auto-discovery tags: never another cluster's nodes. Describe calls cannot be scoped, except
 * eks:DescribeNodegroup.
 */
export function clusterAutoscalerPolicy(i: ClusterAutoscalerPolicyInput): PolicyDocument {
  return policyDocument(
    allow(
      "Describe",
      [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      "*",
    ),
    allow(
      "DescribeOwnNodegroups",
      ["eks:DescribeNodegroup"],
      `arn:${i.partition}:eks:${i.region}:${i.accountId}:nodegroup/${i.clusterName}/*/*`,
    ),
    allow(
      "ScaleOwnGroups",
      ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      "*",
      {
        StringEquals: {
          [`aws:ResourceTag/k8s.io/cluster-autoscaler/${i.clusterName}`]: "owned",
          "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
        },
      },
    ),
  );
}

export const clusterAutoscaler: AddonSpec<ClusterAutoscalerSettings> = {
  component: "ClusterAutoscaler",
  summary: "cluster-autoscaler for this cluster's managed node groups (the default autoscaler).",
  namespace: { name: CLUSTER_AUTOSCALER.namespace },
  defaults: {},
  contextProblems: clusterAutoscalerClusterProblems,
  onByDefault: "it is the default autoscaler (off when Karpenter is selected)",
  installAfter: { prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs" },
  role: {
    serviceAccount: CLUSTER_AUTOSCALER.serviceAccount,
    roleSuffix: "cluster-autoscaler",
    policy: (ctx, r) => clusterAutoscalerPolicy({ ...ctx, accountId: r.accountId }),
  },
  chart: {
    // app 1.35.0; we override the image per Kubernetes minor (`clusterAutoscalerImageTags`).
    pin: {
      chart: "cluster-autoscaler",
      version: "9.59.0",
      repo: "https://kubernetes.github.io/autoscaler",
      source:
        "https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-chart-9.59.0/cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml",
    },
    release: "cluster-autoscaler",
    values: clusterAutoscalerValues,
  },
};
