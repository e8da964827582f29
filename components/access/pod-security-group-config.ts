import { problem } from "../problems";
import { undeclaredNamespaceProblems } from "../teams/namespace";
import type { PodSecurityGroupSpec } from "./pod-security-group";

/** A pod security group as stack config declares it. */
export interface PodSecurityGroupConfig extends PodSecurityGroupSpec {
  /** The singleton workload these pods are; tagged so the coexistence check sees it. @default none */
  singleton?: string;
}

/** Every field of a config entry: the compiler keeps it whole, the check refuses any other key. */
export const POD_SECURITY_GROUP_CONFIG_FIELDS: Record<keyof PodSecurityGroupConfig, true> = {
  namespace: true,
  podSelector: true,
  serviceAccountSelector: true,
  ingress: true,
  egress: true,
  kubeletProbePorts: true,
  servicePorts: true,
  singleton: true,
};

/**
 * Groups whose namespace is neither `declared` nor EKS's, keyed `<at>.<group>.namespace`;
 * `declaredAt` is where the caller declares them (`eks-blueprint:workloadNamespaces` in a stack).
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
 * A rule's sibling `group` must be declared earlier: groups are created in order, and a rule takes
 * its peer's id. Keyed `<at>.<group>.<direction>[<index>].group`.
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
