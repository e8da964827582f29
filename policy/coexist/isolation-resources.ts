// A stack's AWS resources as the IAM simulator (@cloud-copilot/iam-simulate) sees them: ARN, tags
// and request keys. Ids are stable hashes, so a run prints the same matrix twice.
import { createHash } from "node:crypto";
import { runSimulation, type SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { partitionOf } from "../../components/access/irsa-policy";
import { isObj, str } from "../values";
import { CHART, clusterNameOf, CoexistStack, ofType, releases, valuesOf } from "./records";
import { memoizeResourceTypes } from "./simulator-memo";

export const RESOURCE_KINDS = [
  "load balancer",
  "application load balancer",
  "target group",
  "listener",
  "listener (untagged)",
  "listener rule",
  "listener rule (untagged)",
  "shield protection",
  "network interface",
  "security group (load balancer)",
  "security group (cluster)",
  "volume",
  "snapshot",
  "log group",
  "record (ExternalDNS)",
  "record (stack)",
  "record (unconfigured zone)",
  "subnet",
  "instance (node group)",
  "instance (Karpenter)",
  "launch template",
  "launch template (Karpenter)",
  "node group",
  "bucket object",
  "bucket",
  "parameter",
  "secret",
  "kms key",
  "cluster",
  "role",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ClusterResource {
  kind: ResourceKind;
  label: string;
  arn: string;
  tags?: Record<string, string>;
  /** Other request keys of the resource (`ec2:Vpc`, Route 53's record names). @default none */
  context?: Record<string, string | string[]>;
  /** Its resource policy (a KMS key's), evaluated with the role's. @default none */
  policy?: Record<string, unknown>;
}

export const hex = (seed: string, n: number) =>
  createHash("sha256").update(seed).digest("hex").slice(0, n);

/** The service prefix of the resource's own tag keys (`ec2:ResourceTag/…`), where it has one. */
const TAG_SERVICE: Partial<Record<string, string>> = { ec2: "ec2", autoscaling: "autoscaling" };

/** Its tags as `aws:ResourceTag/…` and `<service>:ResourceTag/…`, and its own keys. */
export function resourceContext(r: ClusterResource): Record<string, string | string[]> {
  const service = r.arn.split(":")[2];
  const out: Record<string, string | string[]> = { ...r.context };
  for (const [k, v] of Object.entries(r.tags ?? {})) {
    out[`aws:ResourceTag/${k}`] = v;
    const own = TAG_SERVICE[service];
    if (own) out[`${own}:ResourceTag/${k}`] = v;
  }
  return out;
}

export interface Where {
  stack: string;
  cluster: string;
  partition: string;
  region: string;
  account: string;
  vpcId: string;
}

/** What an `ec2:Vpc` condition names: the ALB controller's `vpcId`, else its groups'. */
function vpcIdOf(s: CoexistStack): string {
  const alb = releases(s.synth, CHART.albController)[0];
  const fromAlb = alb ? str(valuesOf(alb).vpcId) : undefined;
  const fromSg = ofType(s.synth, "aws:ec2/securityGroup:SecurityGroup")
    .map((r) => str(r.inputs.vpcId))
    .find(Boolean);
  return fromAlb ?? fromSg ?? `vpc-${hex(`${s.stack}/vpc`, 17)}`;
}

export const stringMap = (v: unknown): Record<string, string> =>
  isObj(v)
    ? Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (str(x) ? [[k, str(x)!]] : [])))
    : {};

export const whereOf = (s: CoexistStack): Where => ({
  stack: s.stack,
  cluster: clusterNameOf(s.synth) ?? s.stack,
  partition: partitionOf(s.region),
  region: s.region,
  account: s.accountId,
  vpcId: vpcIdOf(s),
});

export interface SimulatorRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  resourcePolicy?: Record<string, unknown>;
}

/** Why it could not decide is a finding: the check fails closed. */
export type Verdict = { allowed: boolean } | { error: string };

/**
 * Verdicts by request: the simulator is deterministic, a verdict costs milliseconds, and each
 * variant of a stack (one role widened) asks every other role's requests again.
 */
const verdicts = new Map<string, Promise<Verdict>>();

const policyKeys = new WeakMap<SimulationIdentityPolicy[], string>();
/** A role's policies as text, once per list (a matrix asks hundreds of probes with one list). */
function policiesKey(policies: SimulationIdentityPolicy[]): string {
  if (!policyKeys.has(policies)) policyKeys.set(policies, JSON.stringify(policies));
  return policyKeys.get(policies)!;
}

export function simulate(
  principal: string,
  policies: SimulationIdentityPolicy[],
  request: SimulatorRequest,
  resourceAccount: string,
): Promise<Verdict> {
  memoizeResourceTypes();
  const key = JSON.stringify([principal, policiesKey(policies), request, resourceAccount]);
  if (!verdicts.has(key))
    verdicts.set(key, evaluate(principal, policies, request, resourceAccount));
  return verdicts.get(key)!;
}

async function evaluate(
  principal: string,
  policies: SimulationIdentityPolicy[],
  request: SimulatorRequest,
  resourceAccount: string,
): Promise<Verdict> {
  const response = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount },
        contextVariables: request.context,
      },
      identityPolicies: policies,
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error") {
    const { message, identityPolicyErrors = {} } = response.errors;
    const details = Object.entries(identityPolicyErrors).flatMap(([policy, errors]) =>
      errors.map((e) => `${policy} ${e.path}: ${e.message}`),
    );
    return { error: details.length > 0 ? details.join("; ") : message };
  }
  return { allowed: response.overallResult === "Allowed" };
}
