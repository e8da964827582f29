/**
 * Every namespace the config puts something into must exist when that something is created:
 * Kubernetes refuses a namespaced object in a missing namespace (`namespaces "api" not found`).
 * The blueprint's own entries (IRSA roles, pod security groups, Fargate selectors) are checked by
 * `blueprintNamespaceProblems`; what only the stack has, the migration singletons, is checked
 * here by the same rule, against the same declared namespaces: the teams' and workloadNamespaces.
 */
import type { BlueprintArgs } from "../components/blueprint/blueprint";
import { DNS_LABEL } from "../components/kubernetes-names";
import { undeclaredNamespaceProblems } from "../components/teams/namespace";
import { namespacesDeclaredAt } from "../components/teams/team-problems";
import { teamNamespaces } from "../components/teams/team-settings";
import { configKeyOf } from "./config-keys";
import type { MigrationSettings } from "./migration-config";

/** Every namespace the stack creates for workloads: workloadNamespaces, then each team's. */
export const declaredNamespaces = (
  args: Pick<BlueprintArgs, "workloadNamespaces" | "teams">,
): string[] => [...(args.workloadNamespaces ?? []), ...teamNamespaces(args.teams)];

/**
 * One problem per singleton whose namespace neither the stack nor Kubernetes creates, naming
 * where it could be declared (`eks-blueprint:teams.<team>.namespaces` or
 * `eks-blueprint:workloadNamespaces`). A name that is not a namespace name at all is left to the
 * check of its own key.
 */
export function singletonNamespaceProblems(
  singletons: MigrationSettings["singletons"],
  args: Pick<BlueprintArgs, "workloadNamespaces" | "teams">,
): string[] {
  return undeclaredNamespaceProblems(
    Object.entries(singletons)
      .filter(([, s]) => DNS_LABEL.test(s.namespace))
      .map(([name, s]) => [`migration:singletons.${name}.namespace`, s.namespace] as const),
    declaredNamespaces(args),
    namespacesDeclaredAt(args, configKeyOf),
  );
}
