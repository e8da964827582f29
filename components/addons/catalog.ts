/**
 * The pins that are not charts (image tags we override, the upstream IAM policy the ALB
 * controller's version was checked against, EKS managed add-on versions per Kubernetes minor),
 * and what a chart pin is and how it becomes a Helm release. Each chart pin is written in its
 * add-on's file, beside what it installs, as one object literal of the shape below (Renovate's
 * custom managers read them); `charts` (registry.ts) gathers them into the one chart map.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesMinor } from "../cluster/kubernetes-versions";

/** One Helm chart pinned to an exact version in a classic (https) Helm repository. */
export interface ChartPin {
  /** Bare chart name, as `helm.v3.Release.chart` takes it. */
  chart: string;
  /** Exact chart version: never a range, never "latest". */
  version: string;
  /** Helm repository URL (`repositoryOpts.repo`). */
  repo: `https://${string}`;
  /** The upstream Chart.yaml (or release) the pin was checked against. */
  source: string;
}

/** One Helm chart published only to an OCI registry: Helm takes the full reference as the chart. */
export interface OciChartPin {
  /** Full `oci://` reference, as `helm.v3.Release.chart` takes it (no `repositoryOpts`). */
  chart: `oci://${string}`;
  /** Exact chart version: never a range, never "latest". */
  version: string;
  /** The upstream Chart.yaml (or release) the pin was checked against. */
  source: string;
}

/**
 * cluster-autoscaler simulates the scheduler of one Kubernetes minor, so its image follows the
 * cluster's minor, not the chart's default (v1.35.0). Newest patch of each minor per the
 * kubernetes/autoscaler tags `cluster-autoscaler-1.3x.y` (2026-07-22).
 */
export const clusterAutoscalerImageTags: Record<KubernetesMinor, string> = {
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
};

/**
 * The upstream IAM policy the ALB controller's chart version was checked against. Bump
 * the chart pin in aws-load-balancer-controller.ts, `chartVersion`, `upstream` and the JSON copy
 * together: test/addons-catalog.test.ts fails when one moves without the others.
 */
export const albControllerIamPolicy = {
  chartVersion: "3.5.0",
  upstream:
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json",
  /** Our copy, beside this file (prettier may re-indent it, so it is compared as parsed JSON). */
  file: "aws-load-balancer-controller/iam-policy.json",
  /** sha256 of the copy's sorted-key JSON (`stableJson`), so an edit to the copy fails a test. */
  sha256: "bb9e48240ace4258c78d152ce98175ee6a118f0715faad4ff5a3e394c9d66171",
} as const;

/**
 * How each controller's IAM is held to its own cluster, and the upstream policy it is checked
 * against (every upstream action is kept: test/addons-policies.test.ts, test/day2-karpenter.test.ts,
 * test/isolation-policies.test.ts). The isolation matrix of `npm run coexist` asks the IAM
 * simulator whether each still reaches the other cluster; the reasons per statement are beside
 * each policy (ALB_SCOPING_REASONS, ebsCsiManagedPolicyArn, clusterSubnetsOnly).
 */
export const iamScoping = {
  awsLoadBalancerController: {
    reference: albControllerIamPolicy.upstream,
    conditions: [
      "creates: aws:RequestTag/elbv2.k8s.aws/cluster = <cluster> (upstream: the tag is present)",
      "changes to load balancers, target groups, security groups: aws:ResourceTag/elbv2.k8s.aws/cluster = <cluster> (upstream: present)",
      "listeners, rules, targets, certificates, WAF: aws:ResourceTag/elbv2.k8s.aws/cluster = <cluster> where the resource has it (upstream: none)",
      "security-group ingress on untagged groups: ec2:Vpc = the cluster's VPC (upstream: none)",
    ],
  },
  ebsCsiDriver: {
    reference: "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2",
    conditions: [
      "AWS's AmazonEBSCSIDriverEKSClusterScopedPolicy: volumes and snapshots with ebs.csi.aws.com/cluster-name = aws:PrincipalTag/eks-cluster-name (V2: ebs.csi.aws.com/cluster = true, every cluster's)",
      "instances: eks:cluster-name = aws:PrincipalTag/eks-cluster-name (V2: any instance)",
      "the role is tagged eks-cluster-name = <cluster>; the add-on sets controller.k8sTagClusterId = <cluster>",
    ],
  },
  karpenter: {
    reference:
      "https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml",
    conditions: [
      "RunInstances / CreateFleet: subnets and security groups must carry karpenter.sh/discovery = <cluster> (a Deny; upstream: any in the region)",
      "instances, launch templates, instance profiles: upstream's kubernetes.io/cluster/<cluster> = owned, unchanged",
    ],
  },
  clusterAutoscaler: {
    reference:
      "https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md",
    conditions: ["resizes: aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster> = owned"],
  },
  fluentBit: {
    reference: "https://github.com/aws/aws-for-fluent-bit",
    conditions: ["log streams only in the cluster's own log group ARNs"],
  },
} as const;

/** What turns a pin into a Helm release: every add-on's release goes through here. */
export function pinnedReleaseArgs(
  pin: ChartPin,
  release: {
    /** Helm release name; fixed, so chart resource names never get a random suffix. */
    name: string;
    namespace: pulumi.Input<string>;
    values: pulumi.Input<Record<string, unknown>>;
    /** @default 600 */
    timeoutSeconds?: number;
  },
): k8s.helm.v3.ReleaseArgs {
  return {
    name: release.name,
    chart: pin.chart,
    version: pin.version,
    repositoryOpts: { repo: pin.repo },
    namespace: release.namespace,
    values: release.values,
    // We create every namespace ourselves, with Pod Security Admission labels.
    createNamespace: false,
    // skipAwait stays false: on delete the provider then runs `helm uninstall --wait`, which
    // holds a LoadBalancer Service until the ALB controller has deleted its NLB (teardown order).
    timeout: release.timeoutSeconds ?? 600,
    maxHistory: 10,
  };
}

/** `pinnedReleaseArgs` for an OCI chart: the reference is the chart, and there is no repo. */
export function pinnedOciReleaseArgs(
  pin: OciChartPin,
  release: Parameters<typeof pinnedReleaseArgs>[1],
): k8s.helm.v3.ReleaseArgs {
  const args = pinnedReleaseArgs(
    { chart: pin.chart, version: pin.version, repo: "https://unused.invalid", source: pin.source },
    release,
  );
  // An oci:// chart carries its registry: Helm must get no classic repo URL beside it.
  delete args.repositoryOpts;
  return args;
}

/** The release args for either kind of pin. */
export function pinnedChartReleaseArgs(
  pin: ChartPin | OciChartPin,
  release: Parameters<typeof pinnedReleaseArgs>[1],
): k8s.helm.v3.ReleaseArgs {
  return "repo" in pin ? pinnedReleaseArgs(pin, release) : pinnedOciReleaseArgs(pin, release);
}

/** The EKS managed add-ons we pin for every supported minor. */
export interface EksAddonVersions {
  vpcCni: string;
  coredns: string;
  kubeProxy: string;
  podIdentityAgent: string;
  /** aws-ebs-csi-driver, installed by components/addons/ebs-csi.ts for Prometheus's gp3 volumes. */
  ebsCsiDriver: string;
  /** amazon-cloudwatch-observability (Container Insights). */
  cloudwatchObservability: string;
}

/** EKS add-on names, as `aws eks create-addon --addon-name` takes them. */
export const eksAddonNames: Record<keyof EksAddonVersions, string> = {
  vpcCni: "vpc-cni",
  coredns: "coredns",
  kubeProxy: "kube-proxy",
  podIdentityAgent: "eks-pod-identity-agent",
  ebsCsiDriver: "aws-ebs-csi-driver",
  cloudwatchObservability: "amazon-cloudwatch-observability",
};

/**
 * Where each add-on's pins were read. The EKS user guide publishes a "latest version of the
 * Amazon EKS add-on type for each Kubernetes version" table for vpc-cni, coredns and kube-proxy
 * only; for the other three it publishes no version at all (their pages send readers to
 * `aws eks describe-addon-versions`), so their pins come from AWS Labs' own per-minor version
 * maps in awslabs/cdk-eks-blueprints, the closest public AWS source. A pin is valid only while
 * EKS still offers it: .github/workflows/addon-versions.yml asks the live API every week, and
 * policy/rehearse/rules/eks-addons.ts refuses an add-on whose version is not listed here.
 */
export const eksAddonVersionSources: Record<keyof EksAddonVersions, string> = {
  // EKS user guide, "Amazon VPC CNI versions" table (the AWS China edition of the same guide,
  // the only copy we could read that lists 1.35).
  vpcCni: "https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md",
  // EKS user guide, "CoreDNS versions" table (the edition that lists 1.33 to 1.36).
  coredns: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md",
  // EKS user guide, "kube-proxy versions" table (same edition).
  kubeProxy: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md",
  // No EKS user guide table; awslabs/cdk-eks-blueprints commit 05d3dbd0 (2026-07-01).
  podIdentityAgent:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/eks-pod-identity-agent/index.ts",
  // No EKS user guide table; awslabs/cdk-eks-blueprints commit 05d3dbd0 (2026-07-01).
  ebsCsiDriver:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/ebs-csi-driver/index.ts",
  // No EKS user guide table; awslabs/cdk-eks-blueprints commit 05d3dbd0 (2026-07-01).
  cloudwatchObservability:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/cloud-watch-insights/index.ts",
};

/**
 * EKS managed add-on versions per Kubernetes minor, each the version its source (in
 * `eksAddonVersionSources`) gives for that minor. vpc-cni and eks-pod-identity-agent move one
 * minor at a time, so a bump here must not skip a minor of theirs.
 */
export const eksAddonVersions: Record<KubernetesMinor, EksAddonVersions> = {
  "1.33": {
    vpcCni: "v1.21.1-eksbuild.7", // user guide table, row 1.33
    coredns: "v1.12.4-eksbuild.18", // user guide table, row 1.33
    kubeProxy: "v1.33.10-eksbuild.13", // user guide table, row 1.33
    podIdentityAgent: "v1.3.10-eksbuild.2", // cdk-eks-blueprints versionMap, V1_33
    ebsCsiDriver: "v1.56.0-eksbuild.1", // cdk-eks-blueprints versionMap, V1_33
    cloudwatchObservability: "v4.10.1-eksbuild.1", // cdk-eks-blueprints versionMap, V1_33
  },
  "1.34": {
    vpcCni: "v1.21.1-eksbuild.7", // user guide table, row 1.34
    coredns: "v1.13.2-eksbuild.11", // user guide table, row 1.34
    kubeProxy: "v1.34.6-eksbuild.13", // user guide table, row 1.34
    podIdentityAgent: "v1.3.10-eksbuild.2", // cdk-eks-blueprints versionMap, V1_34
    ebsCsiDriver: "v1.56.0-eksbuild.1", // cdk-eks-blueprints versionMap, V1_34
    cloudwatchObservability: "v4.10.1-eksbuild.1", // cdk-eks-blueprints versionMap, V1_34
  },
  "1.35": {
    vpcCni: "v1.21.1-eksbuild.7", // user guide table, row 1.35
    coredns: "v1.14.3-eksbuild.3", // user guide table, row 1.35
    kubeProxy: "v1.35.3-eksbuild.13", // user guide table, row 1.35
    podIdentityAgent: "v1.3.10-eksbuild.2", // cdk-eks-blueprints versionMap, V1_35
    ebsCsiDriver: "v1.57.1-eksbuild.1", // cdk-eks-blueprints versionMap, V1_35
    cloudwatchObservability: "v5.3.1-eksbuild.1", // cdk-eks-blueprints versionMap, V1_35
  },
};
