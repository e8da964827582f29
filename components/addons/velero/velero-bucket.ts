// Velero's bucket (private, encrypted, versioned, self-expiring), its policy and one exception.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyDocument, type PolicyDocument } from "../../access/irsa-policy";
import type { ChildOptions } from "../spec";

/** S3 names are global (hence the account); the cluster name lets prod2 find prod's bucket. */
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
  return policyDocument({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: ["s3:*"],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}

/** Retained on delete: prod's last backup must outlive its stack, and the bucket stays guarded. */
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
    // SSE-S3, not KMS: a cross-cluster restore then needs no kms:Decrypt grant.
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

/**
 * velero-plugin-for-aws's object-store permissions (README at v1.14.2, "Set permissions for
 * Velero"), on this bucket only; no EC2, as EBS CSI takes the snapshots. `restoreFrom` adds a read.
 */
export function veleroPolicy(i: {
  partition: string;
  accountId: string;
  bucket: string;
  restoreFromBucket?: string;
}): PolicyDocument {
  const arn = (b: string) => `arn:${i.partition}:s3:::${b}`;
  return policyDocument(
    allow(
      "BackupObjects",
      [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
        "s3:PutObjectTagging",
      ],
      [`${arn(i.bucket)}/*`],
    ),
    allow("ListBackups", ["s3:ListBucket"], [arn(i.bucket)]),
    ...(i.restoreFromBucket
      ? [
          allow(
            "ReadOtherClusterBackups",
            ["s3:GetObject", "s3:ListBucket"],
            [arn(i.restoreFromBucket), `${arn(i.restoreFromBucket)}/*`],
            // A bucket name is global: only the one in this account, never a look-alike elsewhere.
            { StringEquals: { "s3:ResourceAccount": i.accountId } },
          ),
        ]
      : []),
  );
}

/**
 * The other half of a restore from `sourceCluster`: this cluster's EBS CSI driver creates volumes
 * from that cluster's snapshots (Velero's CSI restore), which AmazonEBSCSIDriverEKSClusterScopedPolicy
 * allows only for snapshots tagged with its own cluster (`CreateVolumesFromAndEnableFSROnClusterSnapshots`).
 * The new volume still carries this cluster's tag (that policy's `CreateAndCopyVolumesWithClusterTag`).
 */
export function restoreSnapshotsPolicy(partition: string, sourceCluster: string): PolicyDocument {
  return policyDocument(
    allow(
      "CreateVolumesFromOtherClusterSnapshots",
      ["ec2:CreateVolume"],
      [`arn:${partition}:ec2:*:*:snapshot/*`],
      { StringEquals: { "ec2:ResourceTag/ebs.csi.aws.com/cluster-name": sourceCluster } },
    ),
  );
}
