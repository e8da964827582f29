import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { pinnedReleaseArgs, type OciChartPin } from "../catalog";
import { clusterKinds, customResource, namespacedKinds } from "../crds";
import { present } from "../spec";
import type { AddonChart, AddonSpec, CommonSettings, ValuesInput } from "../spec";
import { irsaServiceAccount, requests, ValueLayers } from "../values";
import { labelProblems } from "../../kubernetes-names";
import { nodeRole } from "../../compute/node-groups";
import { InterruptionQueue } from "./interruption-queue";
import { ec2NodeClassSpec, nodePoolSpec, nodePoolsProblems } from "./node-pools";
import type { KarpenterNodePoolSpec } from "./node-pools";
import { karpenterControllerPolicy } from "./policy";

const KARPENTER_VERSION = "1.14.1"; // controller and CRD charts must match (upstream upgrade guide)

/** The CRDs both charts carry; karpenter-crd ships them as templates, the controller's in crds/. */
const KARPENTER_CRDS = [
  ...namespacedKinds("autoscaling.x-k8s.io", "CapacityBuffer"),
  ...clusterKinds("karpenter.k8s.aws", "EC2NodeClass"),
  ...clusterKinds("karpenter.sh", "NodeClaim NodeOverlay NodePool"),
];

/** The CRD chart, from branch release-v1.14.1 (c88abbba…; the tag's Chart.yaml says 1.13.0). */
const karpenterCrdChart = {
  pin: {
    chart: "oci://public.ecr.aws/karpenter/karpenter-crd",
    version: KARPENTER_VERSION,
    source: `https://github.com/aws/karpenter-provider-aws/blob/release-v${KARPENTER_VERSION}/charts/karpenter-crd/Chart.yaml`,
  },
  // The CRDs as templates, so `helm upgrade` moves them (Karpenter upgrade guide).
  crds: {
    checkedAt: "1.14.1",
    delivery: "templates",
    kinds: KARPENTER_CRDS,
    source: `https://github.com/aws/karpenter-provider-aws/tree/v${KARPENTER_VERSION}/charts/karpenter-crd/templates`,
  },
} satisfies AddonChart & { pin: OciChartPin };

export const KARPENTER = { namespace: "kube-system", serviceAccount: "karpenter" } as const;

export interface KarpenterSettings extends CommonSettings {
  /** NodePools (each with its EC2NodeClass), by name. */
  nodePools: Record<string, KarpenterNodePoolSpec>;
  /** Labels placing the controller on its reserved group (or Fargate's profile). @default none */
  controllerNodeSelector?: Record<string, string>;
}

/** Restates the chart's 2 replicas and PDB for the PDB check; resources as upstream's guide. */
export function karpenterValues({
  context: ctx,
  settings: s,
  resolved,
}: ValuesInput<KarpenterSettings>): ValueLayers {
  return {
    defaults: {
      replicas: 2,
      podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
      controller: { resources: { ...requests("1", "1Gi"), limits: { cpu: "1", memory: "1Gi" } } },
      nodeSelector: { "kubernetes.io/os": "linux", ...s.controllerNodeSelector },
    },
    owned: {
      settings: {
        clusterName: ctx.clusterName,
        interruptionQueue: present(resolved.queueName, "prepare's queueName"),
      },
      serviceAccount: irsaServiceAccount(KARPENTER.serviceAccount, resolved),
    },
  };
}

/** What the controller's release waits for, and what the NodePools need. */
type KarpenterPrepared = {
  dependsOn: pulumi.Resource[];
  inputs: Record<string, pulumi.Input<string>>;
  crds: k8s.helm.v3.Release;
  nodeRoleName: string;
};

/** No aws-node-termination-handler: Karpenter reads those events from its queue (FAQ, v1.14). */
export const karpenter: AddonSpec<KarpenterSettings, KarpenterPrepared> = {
  component: "Karpenter",
  summary:
    "Karpenter with its interruption queue, node role and NodePools, in place of cluster-autoscaler.",
  namespace: { name: KARPENTER.namespace },
  defaults: { nodePools: undefined, controllerNodeSelector: undefined },
  conflicts: { clusterAutoscaler: "both would manage the same nodes" },
  problems: (s, at) => [
    ...nodePoolsProblems(s.nodePools, `${at}.nodePools`),
    ...labelProblems(s.controllerNodeSelector, `${at}.controllerNodeSelector`),
  ],
  prepare: ({ name, context: ctx, child, k8s: k8sOpts }) => {
    const interruption = new InterruptionQueue(
      `${name}-interruption`,
      { clusterName: ctx.clusterName, tags: ctx.tags },
      child,
    );
    const nodeRoleName = `${ctx.clusterName}-karpenter-node`;
    // Upstream also attaches AmazonEKS_CNI_Policy here; ours lives on the vpc-cni IRSA role.
    const { role: node, attachments } = nodeRole(`${name}-node`, nodeRoleName, ctx, child.parent);
    // EC2_LINUX lets nodes with this role join as system:nodes (access entries, not aws-auth).
    const accessEntry = new aws.eks.AccessEntry(
      `${name}-node`,
      { clusterName: ctx.cluster, principalArn: node.arn, type: "EC2_LINUX", tags: ctx.tags },
      child,
    );
    // Separate CRD chart: Helm never upgrades a chart's crds/ folder (upstream upgrade guide).
    const crds = new k8s.helm.v3.Release(
      `${name}-crd`,
      pinnedReleaseArgs(karpenterCrdChart.pin, {
        name: "karpenter-crd",
        namespace: KARPENTER.namespace,
        values: {},
      }),
      { ...k8sOpts, dependsOn: [...ctx.computeReady] },
    );
    return {
      dependsOn: [crds, accessEntry, ...attachments],
      inputs: {
        nodeRoleArn: node.arn,
        queueArn: interruption.queue.arn,
        queueName: interruption.queue.name,
      },
      crds,
      nodeRoleName,
    };
  },
  role: {
    serviceAccount: KARPENTER.serviceAccount,
    roleSuffix: "karpenter",
    policy: (ctx, r) =>
      karpenterControllerPolicy({
        ...ctx,
        accountId: r.accountId,
        vpcId: r.vpcId,
        instanceTagKeys: Object.keys(ctx.tags),
        nodeRoleArn: present(r.nodeRoleArn, "prepare's nodeRoleArn"),
        queueArn: present(r.queueArn, "prepare's queueArn"),
      }),
  },
  chart: {
    pin: {
      chart: "oci://public.ecr.aws/karpenter/karpenter",
      version: KARPENTER_VERSION,
      source: `https://github.com/aws/karpenter-provider-aws/blob/release-v${KARPENTER_VERSION}/charts/karpenter/Chart.yaml`,
    },
    // The same CRDs in crds/; the release skips them and karpenter-crd owns them.
    crds: {
      checkedAt: "1.14.1",
      delivery: "crds-dir",
      kinds: KARPENTER_CRDS,
      source: `https://github.com/aws/karpenter-provider-aws/tree/v${KARPENTER_VERSION}/charts/karpenter/crds`,
      upgrade: { via: "crd-chart", chart: karpenterCrdChart.pin.chart },
    },
    release: "karpenter",
    values: karpenterValues,
    // karpenter-crd owns the CRDs; the controller chart's copy in crds/ must not compete.
    skipCrds: true,
  },
  hookCharts: { karpenterCrd: karpenterCrdChart },
  finish: ({ name, context: ctx, settings, k8s: k8sOpts }, { prepared, released }) => {
    const { crds, nodeRoleName } = present(prepared, "karpenter's prepare");
    for (const [pool, spec] of Object.entries(settings.nodePools)) {
      const nodeClass = customResource(
        `${name}-${pool}-nodeclass`,
        ["karpenter.k8s.aws/v1", "EC2NodeClass"],
        { name: pool },
        ec2NodeClassSpec(spec, { ...ctx, nodeRoleName }),
        // After the controller too, so on destroy the controller outlives its nodes and drains them.
        { ...k8sOpts, dependsOn: [crds, ...released] },
      );
      customResource(
        `${name}-${pool}-nodepool`,
        ["karpenter.sh/v1", "NodePool"],
        { name: pool },
        nodePoolSpec(pool, spec),
        { ...k8sOpts, dependsOn: [crds, ...released, nodeClass] },
      );
    }
    return {};
  },
};
