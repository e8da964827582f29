import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { problemList } from "../../problems";
import { namespacedKinds } from "../crds";
import { clusterNameProblems, wholeNumberProblems } from "../settings";
import { present } from "../spec";
import type { AddonSpec, CommonSettings, Prepared, ValuesInput, WithDefaults } from "../spec";
import { irsaServiceAccount, NO_PRIVILEGES, requests, ValueLayers } from "../values";
import { stableJson } from "../../access/irsa-policy";
import {
  restoreSnapshotsPolicy,
  veleroBucket,
  veleroBucketName,
  veleroPolicy,
} from "./velero-bucket";

export const VELERO = {
  namespace: "velero",
  serviceAccount: "velero",
  /** The VolumeSnapshotClass Velero picks for EBS volumes (by its label). */
  snapshotClass: "velero-ebs",
  /** velero-plugin-for-aws v1.14.x goes with Velero v1.18.x (its README, "Compatibility"). */
  awsPluginImage: "velero/velero-plugin-for-aws:v1.14.2",
} as const;

export interface VeleroSettings extends CommonSettings {
  /** When the scheduled backup runs (cron, UTC). @default "0 3 * * *" (daily at 03:00) */
  schedule?: string;
  /** Days Velero keeps each scheduled backup (its TTL); S3 expires leftovers a week later. @default 30 */
  retentionDays?: number;
  /**
   * Another cluster whose bucket this one may read (never write) to restore from, via a read-only
   * location and one `ReadOtherClusterBackups` statement on its role; remove after.
   * @default none: this cluster reads only its own bucket
   */
  restoreFrom?: string;
}

/** The read-only backup location of `restoreFrom`. */
export const restoreLocationName = (other: string): string => `from-${other}`;

const CONTAINER_SECURITY = { ...NO_PRIVILEGES, readOnlyRootFilesystem: true };

/** Chart values (vmware-tanzu/helm-charts velero-12.1.0, charts/velero/values.yaml). */
export function veleroValues({
  context: ctx,
  settings: s,
  resolved,
  serviceMonitor,
}: ValuesInput<WithDefaults<VeleroSettings, "schedule" | "retentionDays">>): ValueLayers {
  const location = (name: string, bucket: string, accessMode: string, isDefault: boolean) => ({
    name,
    provider: "aws",
    bucket,
    default: isDefault,
    accessMode,
    config: { region: ctx.region },
  });
  return {
    defaults: {
      resources: requests("100m", "128Mi", "512Mi"),
      upgradeJobResources: requests("50m", "64Mi", "256Mi"),
      metrics: { serviceMonitor: { enabled: serviceMonitor } },
    },
    owned: {
      image: { tag: "v1.18.1" },
      // The chart leaves both empty. The image's user is a name, so runAsNonRoot needs runAsUser;
      // fsGroup lets it read the IRSA token (the chart's note). The CRD job gets them too.
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        fsGroup: 65532,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containerSecurityContext: CONTAINER_SECURITY,
      initContainers: [
        {
          // The object store plugin only: volume snapshots go through CSI, not its EBS snapshotter.
          name: "velero-plugin-for-aws",
          image: VELERO.awsPluginImage,
          imagePullPolicy: "IfNotPresent",
          volumeMounts: [{ mountPath: "/target", name: "plugins" }],
          securityContext: CONTAINER_SECURITY,
          resources: requests("10m", "32Mi", "64Mi"),
        },
      ],
      // A pre-install/pre-upgrade hook job applies Velero's CRDs (templates/upgrade-crds/).
      upgradeCRDs: true,
      configuration: {
        backupStorageLocation: [
          location("default", present(resolved.bucket, "prepare's bucket"), "ReadWrite", true),
          ...(s.restoreFrom
            ? [
                location(
                  restoreLocationName(s.restoreFrom),
                  veleroBucketName(s.restoreFrom, resolved.accountId),
                  "ReadOnly",
                  false,
                ),
              ]
            : []),
        ],
        // CSI snapshots (Velero docs, "Container Storage Interface Snapshot Support").
        features: "EnableCSI",
      },
      // No VolumeSnapshotLocation: that is for a provider's own snapshotter, which we do not use.
      snapshotsEnabled: false,
      deployNodeAgent: false,
      // IRSA instead of a Secret holding keys.
      credentials: { useSecret: false },
      serviceAccount: { server: irsaServiceAccount(VELERO.serviceAccount, resolved) },
      schedules: {
        // Named after the cluster: backups synced from `restoreFrom` never clash with ours.
        [ctx.clusterName]: {
          disabled: false,
          schedule: s.schedule,
          useOwnerReferencesInBackup: false,
          template: {
            ttl: `${s.retentionDays * 24}h0m0s`,
            storageLocation: "default",
            includedNamespaces: ["*"],
            snapshotVolumes: true,
          },
        },
      },
    },
  };
}

/**
 * Velero picks this class by its label (Velero docs "CSI"). `tagSpecification_1` tags snapshots
 * with the cluster (aws-ebs-csi-driver docs/tagging.md) for the EBS CSI role's scoping. Retain: the
 * snapshot outlives the API objects Velero deletes after a backup, until the backup goes.
 */
export function veleroSnapshotClass(clusterName: string) {
  return {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: {
      name: VELERO.snapshotClass,
      labels: { "velero.io/csi-volumesnapshot-class": "true" },
    },
    driver: "ebs.csi.aws.com",
    deletionPolicy: "Retain",
    parameters: { tagSpecification_1: `eks-blueprint:cluster=${clusterName}` },
  };
}

const CRON = /^(\S+\s+){4}\S+$/;
const CLUSTER = /^[a-z0-9][a-z0-9-]{0,42}$/;

export function veleroProblems(s: VeleroSettings, at: string): string[] {
  const [out, add] = problemList();
  if (typeof s.schedule !== "string" || !CRON.test(s.schedule.trim())) {
    add(`${at}.schedule`, "not a cron schedule", s.schedule, "use five fields such as 0 3 * * *");
  }
  out.push(
    ...wholeNumberProblems(s.retentionDays, 1, 3650, `${at}.retentionDays`, "a number of days"),
  );
  if (
    s.restoreFrom !== undefined &&
    (typeof s.restoreFrom !== "string" || !CLUSTER.test(s.restoreFrom))
  ) {
    add(
      `${at}.restoreFrom`,
      "not a cluster name",
      s.restoreFrom,
      "name the cluster whose backups to read, such as eks-blueprint-prod",
    );
  }
  return out;
}

export const velero: AddonSpec<VeleroSettings, Prepared, "schedule" | "retentionDays"> = {
  component: "Velero",
  summary:
    "Velero backups to an S3 bucket of its own, with EBS volumes as CSI snapshots, on a schedule.",
  namespace: {
    name: VELERO.namespace,
    podSecurity: "restricted",
    why: "our values run the server, its plugin and the CRD job non-root, read-only, without capabilities, with RuntimeDefault seccomp; no node agent (hostPath) is deployed",
  },
  defaults: { schedule: "0 3 * * *", retentionDays: 30, restoreFrom: undefined },
  problems: veleroProblems,
  // S3 names the bucket after the cluster: `<cluster>-velero-<12-digit account>` fits 63 characters.
  contextProblems: clusterNameProblems(
    CLUSTER,
    "cannot name Velero's bucket",
    "use at most 43 lowercase letters, digits and hyphens",
  ),
  implies: {
    ebsCsiDriver: "volume snapshots are EBS CSI snapshots",
    snapshotController: "CSI snapshots need the snapshot controller and its CRDs",
  },
  installAfter: {
    ebsCsiDriver: "it snapshots volumes through the EBS CSI driver",
    snapshotController: "its VolumeSnapshotClass needs the snapshot CRDs",
    prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs",
  },
  prepare: ({ name, context: ctx, settings: s, child, after }) => {
    const bucket = veleroBucket(
      `${name}-bucket`,
      {
        bucketName: pulumi.output(ctx.accountId).apply((a) => veleroBucketName(ctx.clusterName, a)),
        retentionDays: s.retentionDays,
        tags: ctx.tags,
      },
      child,
    );
    if (s.restoreFrom) {
      // On the EBS CSI driver's role (installed before Velero): the named exception of a restore.
      new aws.iam.RolePolicy(
        `${name}-restore-snapshots`,
        {
          name: `${ctx.clusterName}-restore-from-${s.restoreFrom}`,
          role: `${ctx.clusterName}-ebs-csi-driver`,
          policy: stableJson(restoreSnapshotsPolicy(ctx.partition, s.restoreFrom)),
        },
        { ...child, dependsOn: after },
      );
    }
    return { dependsOn: [bucket], inputs: { bucket: bucket.bucket } };
  },
  role: {
    serviceAccount: VELERO.serviceAccount,
    roleSuffix: "velero",
    policy: (ctx, r, s) =>
      veleroPolicy({
        partition: ctx.partition,
        accountId: r.accountId,
        bucket: veleroBucketName(ctx.clusterName, r.accountId),
        restoreFromBucket: s.restoreFrom ? veleroBucketName(s.restoreFrom, r.accountId) : undefined,
      }),
  },
  chart: {
    // app 1.18.1
    pin: {
      chart: "velero",
      version: "12.1.0",
      repo: "https://vmware-tanzu.github.io/helm-charts",
      source:
        "https://github.com/vmware-tanzu/helm-charts/blob/velero-12.1.0/charts/velero/Chart.yaml",
    },
    crds: {
      checkedAt: "12.1.0",
      delivery: "crds-dir",
      kinds: namespacedKinds(
        "velero.io",
        "BackupRepository Backup BackupStorageLocation DataDownload DataUpload DeleteBackupRequest",
        "DownloadRequest PodVolumeBackup PodVolumeRestore Restore Schedule ServerStatusRequest",
        "VolumeSnapshotLocation",
      ),
      source: "https://github.com/vmware-tanzu/helm-charts/tree/velero-12.1.0/charts/velero/crds",
      upgrade: { via: "values", key: "upgradeCRDs" },
    },
    release: "velero",
    values: veleroValues,
  },
  finish: ({ name, context: ctx, after, k8s: k8sOpts }, { released }) => {
    const snapshotClass = new k8s.apiextensions.CustomResource(
      `${name}-snapshot-class`,
      veleroSnapshotClass(ctx.clusterName),
      // `after` holds the snapshot controller's release (its CRDs) and the EBS CSI driver.
      { ...k8sOpts, dependsOn: [...released, ...after] },
    );
    return { ready: [...released, snapshotClass] };
  },
};
