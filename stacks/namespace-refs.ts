/**
 * Every namespace the config puts something into must exist when that something is created:
 * Kubernetes refuses a namespaced object in a missing namespace (`namespaces "api" not found`).
 * The blueprint's own entries (IRSA roles, pod security groups, Fargate selectors) are checked by
 * `blueprintNamespaceProblems`; what only the stack has, the migration singletons, is checked
 * here by the same rule.
 */
import { undeclaredNamespaceProblems } from "../components/namespace";
import { DNS_LABEL } from "../components/kubernetes-names";
import type { MigrationSettings } from "./migration-config";

/**
 * One problem per singleton whose namespace neither the stack (`declaredAt`) nor Kubernetes
 * creates. A name that is not a namespace name at all is left to the check of its own key.
 */
export function singletonNamespaceProblems(
  singletons: MigrationSettings["singletons"],
  declared: readonly string[],
  declaredAt: string,
): string[] {
  return undeclaredNamespaceProblems(
    Object.entries(singletons)
      .filter(([, s]) => DNS_LABEL.test(s.namespace))
      .map(([name, s]) => [`migration:singletons.${name}.namespace`, s.namespace] as const),
    declared,
    declaredAt,
  );
}
