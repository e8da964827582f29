// Cases for the IAM and Kubernetes rules. Each rule needs at least one violating and one passing case
// (test/policy-rules.test.ts checks).
import {
  bad,
  Case,
  CLUSTER_NAME,
  good,
  irsaRole,
  OIDC,
  patch,
  permissions,
  release,
  res,
  trustPolicy,
} from "./policy-fixtures";

const namespace = res("kubernetes:core/v1:Namespace", "apps", {
  metadata: { name: "apps", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
});
const storageClass = res("kubernetes:storage.k8s.io/v1:StorageClass", "gp3", {
  metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: "ebs.csi.aws.com",
  parameters: { type: "gp3", encrypted: "true" },
});
const allow = (Action: unknown, Resource: unknown = "*") =>
  permissions({ Effect: "Allow", Action, Resource });

export const accessCases: Case[] = [
  bad(
    "irsa-trust-pins-sub-and-aud",
    "no :aud",
    patch(irsaRole, {
      assumeRolePolicy: trustPolicy({
        StringEquals: { [`${OIDC}:sub`]: "system:serviceaccount:a:b" },
      }),
    }),
    "no :aud condition",
  ),
  bad(
    "irsa-trust-pins-sub-and-aud",
    "wildcard :sub",
    patch(irsaRole, {
      assumeRolePolicy: trustPolicy({
        StringEquals: { [`${OIDC}:aud`]: "sts.amazonaws.com" },
        StringLike: { [`${OIDC}:sub`]: "system:serviceaccount:*:*" },
      }),
    }),
    "wildcard",
  ),
  bad(
    "irsa-trust-pins-sub-and-aud",
    "no condition at all",
    patch(irsaRole, { assumeRolePolicy: trustPolicy({}) }),
    "no :sub condition",
  ),
  good("irsa-trust-pins-sub-and-aud", "sub and aud pinned", irsaRole),
  good(
    "irsa-trust-pins-sub-and-aud",
    "service trust, not web identity",
    patch(irsaRole, {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Principal: { Service: "eks.amazonaws.com" },
          },
        ],
      }),
    }),
  ),
  bad("iam-no-admin-statements", "Action * on *", allow("*"), 'allows * on Resource "*"'),
  bad("iam-no-admin-statements", "iam:* on *", allow(["ec2:DescribeInstances", "iam:*"]), "iam:*"),
  bad(
    "iam-no-admin-statements",
    "NotAction on *",
    permissions({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }),
    "NotAction",
  ),
  good(
    "iam-no-admin-statements",
    "read-only describe on *",
    allow(["ec2:DescribeInstances", "ec2:Describe*"]),
  ),
  good(
    "iam-no-admin-statements",
    "iam:* denied",
    permissions({ Effect: "Deny", Action: "iam:*", Resource: "*" }),
  ),
  bad(
    "iam-no-administrator-access",
    "attachment",
    res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ops", {
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    }),
    "AdministratorAccess",
  ),
  bad(
    "iam-no-administrator-access",
    "managedPolicyArns on a role",
    patch(irsaRole, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
    "AdministratorAccess",
  ),
  good(
    "iam-no-administrator-access",
    "worker node policy",
    res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "nodes", {
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    }),
  ),
  bad(
    "iam-actions-exist",
    "misspelt action",
    allow("ec2:DescribeInstancez", "arn:aws:ec2:*:*:instance/*"),
    "did you mean ec2:DescribeInstances?",
  ),
  bad(
    "iam-actions-exist",
    "unknown service in a trust policy",
    patch(irsaRole, {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "stz:AssumeRole",
            Principal: { Service: "eks.amazonaws.com" },
          },
        ],
      }),
    }),
    'no AWS service has the prefix "stz"',
  ),
  good(
    "iam-actions-exist",
    "wildcard that matches",
    allow(["ec2:Describe*", "route53:ChangeResourceRecordSets"], "arn:aws:route53:::hostedzone/*"),
  ),
  good("iam-actions-exist", "IRSA trust policy", irsaRole),
  bad(
    "helm-chart-pinned",
    "version range",
    patch(release, { version: "^1.21.0" }),
    "not an exact chart version",
  ),
  bad(
    "helm-chart-pinned",
    "plain http repository",
    patch(release, { repositoryOpts: { repo: "http://charts.example.com" } }),
    "neither https:// nor oci://",
  ),
  bad("helm-chart-pinned", "no version", patch(release, { version: undefined }), "has no version"),
  good("helm-chart-pinned", "exact version from https", release),
  good(
    "helm-chart-pinned",
    "exact version from oci",
    patch(release, {
      chart: "oci://public.ecr.aws/karpenter/karpenter",
      repositoryOpts: undefined,
    }),
  ),
  bad(
    "namespace-pod-security",
    "no enforce label",
    patch(namespace, { metadata: { name: "apps" } }),
    "no pod-security.kubernetes.io/enforce label",
  ),
  bad(
    "namespace-pod-security",
    "unknown level",
    patch(namespace, { metadata: { labels: { "pod-security.kubernetes.io/enforce": "strict" } } }),
    '"strict"',
  ),
  good("namespace-pod-security", "restricted", namespace),
  bad(
    "externaldns-owner-is-cluster",
    "owner is another cluster",
    patch(release, { values: { txtOwnerId: "eks-blueprint-prod2" } }),
    `not the cluster name (${CLUSTER_NAME})`,
  ),
  bad(
    "externaldns-owner-is-cluster",
    "no owner id",
    patch(release, { values: {} }),
    "txtOwnerId is not set",
  ),
  good("externaldns-owner-is-cluster", "owner is this cluster", release),
  good(
    "externaldns-owner-is-cluster",
    "another chart",
    patch(release, { chart: "cluster-autoscaler", values: {} }),
  ),
  bad(
    "default-storageclass-encrypted",
    "default class unencrypted",
    patch(storageClass, { parameters: { type: "gp3", encrypted: "false" } }),
    'not "true"',
  ),
  good("default-storageclass-encrypted", "default class encrypted", storageClass),
  good(
    "default-storageclass-encrypted",
    "non-default class",
    patch(storageClass, { metadata: { name: "scratch" }, parameters: {} }),
  ),
];
