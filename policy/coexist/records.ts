// The coexistence model (two stacks, findings) and readers over synth records that never throw on
// an unexpected shape: they return nothing, and the rule that needed the value says so.
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { charts } from "../../components/addons/registry";
import { IRSA_ANNOTATION } from "../../components/access/irsa-policy";
import { bool, isObj, list, obj, parseJson, str, strings } from "../values";
import { valueAt } from "../../components/addons/values";
import { isRelease } from "../shapes";
import type { MigrationSettings } from "../../stacks/migration-config";
import { recordKey, type SynthRecord, type SynthResult } from "../../synth/record";
import type { Finding } from "../findings";

/** One side of the check: a stack's synth and its settings that are not resources. */
export interface CoexistStack {
  stack: string;
  synth: SynthResult;
  migration: MigrationSettings;
  /** `migration:*` at the parent commit: weights are judged on the way too. @default unknown */
  before?: MigrationSettings;
  region: string;
  /** AWS account both clusters run in (the mocks' account offline). */
  accountId: string;
}

export interface Pair {
  a: CoexistStack;
  b: CoexistStack;
}

/** Every rule, with the one sentence that must hold. */
export const RULES = {
  "cluster-name": "the two EKS clusters have different names",
  "physical-name":
    "no physical AWS name (IAM, KMS alias, launch template, security group, node group, Fargate profile) is used by both stacks",
  "external-dns-owner": "each ExternalDNS has its own txtOwnerId",
  "vpc-cidr": "the VPC CIDRs do not overlap",
  "autoscaler-discovery": "each cluster-autoscaler discovers only its own cluster's node groups",
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

/** Chart names from the catalog, so a rename there cannot silently blind the check. */
export const CHART = {
  clusterAutoscaler: charts.clusterAutoscaler.chart,
  externalDns: charts.externalDns.chart,
  fluentBit: charts.fluentBit.chart,
  prometheus: charts.prometheus.chart,
  albController: charts.awsLoadBalancerController.chart,
  istiod: charts.istiod.chart,
  istioGateway: charts.istioGateway.chart,
  velero: charts.velero.chart,
} as const;

/**
 * Inputs that are physical names (log groups have a rule of their own); IAM's ignore case
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names).
 */
export const PHYSICAL_NAMES: [type: string, kind: string, field: string, iam?: true][] = [
  ["eks:index:ManagedNodeGroup", "EKS node group", "nodeGroupName"],
  ["aws:eks/fargateProfile:FargateProfile", "Fargate profile", "fargateProfileName"],
  ["aws:kms/alias:Alias", "KMS alias", "name"],
  ["aws:ec2/launchTemplate:LaunchTemplate", "launch template", "name"],
  ["aws:ec2/securityGroup:SecurityGroup", "security group", "name"],
  ["aws:iam/role:Role", "IAM role", "name", true],
  ["aws:iam/policy:Policy", "IAM policy", "name", true],
  ["aws:iam/instanceProfile:InstanceProfile", "instance profile", "name", true],
];

export const releases = (s: SynthResult, chart: string): SynthRecord[] =>
  s.resources.filter(isRelease(chart));

export const valuesOf = (r: SynthRecord): Record<string, unknown> => obj(r.inputs.values);

export const clusterNameOf = (s: SynthResult): string | undefined =>
  str(ofType(s, "eks:index:Cluster")[0]?.inputs.name);

export const vpcCidrsOf = (s: SynthResult): { resource: string; cidr: string }[] =>
  ofType(s, "awsx:ec2:Vpc").flatMap((r) => {
    const cidr = str(r.inputs.cidrBlock);
    return cidr ? [{ resource: recordKey(r), cidr }] : [];
  });

/**
 * Node group names; a prefix-named group stands as its prefix without the final "-", the stem of
 * every generation's name and of its Auto Scaling group's `eks-<name>-<uuid>`.
 */
export const nodeGroupNamesOf = (s: SynthResult): string[] =>
  ofType(s, "eks:index:ManagedNodeGroup").flatMap((r) =>
    typeof r.inputs.nodeGroupNamePrefix === "string"
      ? [r.inputs.nodeGroupNamePrefix.replace(/-$/, "")]
      : strings(r.inputs.nodeGroupName),
  );

/**
 * The tags EKS puts on a managed node group's Auto Scaling group, autoscaler discovery included.
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
 * aws-for-fluent-bit's group when `cloudWatchLogs.logGroupName` is unset: one for every cluster.
 * https://github.com/aws/eks-charts/blob/master/stable/aws-for-fluent-bit/values.yaml
 */
export const FLUENT_BIT_DEFAULT_LOG_GROUP = "/aws/eks/fluentbit-cloudwatch/logs";

/** Every CloudWatch log group the stack creates or tells Fluent Bit to write to. */
export function logGroupsOf(s: SynthResult): { resource: string; name: string }[] {
  const created = ofType(s, "aws:cloudwatch/logGroup:LogGroup").flatMap((r) =>
    strings(r.inputs.name).map((name) => ({ resource: recordKey(r), name })),
  );
  // Two CloudWatch outputs, cloudWatchLogs (on by default) and the older cloudWatch (off): both
  // default to the shared group.
  const outputs = [
    ["cloudWatchLogs", true],
    ["cloudWatch", false],
  ] as const;
  const written = releases(s, CHART.fluentBit).flatMap((r) =>
    outputs.flatMap(([output, onByDefault]) => {
      const cw = valueAt(valuesOf(r), output);
      const enabled = valueAt(cw, "enabled");
      if (enabled === false || (enabled === undefined && !onByDefault)) return [];
      return [
        {
          resource: `${recordKey(r)} values.${output}.logGroupName`,
          name: str(valueAt(cw, "logGroupName")) || FLUENT_BIT_DEFAULT_LOG_GROUP,
        },
      ];
    }),
  );
  return [...created, ...written];
}

export const ROUTE53_RECORD = "aws:route53/record:Record";

/** A weighted record as a stack registers it. */
export interface WeightedRecord {
  resource: string;
  zoneId: string;
  name: string;
  type: string;
  setIdentifier: string;
  weight?: number;
  alias?: { name?: string; zoneId?: string; evaluateTargetHealth?: boolean };
}

export const weightedRecordsOf = (s: SynthResult): WeightedRecord[] =>
  ofType(s, ROUTE53_RECORD).flatMap((r) => {
    const setIdentifier = str(r.inputs.setIdentifier);
    if (!setIdentifier) return [];
    const weight = valueAt(list(r.inputs.weightedRoutingPolicies)[0], "weight");
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
                evaluateTargetHealth: bool(alias.evaluateTargetHealth),
              },
            }
          : {}),
      },
    ];
  });

export const irsaRoleArnOf = (r: SynthRecord, annotationsPath: string[]): string | undefined =>
  str(valueAt(valuesOf(r), ...annotationsPath, IRSA_ANNOTATION));

/** A role's identity policies as the simulator takes them, and the ones it cannot see. */
export interface RolePolicies {
  policies: SimulationIdentityPolicy[];
  /** Documents it cannot read: attached ARNs the synth does not create, or not JSON (a secret). */
  unevaluable: string[];
}

/** One role's inline policies, `inlinePolicies`, and attached policies the same synth creates. */
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
    add(str(valueAt(p, "name")) ?? `inline-${i}`, valueAt(p, "policy")),
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
