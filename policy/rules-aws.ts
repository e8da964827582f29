import { PolicyResource, Rule } from "./types";
import { isOpenCidr, list, obj, strings } from "./values";

const KMS_KEY = "aws:kms/key:Key";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** Rotation exists only for symmetric encryption keys; asymmetric and HMAC keys cannot rotate. */
function kmsRotationProblems(r: PolicyResource): string[] {
  const spec = r.inputs.customerMasterKeySpec ?? r.inputs.keySpec;
  const usage = r.inputs.keyUsage;
  if (
    (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") ||
    (usage !== undefined && usage !== "ENCRYPT_DECRYPT")
  ) {
    return [];
  }
  return r.inputs.enableKeyRotation === true ? [] : ["enableKeyRotation is not true"];
}

function kmsDeletionWindowProblems(r: PolicyResource): string[] {
  const days = r.inputs.deletionWindowInDays;
  return typeof days === "number" && days < 30
    ? [
        `deletionWindowInDays is ${days}: a scheduled deletion can be cancelled for only ${days} days`,
      ]
    : [];
}

function openIngressProblems(r: PolicyResource): string[] {
  const i = r.inputs;
  const open = (cidrs: string[]) => cidrs.filter(isOpenCidr);
  if (r.type === SECURITY_GROUP) {
    return list(i.ingress).flatMap((rule, n) =>
      open([...strings(obj(rule).cidrBlocks), ...strings(obj(rule).ipv6CidrBlocks)]).map(
        (c) => `ingress[${n}] allows ${c}`,
      ),
    );
  }
  if (r.type === SG_RULE && i.type !== "ingress") return [];
  const cidrs =
    r.type === INGRESS_RULE ? [i.cidrIpv4, i.cidrIpv6] : [i.cidrBlocks, i.ipv6CidrBlocks];
  return open(cidrs.flatMap(strings)).map((c) => `ingress allows ${c}`);
}

export const awsRules: Rule[] = [
  {
    id: "kms-key-rotation",
    description: "Customer-managed symmetric KMS keys rotate their key material every year.",
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    types: [KMS_KEY],
    check: kmsRotationProblems,
  },
  {
    id: "kms-deletion-window",
    description:
      "KMS keys keep the maximum 30-day deletion window, time to notice and cancel a deletion.",
    enforcement: "advisory",
    link: "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
    types: [KMS_KEY],
    check: kmsDeletionWindowProblems,
  },
  {
    id: "log-group-retention",
    description:
      "CloudWatch log groups set a retention period instead of keeping logs (and paying) forever.",
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (r) => {
      const days = r.inputs.retentionInDays;
      return typeof days === "number" && days > 0
        ? []
        : ["retentionInDays is not set: logs are kept forever"];
    },
  },
  {
    id: "security-group-no-open-ingress",
    description:
      "No security group we create (pod security groups included) accepts ingress from 0.0.0.0/0 or ::/0.",
    enforcement: "mandatory",
    // Internet-facing load balancers get their groups from the AWS Load Balancer Controller, not
    // from this program, so nothing here has a reason to be open to the world.
    link: "https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html",
    types: [SECURITY_GROUP, INGRESS_RULE, SG_RULE],
    check: openIngressProblems,
  },
  {
    id: "eks-addon-version-pinned",
    description:
      "EKS managed add-ons pin addonVersion, so an upgrade is a reviewed catalog change.",
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html",
    types: ["aws:eks/addon:Addon"],
    check: (r) =>
      typeof r.inputs.addonVersion === "string" && r.inputs.addonVersion !== ""
        ? []
        : ["addonVersion is not set: EKS installs its default version, which changes under us"],
  },
];
