import type { ResourceView } from "../synth/record";

/** Mandatory blocks the synth and `pulumi up`. */
export type Enforcement = "mandatory" | "advisory";

/** One resource as a rule sees it: a synth record, or in CrossGuard the resource's props and options. */
export type PolicyResource = ResourceView;

/** What a few rules need to know about other resources of the stack. */
export interface StackFacts {
  clusterNames: string[];
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
  /** Type tokens the rule judges; `"*"` means all. */
  types: readonly string[];
  /** Needs `StackFacts`, so CrossGuard runs it as a stack policy. */
  crossResource?: boolean;
  /** One message per problem. Pure. */
  check(resource: PolicyResource, ctx: RuleContext): string[];
}
