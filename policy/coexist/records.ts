/**
 * What the coexistence check reads from a synth: the model it judges (two stacks, findings) and
 * defensive readers over synth records. A reader never throws on a shape it did not expect; it
 * returns undefined or nothing, and the rule that needed the value says so.
 */
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { charts } from "../../components/addons/registry";
import { IRSA_ANNOTATION } from "../../components/access/irsa-policy";
import { get, isObj, list, parseJson, str, strings } from "../values";
import type { MigrationSettings } from "../../stacks/migration-config";
import { recordKey, type SynthRecord, type SynthResult } from "../../synth/record";
import type { Finding } from "../findings";

/** One side of the check: a stack's synth and the settings that are not resources. */
export interface CoexistStack {
  stack: string;
  synth: SynthResult;
  /** The stack's `migration:*` config. */
  migration: MigrationSettings;
  /**
   * Its `migration:*` config before the change under review (the parent commit), when known: the
   * weights are then judged on the way from there, not only where they end. @default unknown
   */
  before?: MigrationSettings;
  /** `aws:region` of the stack. */
  region: string;
  /** AWS account both clusters run in (the mocks' account offline). */
  accountId: string;
}

/** The two stacks of a check, in column order. */
export interface Pair {
  a: CoexistStack;
  b: CoexistStack;
}

/** Every rule the check applies, with the one sentence that must hold. */
export const RULES = {
  "cluster-name": "the two EKS clusters have different names",
  "physical-name":
    "no physical AWS name (IAM, KMS alias, launch template, security group, node group, Fargate profile) is used by both stacks",
  "external-dns-owner": "each ExternalDNS has its own txtOwnerId",
  "vpc-cidr": "the VPC CIDRs do not overlap",
  "autoscaler-discovery": "each cluster-autoscaler discovers only its own cluster's node groups",
  "autoscaler-iam": "each cluster-autoscaler role may scale only its own cluster's node groups",
  "fluent-bit-iam": "each Fluent Bit role may write only to its own cluster's log groups",
  "external-dns-iam": "each ExternalDNS role may change only the hosted zones it is configured for",
  "log-group": "no CloudWatch log group is written by both stacks",
  "metric-label": "Prometheus externalLabels.cluster is set and differs",
  "cluster-key": "the ALB controller's clusterName and Istio's mesh and cluster ids differ",
  "set-identifier":
    "no weighted record (zone, name, set identifier) is owned by both stacks, so each set member has one owner",
  "weighted-record":
    "each stack owns the weighted records its migration config asks for, aliased to its gateway, and its ExternalDNS manages none of the shared hostnames",
  "weights-zero":
    "the weights of a weighted set never all are 0: not after the change, nor between the two stacks' updates",
  "singleton-owner": "each singleton is owned by exactly one stack",
  "singleton-resources": "a stack that does not own a singleton has no resources for it",
} as const;

export type RuleId = keyof typeof RULES;

/** One broken rule: the first stack's side (`subject`), the second's (`other`), and why it matters. */
export type { Finding } from "../findings";

/** A finding about `from` reaching `to`, placed in the pair's column order. */
export function directed(
  pair: Pair,
  from: CoexistStack,
  f: { rule: RuleId; from: string; to: string; message: string },
): Finding {
  return from === pair.a
    ? { rule: f.rule, subject: f.from, other: f.to, message: f.message }
    : { rule: f.rule, subject: f.to, other: f.from, message: f.message };
}

export const ofType = (s: SynthResult, type: string): SynthRecord[] =>
  s.resources.filter((r) => r.type === type);

export const HELM_RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];

/** Chart names as the catalog pins them, so a rename there cannot silently blind the check. */
export const CHART = {
  clusterAutoscaler: charts.clusterAutoscaler.chart,
  externalDns: charts.externalDns.chart,
  fluentBit: charts.fluentBit.chart,
  prometheus: charts.prometheus.chart,
  albController: charts.awsLoadBalancerController.chart,
  istiod: charts.istiod.chart,
  istioGateway: charts.istioGateway.chart,
} as const;

/**
 * Inputs that are physical names, per type. IAM names are unique regardless of case
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names).
 * Log groups have a rule of their own.
 */
export const PHYSICAL_NAMES = [
  { type: "eks:index:ManagedNodeGroup", kind: "EKS node group", field: "nodeGroupName" },
  {
    type: "aws:eks/fargateProfile:FargateProfile",
    kind: "Fargate profile",
    field: "fargateProfileName",
  },
  { type: "aws:kms/alias:Alias", kind: "KMS alias", field: "name" },
  { type: "aws:ec2/launchTemplate:LaunchTemplate", kind: "launch template", field: "name" },
  { type: "aws:ec2/securityGroup:SecurityGroup", kind: "security group", field: "name" },
  { type: "aws:iam/role:Role", kind: "IAM role", field: "name", iam: true },
  { type: "aws:iam/policy:Policy", kind: "IAM policy", field: "name", iam: true },
  {
    type: "aws:iam/instanceProfile:InstanceProfile",
    kind: "instance profile",
    field: "name",
    iam: true,
  },
] as const;

/** The releases of a chart in a stack (usually one). */
export const releases = (s: SynthResult, chart: string): SynthRecord[] =>
  s.resources.filter((r) => HELM_RELEASE_TYPES.includes(r.type) && r.inputs.chart === chart);

export const valuesOf = (r: SynthRecord): Record<string, unknown> =>
  isObj(r.inputs.values) ? r.inputs.values : {};

export const clusterNameOf = (s: SynthResult): string | undefined =>
  str(ofType(s, "eks:index:Cluster")[0]?.inputs.name);

export const vpcCidrsOf = (s: SynthResult): { resource: string; cidr: string }[] =>
  ofType(s, "awsx:ec2:Vpc").flatMap((r) => {
    const cidr = str(r.inputs.cidrBlock);
    return cidr ? [{ resource: recordKey(r), cidr }] : [];
  });

/**
 * Node group names. A group named by prefix (components/compute/node-group-identity.ts) gets a unique
 * suffix at create time, so it stands here as its prefix without the final "-": every generation's
 * name, and its Auto Scaling group's `eks-<name>-<uuid>`, starts with that stem and a "-".
 */
export const nodeGroupNamesOf = (s: SynthResult): string[] =>
  ofType(s, "eks:index:ManagedNodeGroup").flatMap((r) =>
    typeof r.inputs.nodeGroupNamePrefix === "string"
      ? [r.inputs.nodeGroupNamePrefix.replace(/-$/, "")]
      : strings(r.inputs.nodeGroupName),
  );

/**
 * The tags EKS puts on the Auto Scaling group behind a managed node group: the two
 * cluster-autoscaler discovery tags and its own cluster and node group tags.
 * https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html
 */
export function managedNodeGroupAsgTags(
  clusterName: string,
  nodeGroupName: string,
): Record<string, string> {
  return {
    "eks:cluster-name": clusterName,
    "eks:nodegroup-name": nodeGroupName,
    "k8s.io/cluster-autoscaler/enabled": "true",
    [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    [`kubernetes.io/cluster/${clusterName}`]: "owned",
  };
}

/**
 * aws-for-fluent-bit's default group when `cloudWatchLogs.logGroupName` is unset: one name for
 * every cluster. https://github.com/aws/eks-charts/blob/master/stable/aws-for-fluent-bit/values.yaml
 */
export const FLUENT_BIT_DEFAULT_LOG_GROUP = "/aws/eks/fluentbit-cloudwatch/logs";

/** Every CloudWatch log group the stack creates or tells Fluent Bit to write to. */
export function logGroupsOf(s: SynthResult): { resource: string; name: string }[] {
  const created = ofType(s, "aws:cloudwatch/logGroup:LogGroup").flatMap((r) =>
    strings(r.inputs.name).map((name) => ({ resource: recordKey(r), name })),
  );
  // The chart has two CloudWatch outputs: cloudWatchLogs (on by default) and the older
  // cloudWatch plugin (off by default); both default to the same shared group name.
  const outputs = [
    ["cloudWatchLogs", true],
    ["cloudWatch", false],
  ] as const;
  const written = releases(s, CHART.fluentBit).flatMap((r) =>
    outputs.flatMap(([output, onByDefault]) => {
      const cw = get(valuesOf(r), output);
      const enabled = get(cw, "enabled");
      if (enabled === false || (enabled === undefined && !onByDefault)) return [];
      return [
        {
          resource: `${recordKey(r)} values.${output}.logGroupName`,
          name: str(get(cw, "logGroupName")) || FLUENT_BIT_DEFAULT_LOG_GROUP,
        },
      ];
    }),
  );
  return [...created, ...written];
}

export const ROUTE53_RECORD = "aws:route53/record:Record";

/** A weighted record as a stack registers it (components/traffic/weighted-records.ts). */
export interface WeightedRecord {
  resource: string;
  zoneId: string;
  name: string;
  type: string;
  setIdentifier: string;
  weight?: number;
  alias?: { name?: string; zoneId?: string; evaluateTargetHealth?: boolean };
}

/** Every Route 53 record with a set identifier in a stack. */
export const weightedRecordsOf = (s: SynthResult): WeightedRecord[] =>
  ofType(s, ROUTE53_RECORD).flatMap((r) => {
    const setIdentifier = str(r.inputs.setIdentifier);
    if (!setIdentifier) return [];
    const weight = get(list(r.inputs.weightedRoutingPolicies)[0], "weight");
    const alias = list(r.inputs.aliases)[0];
    return [
      {
        resource: recordKey(r),
        zoneId: str(r.inputs.zoneId) ?? "",
        name: str(r.inputs.name) ?? "",
        type: str(r.inputs.type) ?? "",
        setIdentifier,
        ...(typeof weight === "number" ? { weight } : {}),
        ...(isObj(alias)
          ? {
              alias: {
                name: str(alias.name),
                zoneId: str(alias.zoneId),
                evaluateTargetHealth:
                  typeof alias.evaluateTargetHealth === "boolean"
                    ? alias.evaluateTargetHealth
                    : undefined,
              },
            }
          : {}),
      },
    ];
  });

/** The IAM role ARN a release's service account assumes, from its IRSA annotation. */
export const irsaRoleArnOf = (r: SynthRecord, annotationsPath: string[]): string | undefined =>
  str(get(valuesOf(r), ...annotationsPath, IRSA_ANNOTATION));

/** A role's identity policies as the simulator takes them, and the ones it cannot see. */
export interface RolePolicies {
  policies: SimulationIdentityPolicy[];
  /**
   * Policies whose document the check cannot read: attached ARNs not created in the synth
   * (AWS-managed, or made elsewhere) and documents that are not JSON (a secret, say).
   */
  unevaluable: string[];
}

/** Inline policies, `inlinePolicies`, and attached policies the same synth creates, of one role. */
export function rolePolicies(s: SynthResult, roleName: string): RolePolicies {
  const policies: SimulationIdentityPolicy[] = [];
  const unevaluable: string[] = [];
  const add = (name: string, doc: unknown) => {
    const policy = parseJson(doc);
    if (isObj(policy)) policies.push({ name, policy });
    else unevaluable.push(`${name} (document not readable)`);
  };
  const role = ofType(s, "aws:iam/role:Role").find((r) => r.inputs.name === roleName);
  list(role?.inputs.inlinePolicies).forEach((p, i) =>
    add(str(get(p, "name")) ?? `inline-${i}`, get(p, "policy")),
  );
  for (const r of ofType(s, "aws:iam/rolePolicy:RolePolicy")) {
    if (r.inputs.role === roleName) add(recordKey(r), r.inputs.policy);
  }
  const attached = [
    ...strings(role?.inputs.managedPolicyArns),
    ...ofType(s, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((r) => r.inputs.role === roleName)
      .flatMap((r) => strings(r.inputs.policyArn)),
  ];
  for (const arn of attached) {
    const made = ofType(s, "aws:iam/policy:Policy").find((p) => {
      const path = (str(p.inputs.path) ?? "/").replace(/^\//, "");
      return arn.endsWith(`:policy/${path}${str(p.inputs.name) ?? p.name}`);
    });
    if (made) add(recordKey(made), made.inputs.policy);
    else unevaluable.push(`${arn} (attached, not in the synth)`);
  }
  return { policies, unevaluable };
}
