import { problem } from "../problems";
import { undeclaredNamespaceProblems } from "../teams/namespace";
import type { PodSecurityGroupSpec } from "./pod-security-group";

/** A pod security group as stack config declares it. */
export interface PodSecurityGroupConfig extends PodSecurityGroupSpec {
  /** The singleton workload these pods are; tagged so the coexistence check sees it. @default none */
  singleton?: string;
}

/**
 * Every pod security group whose namespace is neither `declared` nor one EKS has, keyed
 * `<at>.<group>.namespace`; `declaredAt` names where namespaces are declared, in the caller's
 * words (`workloadNamespaces` for EksBlueprint, `eks-blueprint:workloadNamespaces` for
 * stack config).
 */
export function podSecurityGroupNamespaceProblems(
  groups: Record<string, { namespace: string }>,
  declared: readonly string[],
  paths: { at: string; declaredAt: string },
): string[] {
  return undeclaredNamespaceProblems(
    Object.entries(groups).map(([group, g]) => [`${paths.at}.${group}.namespace`, g.namespace]),
    declared,
    paths.declaredAt,
  );
}

/**
 * Rules that name a sibling pod security group (`group`) must name one declared before them:
 * groups are created in declaration order, and a rule takes its peer's id. Keyed
 * `<at>.<group>.<direction>[<index>].group`.
 */
export function podSecurityGroupReferenceProblems(
  groups: Record<string, PodSecurityGroupConfig>,
  at: string,
): string[] {
  const names = Object.keys(groups);
  return names.flatMap((name, index) =>
    (["ingress", "egress"] as const).flatMap((direction) =>
      (groups[name][direction] ?? []).flatMap((rule, i) =>
        !("group" in rule) || rule.group === undefined || names.slice(0, index).includes(rule.group)
          ? []
          : [
              problem(
                `${at}.${name}.${direction}[${i}].group`,
                "not a pod security group declared before this one",
                rule.group,
                `name one of the groups declared above it (${names.slice(0, index).join(", ") || "none"})`,
              ),
            ],
      ),
    ),
  );
}
