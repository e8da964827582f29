/**
 * The policy rules as plain functions: the offline synth, the tests and the CrossGuard pack
 * (policy/index.ts) all run these same functions. This module must not import @pulumi/policy,
 * whose import starts the analyzer's gRPC server.
 */
import { awsRules } from "./rules-aws";
import { clusterRules } from "./rules-cluster";
import { iamRules } from "./rules-iam";
import { kubernetesRules } from "./rules-kubernetes";
import { nodeRules } from "./rules-nodes";
import { stackFacts } from "./shapes";
import { PolicyResource, Rule, RuleContext, Violation } from "./types";

export type {
  Enforcement,
  PolicyResource,
  Rule,
  RuleContext,
  StackFacts,
  Violation,
} from "./types";
export { isProductionStack, PRODUCTION_STACKS, stackFacts } from "./shapes";

/** Every rule, sorted by id. */
export const rules: readonly Rule[] = [
  ...clusterRules,
  ...nodeRules,
  ...iamRules,
  ...kubernetesRules,
  ...awsRules,
].sort((a, b) => a.id.localeCompare(b.id));

export const appliesTo = (rule: Rule, type: string) =>
  rule.types.includes("*") || rule.types.includes(type);

/** Runs one rule on one resource. */
export function checkResource(rule: Rule, resource: PolicyResource, ctx: RuleContext): string[] {
  return appliesTo(rule, resource.type) ? rule.check(resource, ctx) : [];
}

const byRuleThenResource = (a: Violation, b: Violation) =>
  a.rule.localeCompare(b.rule) ||
  a.resource.localeCompare(b.resource) ||
  a.message.localeCompare(b.message);

/**
 * Runs every rule over a stack's resources (a `SynthResult`). Sorted by rule, resource and
 * message, so the output is stable.
 */
export function evaluatePolicies(
  result: { stack: string; resources: readonly PolicyResource[] },
  context: { stack: string; production: boolean },
  ruleSet: readonly Rule[] = rules,
): Violation[] {
  const ctx: RuleContext = { ...context, facts: stackFacts(result.resources) };
  const violations: Violation[] = [];
  for (const rule of ruleSet) {
    for (const r of result.resources) {
      for (const message of checkResource(rule, r, ctx)) {
        violations.push({
          rule: rule.id,
          enforcement: rule.enforcement,
          resource: `${r.type}::${r.name}`,
          message,
        });
      }
    }
  }
  return violations.sort(byRuleThenResource);
}

export const mandatoryCount = (violations: readonly Violation[]) =>
  violations.filter((v) => v.enforcement === "mandatory").length;

/**
 * Violations grouped by rule, mandatory rules first, with the rule's description and reference,
 * then a count line. Ends with a newline.
 */
export function formatViolations(
  violations: readonly Violation[],
  ruleSet: readonly Rule[] = rules,
): string {
  const mandatory = mandatoryCount(violations);
  const lines: string[] = [];
  const groups = new Map<string, Violation[]>();
  for (const v of [...violations].sort(byRuleThenResource)) {
    groups.set(v.rule, [...(groups.get(v.rule) ?? []), v]);
  }
  const order = [...groups.keys()].sort(
    (a, b) =>
      Number(groups.get(a)?.[0]?.enforcement !== "mandatory") -
        Number(groups.get(b)?.[0]?.enforcement !== "mandatory") || a.localeCompare(b),
  );
  for (const id of order) {
    const group = groups.get(id) ?? [];
    const rule = ruleSet.find((r) => r.id === id);
    lines.push(`[${group[0]?.enforcement}] ${id}: ${rule?.description ?? ""}`.trimEnd());
    if (rule) lines.push(`  see ${rule.link}`);
    for (const v of group) lines.push(`  - ${v.resource}: ${v.message}`);
  }
  lines.push(
    `policy: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s) from ${ruleSet.length} rules`,
  );
  return `${lines.join("\n")}\n`;
}
