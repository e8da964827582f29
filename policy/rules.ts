// The rules as plain functions for the synth, the tests and the CrossGuard pack. Never import
// @pulumi/policy here: its import starts the analyzer's gRPC server.
import { awsRules } from "./rules-aws";
import { clusterRules } from "./rules-cluster";
import { iamRules } from "./rules-iam";
import { kubernetesRules } from "./rules-kubernetes";
import { nodeRules } from "./rules-nodes";
import { stackFacts } from "./shapes";
import { errorCount, type Finding, renderFindings } from "./findings";
import { PolicyResource, Rule, RuleContext } from "./types";

export type { Enforcement, PolicyResource, Rule, RuleContext, StackFacts } from "./types";
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

export function checkResource(rule: Rule, resource: PolicyResource, ctx: RuleContext): string[] {
  return appliesTo(rule, resource.type) ? rule.check(resource, ctx) : [];
}

const byRuleThenSubject = (a: Finding, b: Finding) =>
  a.rule.localeCompare(b.rule) ||
  a.subject.localeCompare(b.subject) ||
  a.message.localeCompare(b.message);

/** A mandatory rule's findings are errors, an advisory one's warnings. */
export function evaluatePolicies(
  result: { stack: string; resources: readonly PolicyResource[] },
  context: { stack: string; production: boolean },
  ruleSet: readonly Rule[] = rules,
): Finding[] {
  const ctx: RuleContext = { ...context, facts: stackFacts(result.resources) };
  const findings: Finding[] = [];
  for (const rule of ruleSet) {
    for (const r of result.resources) {
      for (const message of checkResource(rule, r, ctx)) {
        findings.push({
          rule: rule.id,
          subject: `${r.type}::${r.name}`,
          message,
          severity: rule.enforcement === "mandatory" ? "error" : "warning",
        });
      }
    }
  }
  return findings.sort(byRuleThenSubject);
}

/** The synth's report, with a count line. */
export function formatViolations(
  findings: readonly Finding[],
  ruleSet: readonly Rule[] = rules,
): string {
  const errors = errorCount(findings);
  const info = ruleSet.map((r) => ({ id: r.id, title: r.description, source: r.link }));
  return `${[
    ...renderFindings(findings, info),
    `policy: ${errors} mandatory, ${findings.length - errors} advisory violation(s) from ${ruleSet.length} rules`,
  ].join("\n")}\n`;
}
