/** Non-chart pins and how a chart pin becomes a Helm release (chart pins: each add-on's file). */
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
 * cluster-autoscaler simulates one minor's scheduler, so its image follows the cluster's minor,
 * not the chart's v1.35.0. Newest patches per tags `cluster-autoscaler-1.3x.y` (2026-07-22); 1.36
 * per the release notes of tag cluster-autoscaler-1.36.1 (no chart packages 1.36 yet).
 */
export const clusterAutoscalerImageTags: Record<KubernetesMinor, string> = {
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
  "1.36": "v1.36.1",
};

/** ALB controller IAM policy pin: bump with the chart pin and JSON copy (addons-catalog test). */
export const albControllerIamPolicy = {
  chartVersion: "3.5.0",
  upstream:
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json",
  /** Our copy, beside this file (prettier may re-indent it, so it is compared as parsed JSON). */
  file: "aws-load-balancer-controller/iam-policy.json",
  /** sha256 of the copy's sorted-key JSON (`stableJson`), so an edit to the copy fails a test. */
  sha256: "bb9e48240ace4258c78d152ce98175ee6a118f0715faad4ff5a3e394c9d66171",
} as const;

/** What turns a pin into a Helm release: every add-on's release goes through here. */
export function pinnedReleaseArgs(
  pin: ChartPin | OciChartPin,
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
    // An oci:// chart carries its registry: Helm must get no classic repo URL beside it.
    ...("repo" in pin ? { repositoryOpts: { repo: pin.repo } } : {}),
    namespace: release.namespace,
    values: release.values,
    // We create every namespace ourselves, with Pod Security Admission labels.
    createNamespace: false,
    // skipAwait false: `helm uninstall --wait` holds a LB Service until its NLB is deleted.
    timeout: release.timeoutSeconds ?? 600,
    maxHistory: 10,
  };
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
 * Where each pin was read. The EKS user guide tables versions per minor for vpc-cni, coredns and
 * kube-proxy only; the other three come from awslabs/cdk-eks-blueprints' per-minor version maps,
 * the closest public AWS source. .github/workflows/addon-versions.yml checks weekly that EKS still
 * offers each pin; policy/rehearse/rules/eks-addons.ts refuses a version not listed here.
 */
export const eksAddonVersionSources: Record<keyof EksAddonVersions, string> = {
  // EKS user guide, "Amazon VPC CNI versions" table (AWS China edition: the only one listing 1.35).
  vpcCni: "https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md",
  // EKS user guide, "CoreDNS versions" / "kube-proxy versions" tables (edition listing 1.31-1.36).
  coredns: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md",
  kubeProxy: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md",
  // These three: no EKS user guide table; awslabs/cdk-eks-blueprints commit 05d3dbd0 (2026-07-01).
  podIdentityAgent:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/eks-pod-identity-agent/index.ts",
  ebsCsiDriver:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/ebs-csi-driver/index.ts",
  cloudwatchObservability:
    "https://github.com/awslabs/cdk-eks-blueprints/blob/05d3dbd0a462409bf002c989750d0de13bf83af2/lib/addons/cloud-watch-insights/index.ts",
};

/** Per minor as sourced; vpc-cni and eks-pod-identity-agent bumps must not skip a minor. */
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
  // Where a cited source has no 1.36 row reachable here, the 1.35 row's build: these builds are
  // not minor-specific (one build serves 1.33-1.35 above), and addon-versions.yml checks weekly
  // that EKS offers each for 1.36 (`aws eks describe-addon-versions --kubernetes-version 1.36`).
  "1.36": {
    vpcCni: "v1.21.1-eksbuild.7", // no 1.36 row reachable; rows 1.33-1.35 all list this build
    coredns: "v1.14.3-eksbuild.3", // no 1.36 row reachable; row 1.35 (EKS Distro v1-36 ships CoreDNS v1.14.3)
    kubeProxy: "v1.36.0-eksbuild.14", // user guide table, row 1.36
    podIdentityAgent: "v1.3.10-eksbuild.2", // versionMap has no V1_36: V1_35's (one build for all)
    ebsCsiDriver: "v1.57.1-eksbuild.1", // versionMap has no V1_36: V1_35's
    cloudwatchObservability: "v5.3.1-eksbuild.1", // versionMap has no V1_36: V1_35's
  },
};
