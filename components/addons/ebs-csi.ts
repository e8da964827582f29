import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { problem } from "../problems";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "./catalog";
import { minorPins } from "./settings";
import type { AddonSpec, CommonSettings } from "./spec";

export const EBS_CSI = {
  namespace: "kube-system",
  serviceAccount: "ebs-csi-controller-sa",
  /** The default StorageClass we create. */
  storageClassName: "gp3",
} as const;

export interface EbsCsiDriverSettings extends CommonSettings {
  /** KMS key for volume encryption. @default the account's aws/ebs key */
  kmsKeyId?: string;
}

const addonVersions = minorPins<EksAddonVersions>(
  eksAddonVersions,
  "EKS add-on versions",
  "eksAddonVersions",
);

/** The catalog's EKS add-on versions for a minor, if it pins that minor. */
export const pinnedEksAddonVersions = addonVersions.pinned;

/** A problem when the catalog pins no EKS add-on versions for the cluster's minor. */
export const eksAddonClusterProblems = addonVersions.problems;

/** The pinned add-on version for the cluster's minor; throws for a minor the catalog lacks. */
export const ebsCsiAddonVersion = (kubernetesVersion: string): string =>
  addonVersions.require(kubernetesVersion).ebsCsiDriver;

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

export const ebsCsiDriver: AddonSpec<EbsCsiDriverSettings> = {
  component: "EbsCsiDriver",
  // Its logical name from before the registry: kept, so the deployed driver is not renamed.
  suffix: "ebs-csi",
  summary: "The aws-ebs-csi-driver EKS add-on and an encrypted gp3 default StorageClass.",
  namespace: { name: EBS_CSI.namespace },
  defaults: { kmsKeyId: undefined },
  problems: (s, at) =>
    s.kmsKeyId === undefined || (typeof s.kmsKeyId === "string" && s.kmsKeyId.length > 0)
      ? []
      : [
          problem(
            `${at}.kmsKeyId`,
            "not a KMS key id",
            s.kmsKeyId,
            "give a key id, ARN or alias ARN",
          ),
        ],
  contextProblems: eksAddonClusterProblems,
  role: {
    serviceAccount: EBS_CSI.serviceAccount,
    roleSuffix: "ebs-csi-driver",
    managedPolicyArns: (partition) => [ebsCsiManagedPolicyArn(partition)],
  },
  finish: ({ name, context: ctx, settings, child, k8s: k8sOpts }, { role }) => {
    // The add-on's controller and node manifests carry their own resource requests.
    const addon = new aws.eks.Addon(
      name,
      {
        clusterName: ctx.cluster,
        addonName: eksAddonNames.ebsCsiDriver,
        addonVersion: ebsCsiAddonVersion(ctx.kubernetesVersion),
        serviceAccountRoleArn: role!.roleArn,
        // Configuration lives in code: on-cluster edits are overwritten, never merged.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: ctx.tags,
      },
      // EKS reports the add-on ACTIVE only once its pods run, so it needs nodes.
      { ...child(name), dependsOn: [role!, ...ctx.computeReady] },
    );
    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      gp3StorageClass(settings.kmsKeyId),
      { ...k8sOpts(`${name}-gp3`), dependsOn: [addon] },
    );
    return { ready: [addon, storageClass] };
  },
};
