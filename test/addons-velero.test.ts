import {
  restoreLocationName,
  veleroProblems,
  veleroSnapshotClass,
  veleroValues,
} from "../components/addons/velero/velero";
import {
  veleroBucketLifecycle,
  veleroBucketName,
  veleroBucketPolicy,
  veleroPolicy,
} from "../components/addons/velero/velero-bucket";
import { addonOf, fakeContext, one, byType, synthProgram, valuesInput } from "./day2-context";

const OWN = "eks-blueprint-prod2-velero-111122223333";
const OTHER = "eks-blueprint-prod-velero-111122223333";

test("the bucket is named after the cluster and the account", () => {
  expect(veleroBucketName("eks-blueprint-prod2", "111122223333")).toBe(OWN);
});

test("the role reaches its own bucket only, and no EC2 API at all", () => {
  expect(veleroPolicy({ partition: "aws", accountId: "111122223333", bucket: OWN })).toEqual({
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
        Resource: [`arn:aws:s3:::${OWN}/*`],
      },
      {
        Sid: "ListBackups",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [`arn:aws:s3:::${OWN}`],
      },
    ],
  });
});

test("restoreFrom adds exactly one statement: read-only, on the other cluster's bucket", () => {
  const with_ = veleroPolicy({
    partition: "aws",
    accountId: "111122223333",
    bucket: OWN,
    restoreFromBucket: OTHER,
  });
  expect(with_.Statement.slice(2)).toEqual([
    {
      Sid: "ReadOtherClusterBackups",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [`arn:aws:s3:::${OTHER}`, `arn:aws:s3:::${OTHER}/*`],
      // A look-alike bucket of the same name in another account is never read.
      Condition: { StringEquals: { "s3:ResourceAccount": "111122223333" } },
    },
  ]);
});

test("S3 expires a backup a week after Velero's TTL, old versions after a week", () => {
  expect(veleroBucketLifecycle(30)).toEqual({
    id: "expire-backups",
    status: "Enabled",
    filter: {},
    expiration: { days: 37 },
    noncurrentVersionExpiration: { noncurrentDays: 7 },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
  });
});

test("the bucket refuses every request without TLS", () => {
  expect(veleroBucketPolicy("arn:aws:s3:::b").Statement).toEqual([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: ["s3:*"],
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
});

const values = (restoreFrom?: string) =>
  veleroValues(
    valuesInput(
      { schedule: "0 3 * * *", retentionDays: 30, restoreFrom },
      {},
      { roleArn: "arn:aws:iam::111122223333:role/v", bucket: OWN },
    ),
  );

test("one read-write location of our own; restoreFrom adds a read-only one", () => {
  const config = (v: ReturnType<typeof values>) =>
    (v.owned.configuration as { backupStorageLocation: unknown[] }).backupStorageLocation;
  const own = {
    name: "default",
    provider: "aws",
    bucket: OWN,
    default: true,
    accessMode: "ReadWrite",
    config: { region: "us-west-2" },
  };
  expect(config(values())).toEqual([own]);
  expect(config(values("eks-blueprint-prod"))).toEqual([
    own,
    {
      name: "from-eks-blueprint-prod",
      provider: "aws",
      bucket: OTHER,
      default: false,
      accessMode: "ReadOnly",
      config: { region: "us-west-2" },
    },
  ]);
  expect(restoreLocationName("eks-blueprint-prod")).toBe("from-eks-blueprint-prod");
});

test("the schedule is named after the cluster and keeps backups retentionDays × 24 hours", () => {
  expect(values().owned.schedules).toEqual({
    "eks-blueprint-prod2": {
      disabled: false,
      schedule: "0 3 * * *",
      useOwnerReferencesInBackup: false,
      template: {
        ttl: "720h0m0s",
        storageLocation: "default",
        includedNamespaces: ["*"],
        snapshotVolumes: true,
      },
    },
  });
});

test("CSI snapshots, no provider snapshotter, no node agent, IRSA instead of a key Secret", () => {
  expect(values().owned).toMatchObject({
    configuration: { features: "EnableCSI" },
    snapshotsEnabled: false,
    deployNodeAgent: false,
    credentials: { useSecret: false },
    upgradeCRDs: true,
    serviceAccount: {
      server: {
        create: true,
        name: "velero",
        annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/v" },
      },
    },
  });
});

test("every container meets `restricted`: non-root pod, no escalation, no capabilities", () => {
  const v = values().owned as {
    podSecurityContext: object;
    containerSecurityContext: object;
    initContainers: { securityContext: object }[];
  };
  const container = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
  };
  expect(v.podSecurityContext).toEqual({
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: "RuntimeDefault" },
  });
  expect(v.containerSecurityContext).toEqual(container);
  expect(v.initContainers.map((c) => c.securityContext)).toEqual([container]);
});

test("the snapshot class is Velero's, for EBS, and tags each snapshot with the cluster", () => {
  expect(veleroSnapshotClass("eks-blueprint-prod2")).toEqual({
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: { name: "velero-ebs", labels: { "velero.io/csi-volumesnapshot-class": "true" } },
    driver: "ebs.csi.aws.com",
    deletionPolicy: "Retain",
    parameters: { tagSpecification_1: "eks-blueprint:cluster=eks-blueprint-prod2" },
  });
});

test.each<[string, object, string[]]>([
  ["defaults", { schedule: "0 3 * * *", retentionDays: 30 }, []],
  [
    "a schedule in words",
    { schedule: "daily", retentionDays: 30 },
    ['v.schedule: not a cron schedule (got "daily"); use five fields such as 0 3 * * *'],
  ],
  [
    "no retention",
    { schedule: "0 3 * * *", retentionDays: 0 },
    ["v.retentionDays: not a number of days (got 0); use a whole number from 1 to 3650"],
  ],
  [
    "restoreFrom an ARN",
    { schedule: "0 3 * * *", retentionDays: 30, restoreFrom: "arn:aws:s3:::b" },
    [
      'v.restoreFrom: not a cluster name (got "arn:aws:s3:::b"); name the cluster whose backups to read, such as eks-blueprint-prod',
    ],
  ],
])("settings: %s", (_what, settings, problems) => {
  expect(veleroProblems(settings, "v")).toEqual(problems);
});

describe("synth", () => {
  const synth = (settings: object) =>
    synthProgram(() =>
      addonOf("velero", "velero", settings, fakeContext({ clusterName: "eks-blueprint-prod2" })),
    );

  test("the bucket and its five guards are retained when the stack goes", async () => {
    const r = await synth({});
    const s3 = r.resources.filter((x) => x.type.startsWith("aws:s3/"));
    expect(s3.map((x) => [x.type, x.retainOnDelete]).sort()).toEqual([
      ["aws:s3/bucket:Bucket", true],
      ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", true],
      ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", true],
      ["aws:s3/bucketPolicy:BucketPolicy", true],
      ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", true],
      [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        true,
      ],
      ["aws:s3/bucketVersioning:BucketVersioning", true],
    ]);
    expect(one(r, "aws:s3/bucket:Bucket", "velero-bucket").inputs).toMatchObject({
      bucket: OWN,
      forceDestroy: false,
    });
  });

  test("the release runs after the bucket, and the snapshot class after the release", async () => {
    const r = await synth({});
    const release = one(r, "kubernetes:helm.sh/v3:Release", "velero");
    expect(release.inputs).toMatchObject({
      chart: "velero",
      version: "12.1.0",
      repositoryOpts: { repo: "https://vmware-tanzu.github.io/helm-charts" },
      namespace: "velero",
    });
    expect(release.dependsOn).toContain("aws:s3/bucket:Bucket::velero-bucket");
    const [cls] = byType(r, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass");
    expect(cls.dependsOn).toContain("kubernetes:helm.sh/v3:Release::velero");
  });

  test.each([
    [{}, ["BackupObjects", "ListBackups"]],
    [
      { restoreFrom: "eks-blueprint-prod" },
      ["BackupObjects", "ListBackups", "ReadOtherClusterBackups"],
    ],
  ])("with %j the role's statements are %j", async (settings, sids) => {
    const r = await synth(settings);
    const policy = JSON.parse(
      one(r, "aws:iam/rolePolicy:RolePolicy", "velero-irsa-permissions").inputs.policy as string,
    ) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(sids);
  });
});
