/**
 * The AWS resources one stack runs, as the IAM simulator sees them: an ARN, the tags AWS, EKS and
 * the controllers put on it, and the request keys that come with it. Built from the stack's synth
 * (isolation-network.ts, isolation-workloads.ts) and from each writer's tagging convention, cited
 * where it is used; ids are stable hashes, so a run prints the same matrix twice.
 */
import { createHash } from "node:crypto";
import { partitionOf } from "../../components/access/irsa-policy";
import { isObj, str } from "../values";
import { CHART, clusterNameOf, CoexistStack, ofType, releases, valuesOf } from "./records";

export const RESOURCE_KINDS = [
  "load balancer",
  "target group",
  "listener",
  "security group (load balancer)",
  "security group (cluster)",
  "volume",
  "snapshot",
  "log group",
  "record (ExternalDNS)",
  "record (stack)",
  "subnet",
  "instance (node group)",
  "instance (Karpenter)",
  "launch template",
  "launch template (Karpenter)",
  "node group",
  "bucket object",
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ClusterResource {
  kind: ResourceKind;
  /** What the table and findings call it. */
  label: string;
  arn: string;
  /** The resource's tags: `aws:ResourceTag/<key>` and the service's own `<service>:ResourceTag/<key>`. */
  tags: Record<string, string>;
  /** Other request keys that belong to the resource (`ec2:Vpc`, Route 53's record names). */
  context: Record<string, string | string[]>;
}

export const hex = (seed: string, n: number) =>
  createHash("sha256").update(seed).digest("hex").slice(0, n);

/** The service prefix of the resource's own tag keys (`ec2:ResourceTag/…`), where it has one. */
const TAG_SERVICE: Partial<Record<string, string>> = { ec2: "ec2", autoscaling: "autoscaling" };

/** The request context for one resource: its tags under both key families, and its own keys. */
export function resourceContext(r: ClusterResource): Record<string, string | string[]> {
  const service = r.arn.split(":")[2];
  const out: Record<string, string | string[]> = { ...r.context };
  for (const [k, v] of Object.entries(r.tags)) {
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

/**
 * The VPC id the stack's controllers are configured with (the ALB controller's `vpcId`), else one
 * from its security groups: what an `ec2:Vpc` condition in its policies names.
 */
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

/** Where the stack's resources live, for their ARNs. */
export const whereOf = (s: CoexistStack): Where => ({
  stack: s.stack,
  cluster: clusterNameOf(s.synth) ?? s.stack,
  partition: partitionOf(s.region),
  region: s.region,
  account: s.accountId,
  vpcId: vpcIdOf(s),
});
