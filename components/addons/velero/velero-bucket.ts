/**
 * Velero's backup bucket: its name, the S3 resources that make it private, encrypted, versioned and
 * self-expiring, the IAM policy confined to it, and the one named cross-cluster exception (reading
 * another cluster's bucket to restore from it).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../../access/irsa-policy";
import type { ChildOptions } from "../spec";

/**
 * `<cluster>-velero-<account>`: S3 names are global, so the account keeps two accounts' `prod`
 * apart, and the cluster name lets prod2 name prod's bucket (`restoreFrom`) without a lookup.
 */
export const veleroBucketName = (clusterName: string, accountId: string): string =>
  `${clusterName}-velero-${accountId}`;

/** Days a noncurrent object version (an overwritten or deleted backup file) is kept. */
export const NONCURRENT_DAYS = 7;
/** Days past Velero's own TTL before S3 expires a backup file Velero failed to delete. */
export const EXPIRY_MARGIN_DAYS = 7;

/** The bucket's lifecycle rule: Velero deletes expired backups itself; S3 catches what it missed. */
export function veleroBucketLifecycle(retentionDays: number) {
  return {
    id: "expire-backups",
    status: "Enabled",
    filter: {},
    expiration: { days: retentionDays + EXPIRY_MARGIN_DAYS },
    noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
  };
}

/** Refuses any request that is not over TLS (S3 user guide, "Enforce encryption of data in transit"). */
export function veleroBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["s3:*"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * The bucket and what makes it safe. Every part is retained on delete: the backup taken before
 * `pulumi destroy -s prod` must outlive prod's stack for prod2 to restore it (docs/migration.md),
 * and a bucket whose public access block were deleted with the stack would be unguarded.
 */
export function veleroBucket(
  name: string,
  i: { bucketName: pulumi.Input<string>; retentionDays: number; tags: Record<string, string> },
  child: ChildOptions,
): aws.s3.Bucket {
  const keep = { ...child, retainOnDelete: true };
  const bucket = new aws.s3.Bucket(
    name,
    { bucket: i.bucketName, forceDestroy: false, tags: i.tags },
    keep,
  );
  const after = { ...keep, dependsOn: [bucket] };
  const parts = [
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      after,
    ),
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      after,
    ),
    // SSE-S3, not a KMS key: restoring into another cluster then needs read on the bucket only,
    // not also kms:Decrypt on this cluster's key (one grant fewer in the exception).
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      after,
    ),
    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      after,
    ),
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(veleroBucketPolicy(arn))),
      },
      after,
    ),
  ];
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    { bucket: bucket.id, rules: [veleroBucketLifecycle(i.retentionDays)] },
    // S3 wants versioning settled before a rule on noncurrent versions (provider docs).
    { ...keep, dependsOn: [bucket, ...parts] },
  );
  return bucket;
}

/** Sid of the statement that opens the cross-cluster exception; the isolation matrix looks for it. */
export const RESTORE_FROM_SID = "ReadOtherClusterBackups";

/**
 * The object-store permissions velero-plugin-for-aws documents (README at v1.14.2, "Set
 * permissions for Velero"), on this cluster's bucket only. No EC2 permission at all: volume
 * snapshots are CSI snapshots, taken by the EBS CSI driver under its own role. With `restoreFrom`,
 * one more statement reads (never writes) the other cluster's bucket.
 */
export function veleroPolicy(i: {
  partition: string;
  bucket: string;
  restoreFromBucket?: string;
}): PolicyDocument {
  const arn = (b: string) => `arn:${i.partition}:s3:::${b}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "BackupObjects",
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:DeleteObject",
          "s3:GetObject",
          "s3:ListMultipartUploadParts",
          "s3:PutObject",
          "s3:PutObjectTagging",
        ],
        Resource: [`${arn(i.bucket)}/*`],
      },
      { Sid: "ListBackups", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn(i.bucket)] },
      ...(i.restoreFromBucket
        ? [
            {
              Sid: RESTORE_FROM_SID,
              Effect: "Allow" as const,
              Action: ["s3:GetObject", "s3:ListBucket"],
              Resource: [arn(i.restoreFromBucket), `${arn(i.restoreFromBucket)}/*`],
            },
          ]
        : []),
    ],
  };
}

/** One deliberate crossing of the cluster boundary, as the isolation matrix lists it. */
export interface CrossClusterException {
  /** Stable id, for the matrix's table. */
  id: string;
  /** The setting that opens it; while it is unset the exception is closed. */
  setting: string;
  /** Role whose policy carries it: `<clusterName>-<roleSuffix>`. */
  roleSuffix: string;
  /** The statement (Sid) that grants it. */
  sid: string;
  /** What it allows on the other cluster's resources: reads only. */
  actions: string[];
  /** Those resources; `{other}` is the other cluster's name, `{account}` the account id. */
  resources: string[];
  /** Why it exists and when it closes. */
  why: string;
}

/**
 * Every cross-cluster grant this file can make. The isolation matrix reads this list: a grant on the
 * other cluster that is not here is a hole; one that is here is reported by name, never silently.
 */
export const crossClusterExceptions: readonly CrossClusterException[] = [
  {
    id: "velero-restore-from",
    setting: "addons.velero.restoreFrom",
    roleSuffix: "velero",
    sid: RESTORE_FROM_SID,
    actions: ["s3:GetObject", "s3:ListBucket"],
    resources: ["arn:aws:s3:::{other}-velero-{account}", "arn:aws:s3:::{other}-velero-{account}/*"],
    why: "restore the other cluster's backups into this one during a migration (docs/migration.md, Backups); read-only, and closed again by removing the setting",
  },
];
