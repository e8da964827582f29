import type { ResourceView } from "../synth/record";

/** What a rule does when it finds a violation: mandatory blocks the synth and `pulumi up`. */
export type Enforcement = "mandatory" | "advisory";

/** One resource as a rule sees it: a synth record, or in CrossGuard the resource's props and options. */
export type PolicyResource = ResourceView;

/** Facts a few rules need about other resources in the same stack. Built by `stackFacts`. */
export interface StackFacts {
  /** `name` of every EKS cluster in the stack. */
  clusterNames: string[];
  /** Subnet ids that EKS clusters in the stack list as public. */
  publicSubnetIds: string[];
}

export interface RuleContext {
  stack: string;
  /** Production stacks must protect what cannot be recreated without an outage. */
  production: boolean;
  facts: StackFacts;
}

export interface Rule {
  /** Stable id, also the CrossGuard policy name. */
  id: string;
  /** One sentence: what must hold. */
  description: string;
  enforcement: Enforcement;
  /** Upstream reference for why (EKS Best Practices guide, AWS docs). */
  link: string;
  /** Type tokens the rule judges; every other resource is ignored. `"*"` means all. */
  types: readonly string[];
  /** Needs `StackFacts` (other resources), so CrossGuard runs it as a stack policy. */
  crossResource?: boolean;
  /** One message per problem; empty when the resource complies. Pure. */
  check(resource: PolicyResource, ctx: RuleContext): string[];
}
