import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "./catalog";
import type { AddonContext } from "./context";

export const EBS_CSI = {
  namespace: "kube-system",
  serviceAccount: "ebs-csi-controller-sa",
  /** The default StorageClass we create. */
  storageClassName: "gp3",
} as const;

/** The pinned add-on version for the cluster's minor; throws for a minor the catalog lacks. */
export function ebsCsiAddonVersion(kubernetesVersion: string): string {
  const pinned = (eksAddonVersions as Record<string, EksAddonVersions | undefined>)[
    kubernetesVersion
  ];
  if (!pinned) {
    throw new Error(
      `kubernetesVersion: no aws-ebs-csi-driver version pinned for this minor (got ${JSON.stringify(kubernetesVersion)}); add it to eksAddonVersions in components/addons/catalog.ts`,
    );
  }
  return pinned.ebsCsiDriver;
}

/**
 * AWS's current recommendation for the driver (upstream docs/install.md since April 2026): V2
 * limits it to volumes and snapshots tagged `ebs.csi.aws.com/cluster: true`, which it tags itself.
 * No `service-role/` path, unlike V1's `service-role/AmazonEBSCSIDriverPolicy`: the AWS managed
 * policy reference gives `arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2`
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEBSCSIDriverPolicyV2.html),
 * and a wrong path is NoSuchEntity (rehearsal rule iam-managed-policy-exists).
 */
export function ebsCsiManagedPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AmazonEBSCSIDriverPolicyV2`;
}

/**
 * gp3, encrypted (the account's aws/ebs key unless a KMS key is given), bound where the pod is
 * scheduled so the volume lands in the pod's AZ, expandable, and the cluster default.
 */
export function gp3StorageClass(kmsKeyId?: string): k8s.types.input.storage.v1.StorageClass {
  return {
    metadata: {
      name: EBS_CSI.storageClassName,
      annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
    },
    provisioner: "ebs.csi.aws.com",
    parameters: {
      type: "gp3",
      encrypted: "true",
      fsType: "ext4",
      ...(kmsKeyId ? { kmsKeyId } : {}),
    },
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    // Delete, so `pulumi destroy` leaves no volume behind once its claim is gone.
    reclaimPolicy: "Delete",
  };
}

export interface EbsCsiDriverArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** KMS key for volume encryption. @default the account's aws/ebs key */
  kmsKeyId?: string;
}

/** The aws-ebs-csi-driver EKS add-on with its IRSA role, and an encrypted gp3 default StorageClass. */
export class EbsCsiDriver extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly addon: aws.eks.Addon;
  readonly storageClass: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EbsCsiDriverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:EbsCsiDriver", name, {}, opts);
    const ctx = args.context;
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...EBS_CSI,
        roleSuffix: "ebs-csi-driver",
        managedPolicyArns: [ebsCsiManagedPolicyArn(ctx.partition)],
      },
      this,
    );
    // The add-on's controller and node manifests carry their own resource requests.
    this.addon = new aws.eks.Addon(
      name,
      {
        clusterName: ctx.cluster,
        addonName: eksAddonNames.ebsCsiDriver,
        addonVersion: ebsCsiAddonVersion(ctx.kubernetesVersion),
        serviceAccountRoleArn: this.role.roleArn,
        // Configuration lives in code: on-cluster edits are overwritten, never merged.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: ctx.tags,
      },
      // EKS reports the add-on ACTIVE only once its pods run, so it needs nodes.
      { parent: this, dependsOn: [this.role, ...ctx.computeReady] },
    );
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      gp3StorageClass(args.kmsKeyId),
      { parent: this, provider: ctx.provider, dependsOn: [this.addon] },
    );
    this.registerOutputs({ storageClass: this.storageClass.metadata.name });
  }
}
