// Kubernetes refuses an object in a missing namespace (`namespaces "api" not found`). The
// blueprint's entries are `blueprintNamespaceProblems`'s; this checks the migration singletons.
import type { BlueprintArgs } from "../components/blueprint/blueprint";
import { DNS_LABEL } from "../components/kubernetes-names";
import { undeclaredNamespaceProblems } from "../components/teams/namespace";
import { namespacesDeclaredAt } from "../components/teams/team-problems";
import { teamNamespaces } from "../components/teams/team-settings";
import { configKeyOf } from "./config-keys";
import type { MigrationSettings } from "./migration-config";

export const declaredNamespaces = (
  args: Pick<BlueprintArgs, "workloadNamespaces" | "teams">,
): string[] => [...(args.workloadNamespaces ?? []), ...teamNamespaces(args.teams)];

/** Singletons in a namespace nothing creates, naming where to declare it; invalid names skipped. */
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
