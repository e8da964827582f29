import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { day2Charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { zoneSpread } from "./metrics-server";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const EFS_CSI = {
  namespace: "kube-system",
  serviceAccount: "efs-csi-controller-sa",
  storageClassName: "efs",
} as const;

/** The AWS managed policy the EKS docs give the controller (note the `service-role/` path). */
export const efsCsiManagedPolicyArn = (partition: string): string =>
  `arn:${partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy`;

export interface EfsCsiSettings {
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

/**
 * Chart values (4.4.1). The controller runs 2 replicas by default with its PDB off: we turn the
 * PDB on and spread over zones (the chart adds its own label selector to each constraint).
 * Only the controller gets the IRSA role: it creates and deletes access points; the node
 * plugin only mounts, which needs no AWS API (upstream docs/iam-policy-create.md).
 */
export function efsCsiValues(roleArn: string): ValueLayers {
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
      controller: {
        serviceAccount: {
          create: true,
          name: EFS_CSI.serviceAccount,
          annotations: { "eks.amazonaws.com/role-arn": roleArn },
        },
      },
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

export interface EfsCsiDriverArgs {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** Chart value overrides. @default {} */
  settings?: EfsCsiSettings;
  /** Private subnets, one per zone; each gets a mount target. */
  subnetIds: pulumi.Input<string>[];
  /**
   * The security group EKS creates with the cluster (`Cluster.clusterSecurityGroupId`): managed
   * nodes carry it, so the CSI node plugin mounts from it; only it may reach NFS (2049) on the
   * mount targets (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html).
   */
  clusterSecurityGroupId: pulumi.Input<string>;
}

/** An encrypted EFS file system with mount targets, the EFS CSI driver and an `efs` StorageClass. */
export class EfsCsiDriver extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly fileSystem: aws.efs.FileSystem;
  readonly release: k8s.helm.v3.Release;
  readonly storageClass: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EfsCsiDriverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:EfsCsiDriver", name, {}, opts);
    const ctx = args.context;
    const child = { parent: this };
    this.fileSystem = new aws.efs.FileSystem(
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
        ingress: [
          {
            protocol: "tcp",
            fromPort: 2049,
            toPort: 2049,
            securityGroups: [args.clusterSecurityGroupId],
          },
        ],
        tags: ctx.tags,
      },
      child,
    );
    const mounts = args.subnetIds.map(
      (subnetId, i) =>
        new aws.efs.MountTarget(
          `${name}-mount-${i}`,
          { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [sg.id] },
          child,
        ),
    );
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        namespace: EFS_CSI.namespace,
        serviceAccount: EFS_CSI.serviceAccount,
        roleSuffix: "efs-csi-driver",
        managedPolicyArns: [efsCsiManagedPolicyArn(ctx.partition)],
      },
      this,
    );
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(day2Charts.awsEfsCsiDriver, {
        name: "aws-efs-csi-driver",
        namespace: EFS_CSI.namespace,
        values: this.role.roleArn.apply((arn) =>
          mergeValues(efsCsiValues(arn), args.settings?.values),
        ),
      }),
      { parent: this, provider: ctx.provider, dependsOn: [this.role, ...ctx.computeReady] },
    );
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-sc`,
      efsStorageClass(this.fileSystem.id),
      { parent: this, provider: ctx.provider, dependsOn: [this.release, ...mounts] },
    );
    this.registerOutputs({ fileSystemId: this.fileSystem.id });
  }
}
