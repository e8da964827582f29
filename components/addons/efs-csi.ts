import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { problem } from "../problems";
import { zoneSpread } from "./metrics-server";
import { type AddonSpec, type CommonSettings, present, type ValuesInput } from "./spec";
import { irsaServiceAccount, requests, ValueLayers } from "./values";

export const EFS_CSI = {
  namespace: "kube-system",
  serviceAccount: "efs-csi-controller-sa",
  storageClassName: "efs",
} as const;

/** The AWS managed policy the EKS docs give the controller (note the `service-role/` path). */
export const efsCsiManagedPolicyArn = (partition: string): string =>
  `arn:${partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy`;

/** The EFS CSI driver takes no settings of its own. */
export type EfsSettings = CommonSettings;

/**
 * Chart values (4.4.1): PDB on, zones spread (the chart adds selectors). Only the controller calls
 * AWS; the node plugin only mounts (upstream docs/iam-policy-create.md).
 */
export function efsCsiValues({ resolved }: ValuesInput<unknown>): ValueLayers {
  return {
    defaults: {
      controller: {
        replicaCount: 2,
        resources: requests("50m", "128Mi", "256Mi"),
        // minAvailable is the chart's key (maxUnavailable is only a comment in its values.yaml).
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        topologySpreadConstraints: zoneSpread({ app: "efs-csi-controller" }).map(
          ({ labelSelector: _chartAddsIt, ...c }) => c,
        ),
      },
    },
    owned: {
      controller: { serviceAccount: irsaServiceAccount(EFS_CSI.serviceAccount, resolved) },
      // We create the StorageClass ourselves, with the file system we made.
      storageClasses: [],
    },
  };
}

/** Dynamic provisioning through one access point per volume, owned by a per-volume GID. */
export function efsStorageClass(
  fileSystemId: pulumi.Input<string>,
): k8s.types.input.storage.v1.StorageClass {
  return {
    metadata: { name: EFS_CSI.storageClassName },
    provisioner: "efs.csi.aws.com",
    parameters: {
      provisioningMode: "efs-ap",
      fileSystemId,
      directoryPerms: "700",
      gidRangeStart: "1000",
      gidRangeEnd: "2000",
      basePath: "/dynamic_provisioning",
    },
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
  };
}

/** EFS needs the network from the context: mount targets go into its subnets. */
export function efsContextProblems(
  ctx: { privateSubnetIds?: unknown; clusterSecurityGroupId?: unknown },
  at: string,
): string[] {
  return (["privateSubnetIds", "clusterSecurityGroupId"] as const)
    .filter((k) => ctx[k] === undefined)
    .map((k) =>
      problem(
        `${at}.${k}`,
        "missing, and EFS mount targets need it",
        undefined,
        "build the bundle through Platform or EksBlueprint, or set it in the context",
      ),
    );
}

/** What the release waits for, and the file system the StorageClass names. */
type EfsPrepared = {
  dependsOn: pulumi.Resource[];
  fileSystem: aws.efs.FileSystem;
  mounts: aws.efs.MountTarget[];
};

export const efs: AddonSpec<EfsSettings, EfsPrepared> = {
  component: "Efs",
  summary:
    "An encrypted EFS file system with mount targets, the EFS CSI driver and an `efs` StorageClass.",
  namespace: { name: EFS_CSI.namespace },
  defaults: {},
  contextProblems: efsContextProblems,
  prepare: ({ name, context: ctx, child }) => {
    const fileSystem = new aws.efs.FileSystem(
      name,
      {
        encrypted: true,
        creationToken: `${ctx.clusterName}-efs`,
        tags: { ...ctx.tags, Name: `${ctx.clusterName}-efs` },
      },
      child,
    );
    const sg = new aws.ec2.SecurityGroup(
      `${name}-nfs`,
      {
        name: `${ctx.clusterName}-efs`,
        description: "NFS from the cluster's nodes to its EFS mount targets",
        vpcId: ctx.vpcId,
        // Only the security group EKS puts on managed nodes may reach NFS (2049): the CSI node
        // plugin mounts from it (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html).
        ingress: [
          {
            protocol: "tcp",
            fromPort: 2049,
            toPort: 2049,
            securityGroups: [present(ctx.clusterSecurityGroupId, "context.clusterSecurityGroupId")],
          },
        ],
        tags: ctx.tags,
      },
      child,
    );
    // One mount target per zone, named by the zone's index: zones never reorder.
    const mounts = present(ctx.privateSubnetIds, "context.privateSubnetIds").map(
      (subnetId, i) =>
        new aws.efs.MountTarget(
          `${name}-mount-${i}`,
          { fileSystemId: fileSystem.id, subnetId, securityGroups: [sg.id] },
          child,
        ),
    );
    return { dependsOn: [], fileSystem, mounts };
  },
  role: {
    serviceAccount: EFS_CSI.serviceAccount,
    roleSuffix: "efs-csi-driver",
    managedPolicyArns: (partition) => [efsCsiManagedPolicyArn(partition)],
  },
  chart: {
    // app v3.4.1
    pin: {
      chart: "aws-efs-csi-driver",
      version: "4.4.1",
      repo: "https://kubernetes-sigs.github.io/aws-efs-csi-driver/",
      source:
        "https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/helm-chart-aws-efs-csi-driver-4.4.1/charts/aws-efs-csi-driver/Chart.yaml",
    },
    release: "aws-efs-csi-driver",
    values: efsCsiValues,
  },
  finish: ({ name, k8s: k8sOpts }, { prepared, released }) => {
    const { fileSystem, mounts } = present(prepared, "efs's prepare");
    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-sc`,
      efsStorageClass(fileSystem.id),
      { ...k8sOpts, dependsOn: [...released, ...mounts] },
    );
    return { ready: [storageClass] };
  },
};
