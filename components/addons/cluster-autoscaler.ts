import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { irsaAnnotation, PolicyDocument, stableJson } from "../irsa-policy";
import { SUPPORTED_KUBERNETES_MINORS } from "../kubernetes-versions";
import { charts, clusterAutoscalerImageTags, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const CLUSTER_AUTOSCALER = {
  namespace: "kube-system",
  serviceAccount: "cluster-autoscaler",
} as const;

export interface ClusterAutoscalerSettings {
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

/** The autoscaler image for a cluster's Kubernetes minor; throws for a minor we do not pin. */
export function clusterAutoscalerImageTag(kubernetesVersion: string): string {
  const tag = (clusterAutoscalerImageTags as Record<string, string | undefined>)[kubernetesVersion];
  if (!tag) {
    throw new Error(
      `kubernetesVersion: no cluster-autoscaler image pinned for this minor (got ${JSON.stringify(kubernetesVersion)}); use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")} or add it to components/addons/catalog.ts`,
    );
  }
  return tag;
}

export interface ClusterAutoscalerValuesInput {
  clusterName: string;
  region: string;
  kubernetesVersion: string;
  roleArn: string;
  /** Create a ServiceMonitor (needs the Prometheus operator's CRDs). @default false */
  serviceMonitor?: boolean;
}

export function clusterAutoscalerValues(i: ClusterAutoscalerValuesInput): ValueLayers {
  return {
    defaults: {
      resources: requests("100m", "300Mi", "600Mi"),
      extraArgs: {
        // Spread scale-ups over the per-AZ groups EKS creates for one node group.
        "balance-similar-node-groups": true,
        expander: "least-waste",
      },
      serviceMonitor: {
        enabled: i.serviceMonitor ?? false,
        namespace: CLUSTER_AUTOSCALER.namespace,
      },
    },
    owned: {
      cloudProvider: "aws",
      awsRegion: i.region,
      // The chart's default tags become --node-group-auto-discovery=asg:tag=
      // k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/<clusterName>: our groups only.
      autoDiscovery: { clusterName: i.clusterName },
      image: { tag: clusterAutoscalerImageTag(i.kubernetesVersion) },
      rbac: {
        serviceAccount: {
          create: true,
          name: CLUSTER_AUTOSCALER.serviceAccount,
          annotations: irsaAnnotation(i.roleArn),
        },
      },
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
 * Upstream's "full features" policy (reference iam/cluster-autoscaler.json) with its write
 * statement conditioned on both auto-discovery tags, which EKS managed node groups put on their
 * Auto Scaling groups: this cluster's autoscaler can never resize another cluster's nodes.
 * Describe calls support no resource scoping, except eks:DescribeNodegroup.
 */
export function clusterAutoscalerPolicy(i: ClusterAutoscalerPolicyInput): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
        ],
        Resource: "*",
      },
      {
        Sid: "DescribeOwnNodegroups",
        Effect: "Allow",
        Action: ["eks:DescribeNodegroup"],
        Resource: `arn:${i.partition}:eks:${i.region}:${i.accountId}:nodegroup/${i.clusterName}/*/*`,
      },
      {
        Sid: "ScaleOwnGroups",
        Effect: "Allow",
        Action: [
          "autoscaling:SetDesiredCapacity",
          "autoscaling:TerminateInstanceInAutoScalingGroup",
        ],
        Resource: "*",
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${i.clusterName}`]: "owned",
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
          },
        },
      },
    ],
  };
}

export interface ClusterAutoscalerArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: ClusterAutoscalerSettings;
  /** Releases whose CRDs this one uses. @default [] */
  dependsOn?: pulumi.Resource[];
  /** Create a ServiceMonitor. @default false */
  serviceMonitor?: boolean;
}

/** cluster-autoscaler with ASG auto-discovery limited to this cluster's node groups. */
export class ClusterAutoscaler extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:ClusterAutoscaler", name, {}, opts);
    const ctx = args.context;
    // Fail before any resource exists when the minor has no pinned image.
    clusterAutoscalerImageTag(ctx.kubernetesVersion);
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...CLUSTER_AUTOSCALER,
        roleSuffix: "cluster-autoscaler",
        policy: pulumi
          .output(ctx.accountId)
          .apply((accountId) => stableJson(clusterAutoscalerPolicy({ ...ctx, accountId }))),
      },
      this,
    );
    const values = this.role.roleArn.apply((roleArn) =>
      mergeValues(
        clusterAutoscalerValues({ ...ctx, roleArn, serviceMonitor: args.serviceMonitor }),
        args.settings.values,
      ),
    );
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(charts.clusterAutoscaler, {
        name: "cluster-autoscaler",
        namespace: CLUSTER_AUTOSCALER.namespace,
        values,
      }),
      {
        parent: this,
        provider: ctx.provider,
        dependsOn: [this.role, ...ctx.computeReady, ...(args.dependsOn ?? [])],
      },
    );
    this.registerOutputs({ roleArn: this.role.roleArn, release: this.release.status });
  }
}
