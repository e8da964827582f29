import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { pinnedOciReleaseArgs, type OciChartPin } from "../catalog";
import { clusterKinds, namespacedKinds } from "../crds";
import { type AddonChart, type AddonSpec, type CommonSettings, present } from "../spec";
import { requests, ValueLayers } from "../values";
import { managedPolicyArn, serviceTrustPolicy } from "../../cluster/cluster-settings";
import { irsaAnnotation, stableJson } from "../../access/irsa-policy";
import { labelProblems } from "../../kubernetes-names";
import { NODE_ROLE_POLICIES } from "../../compute/node-groups";
import { InterruptionQueue } from "./interruption-queue";
import {
  ec2NodeClassSpec,
  KarpenterNodePoolSpec,
  nodePoolSpec,
  nodePoolsProblems,
} from "./node-pools";
import { karpenterControllerPolicy } from "./policy";

const KARPENTER_VERSION = "1.14.1"; // controller and CRD charts must match (upstream upgrade guide)

/** The CRDs both charts carry; karpenter-crd ships them as templates, the controller's in crds/. */
const KARPENTER_CRDS = [
  ...namespacedKinds("autoscaling.x-k8s.io", "CapacityBuffer"),
  ...clusterKinds("karpenter.k8s.aws", "EC2NodeClass"),
  ...clusterKinds("karpenter.sh", "NodeClaim", "NodeOverlay", "NodePool"),
];

/**
 * The CRD chart, released with the controller from the same branch. Released from c88abbba… on
 * branch release-v1.14.1 (the tag's own Chart.yaml says 1.13.0).
 */
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

/** Where the controller runs. */
export const KARPENTER = { namespace: "kube-system", serviceAccount: "karpenter" } as const;

export interface KarpenterSettings extends CommonSettings {
  /** NodePools (each with its EC2NodeClass), by name. */
  nodePools: Record<string, KarpenterNodePoolSpec>;
  /**
   * Node labels that place the controller on the small managed group reserved for it (or on
   * Fargate, whose profile selects kube-system pods labelled app.kubernetes.io/name=karpenter).
   * The chart's own affinity already keeps it off the nodes it manages. @default none
   */
  controllerNodeSelector?: Record<string, string>;
}

/**
 * Controller values. The chart's defaults already give 2 replicas, a PDB (maxUnavailable 1) and
 * a zone spread; we restate the first two so the PDB check sees them, and set upstream's
 * getting-started resources (1 CPU, 1Gi).
 */
export function karpenterValues(i: {
  clusterName: string;
  queueName: string;
  roleArn: string;
  controllerNodeSelector?: Record<string, string>;
}): ValueLayers {
  return {
    defaults: {
      replicas: 2,
      podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
      controller: { resources: { ...requests("1", "1Gi"), limits: { cpu: "1", memory: "1Gi" } } },
      nodeSelector: { "kubernetes.io/os": "linux", ...i.controllerNodeSelector },
    },
    owned: {
      settings: { clusterName: i.clusterName, interruptionQueue: i.queueName },
      serviceAccount: {
        create: true,
        name: KARPENTER.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
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

/**
 * Karpenter as the cluster's autoscaler, in place of cluster-autoscaler: interruption queue and rules,
 * node role with an EC2_LINUX access entry, controller IRSA role, the CRD and controller charts,
 * and the NodePools with their EC2NodeClasses. No aws-node-termination-handler: Karpenter handles
 * the same interruption events from its queue (Karpenter FAQ, v1.14).
 */
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
    const nodeRole = new aws.iam.Role(
      `${name}-node`,
      {
        name: nodeRoleName,
        assumeRolePolicy: stableJson(serviceTrustPolicy("ec2.amazonaws.com")),
        tags: ctx.tags,
      },
      child,
    );
    // Upstream also attaches AmazonEKS_CNI_Policy here; ours lives on the vpc-cni IRSA role.
    const attachments = NODE_ROLE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: managedPolicyArn(ctx.partition, policy) },
          child,
        ),
    );
    // EC2_LINUX lets nodes with this role join as system:nodes (access entries, not aws-auth).
    const accessEntry = new aws.eks.AccessEntry(
      `${name}-node`,
      { clusterName: ctx.cluster, principalArn: nodeRole.arn, type: "EC2_LINUX", tags: ctx.tags },
      child,
    );
    // Separate CRD chart: Helm never upgrades a chart's crds/ folder (upstream upgrade guide).
    const crds = new k8s.helm.v3.Release(
      `${name}-crd`,
      pinnedOciReleaseArgs(karpenterCrdChart.pin, {
        name: "karpenter-crd",
        namespace: KARPENTER.namespace,
        values: {},
      }),
      { ...k8sOpts, dependsOn: [...ctx.computeReady] },
    );
    return {
      dependsOn: [crds, accessEntry, ...attachments],
      inputs: {
        nodeRoleArn: nodeRole.arn,
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
    values: ({ context, settings, resolved }) =>
      karpenterValues({
        clusterName: context.clusterName,
        controllerNodeSelector: settings.controllerNodeSelector,
        roleArn: present(resolved.roleArn, "its IRSA role"),
        queueName: present(resolved.queueName, "prepare's queueName"),
      }),
    // karpenter-crd owns the CRDs; the controller chart's copy in crds/ must not compete.
    skipCrds: true,
  },
  hookCharts: { karpenterCrd: karpenterCrdChart },
  finish: ({ name, context: ctx, settings, k8s: k8sOpts }, plumbed) => {
    const prepared = present(plumbed.prepared, "karpenter's prepare");
    const { released } = plumbed;
    for (const [pool, spec] of Object.entries(settings.nodePools)) {
      const nodeClass = new k8s.apiextensions.CustomResource(
        `${name}-${pool}-nodeclass`,
        {
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: pool },
          spec: ec2NodeClassSpec(spec, {
            clusterName: ctx.clusterName,
            nodeRoleName: prepared.nodeRoleName,
            tags: ctx.tags,
          }),
        },
        // After the controller too, so on destroy the controller outlives its nodes and drains them.
        { ...k8sOpts, dependsOn: [prepared.crds, ...released] },
      );
      new k8s.apiextensions.CustomResource(
        `${name}-${pool}-nodepool`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: pool },
          spec: nodePoolSpec(pool, spec),
        },
        { ...k8sOpts, dependsOn: [prepared.crds, ...released, nodeClass] },
      );
    }
    return {};
  },
};
