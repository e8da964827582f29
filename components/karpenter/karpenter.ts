import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ociCharts, pinnedOciReleaseArgs } from "../addons/catalog";
import type { AddonContext } from "../addons/context";
import { mergeValues, requests, ValueLayers, Values } from "../addons/values";
import { managedPolicyArn, serviceTrustPolicy } from "../cluster-settings";
import { addonRole } from "../addons/addon-role";
import { IrsaRole } from "../irsa";
import { irsaAnnotation, stableJson } from "../irsa-policy";
import { NODE_ROLE_POLICIES } from "../node-groups";
import { InterruptionQueue } from "./interruption-queue";
import { ec2NodeClassSpec, KarpenterNodePoolSpec, nodePoolSpec } from "./node-pools";
import { karpenterControllerPolicy } from "./policy";

export const KARPENTER = { namespace: "kube-system", serviceAccount: "karpenter" } as const;

export interface KarpenterSettings {
  /** NodePools (each with its EC2NodeClass), by name. */
  nodePools: Record<string, KarpenterNodePoolSpec>;
  /**
   * Node labels that place the controller on the small managed group reserved for it (or on
   * Fargate, whose profile selects kube-system pods labelled app.kubernetes.io/name=karpenter).
   * The chart's own affinity already keeps it off the nodes it manages. @default none
   */
  controllerNodeSelector?: Record<string, string>;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
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

export interface KarpenterArgs {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** Node pools, controller placement and chart value overrides. */
  settings: KarpenterSettings;
}

/**
 * Karpenter as the cluster's autoscaler: interruption queue and rules, node role with an
 * EC2_LINUX access entry, controller IRSA role, the CRD and controller charts, and the
 * NodePools with their EC2NodeClasses. No aws-node-termination-handler: Karpenter handles the
 * same interruption events from its queue (Karpenter FAQ, v1.14).
 */
export class Karpenter extends pulumi.ComponentResource {
  readonly interruption: InterruptionQueue;
  readonly nodeRole: aws.iam.Role;
  readonly accessEntry: aws.eks.AccessEntry;
  readonly controllerRole: IrsaRole;
  readonly crds: k8s.helm.v3.Release;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Karpenter", name, {}, opts);
    const ctx = args.context;
    const child = { parent: this };
    this.interruption = new InterruptionQueue(
      `${name}-interruption`,
      { clusterName: ctx.clusterName, tags: ctx.tags },
      child,
    );
    const nodeRoleName = `${ctx.clusterName}-karpenter-node`;
    this.nodeRole = new aws.iam.Role(
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
          { role: this.nodeRole.name, policyArn: managedPolicyArn(ctx.partition, policy) },
          child,
        ),
    );
    // EC2_LINUX lets nodes with this role join as system:nodes (access entries, not aws-auth).
    this.accessEntry = new aws.eks.AccessEntry(
      `${name}-node`,
      {
        clusterName: ctx.cluster,
        principalArn: this.nodeRole.arn,
        type: "EC2_LINUX",
        tags: ctx.tags,
      },
      child,
    );
    this.controllerRole = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...KARPENTER,
        roleSuffix: "karpenter",
        policy: pulumi
          .all([ctx.accountId, this.nodeRole.arn, this.interruption.queue.arn])
          .apply(([accountId, nodeRoleArn, queueArn]) =>
            stableJson(karpenterControllerPolicy({ ...ctx, accountId, nodeRoleArn, queueArn })),
          ),
      },
      this,
    );
    const k8sOpts = { parent: this, provider: ctx.provider };
    // Separate CRD chart: Helm never upgrades a chart's crds/ folder (upstream upgrade guide).
    this.crds = new k8s.helm.v3.Release(
      `${name}-crd`,
      pinnedOciReleaseArgs(ociCharts.karpenterCrd, {
        name: "karpenter-crd",
        namespace: KARPENTER.namespace,
        values: {},
      }),
      { ...k8sOpts, dependsOn: [...ctx.computeReady] },
    );
    const values = pulumi
      .all([this.controllerRole.roleArn, this.interruption.queue.name])
      .apply(([roleArn, queueName]) =>
        mergeValues(
          karpenterValues({ ...ctx, ...args.settings, roleArn, queueName }),
          args.settings.values,
        ),
      );
    this.release = new k8s.helm.v3.Release(
      name,
      {
        ...pinnedOciReleaseArgs(ociCharts.karpenter, {
          name: "karpenter",
          namespace: KARPENTER.namespace,
          values,
        }),
        // karpenter-crd owns the CRDs; the controller chart's copy in crds/ must not compete.
        skipCrds: true,
      },
      {
        ...k8sOpts,
        dependsOn: [this.crds, this.controllerRole, this.accessEntry, ...attachments],
      },
    );
    for (const [pool, spec] of Object.entries(args.settings.nodePools)) {
      const nodeClass = new k8s.apiextensions.CustomResource(
        `${name}-${pool}-nodeclass`,
        {
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: pool },
          spec: ec2NodeClassSpec(spec, {
            clusterName: ctx.clusterName,
            nodeRoleName,
            tags: ctx.tags,
          }),
        },
        // After the controller too, so on destroy the controller outlives its nodes and drains them.
        { ...k8sOpts, dependsOn: [this.crds, this.release] },
      );
      new k8s.apiextensions.CustomResource(
        `${name}-${pool}-nodepool`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: pool },
          spec: nodePoolSpec(pool, spec),
        },
        { ...k8sOpts, dependsOn: [this.crds, this.release, nodeClass] },
      );
    }
    this.registerOutputs({
      nodeRoleArn: this.nodeRole.arn,
      queueName: this.interruption.queue.name,
    });
  }
}
