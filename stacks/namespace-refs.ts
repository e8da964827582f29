/**
 * Every namespace the config puts something into must exist when that something is created:
 * Kubernetes refuses a namespaced object in a missing namespace (`namespaces "api" not found`),
 * and a Fargate selector or IRSA trust policy naming one would wait for pods that never come. A
 * namespace exists when the stack creates it (`eks-blueprint:workloadNamespaces`) or when
 * Kubernetes does (default, kube-system, kube-public, kube-node-lease).
 */
import type { MigrationSettings } from "./migration-config";
import { matchesPattern } from "./node-groups-config";
import { configError } from "./errors";
import { DNS_LABEL, EKS_NAMESPACES } from "./validators";

const WORKLOAD_NAMESPACES = "eks-blueprint:workloadNamespaces";

/** What the reference check reads from the parsed config. */
export interface NamespaceReferences {
  podSecurityGroups: Record<string, { namespace: string }>;
  irsaRoles: Record<string, { namespace: string }>;
  fargateProfiles: Record<string, { selectors: { namespace: string }[] }>;
  singletons: MigrationSettings["singletons"];
}

/** Config key of each entry that names a namespace → the namespace (or Fargate pattern) it names. */
export function namespaceRefs(c: NamespaceReferences): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const [key, entries] of [
    ["eks-blueprint:podSecurityGroups", c.podSecurityGroups],
    ["eks-blueprint:irsaRoles", c.irsaRoles],
    ["migration:singletons", c.singletons],
  ] as const) {
    for (const [name, e] of Object.entries(entries)) refs[`${key}.${name}.namespace`] = e.namespace;
  }
  for (const [name, p] of Object.entries(c.fargateProfiles)) {
    p.selectors.forEach((s, i) => {
      refs[`eks-blueprint:fargateProfiles.${name}.selectors[${i}].namespace`] = s.namespace;
    });
  }
  return refs;
}

/**
 * One problem per reference to a namespace that neither the stack nor Kubernetes creates. A
 * Fargate pattern (`batch-*`) must match at least one declared namespace. A name that is not a
 * namespace name at all is left to the check of its own key, so it is reported once.
 */
export function namespaceReferenceProblems(
  declared: readonly string[],
  refs: Record<string, string>,
): string[] {
  const existing = [...EKS_NAMESPACES, ...declared];
  const problems: string[] = [];
  for (const [key, namespace] of Object.entries(refs)) {
    if (/[*?]/.test(namespace)) {
      if (!existing.some((ns) => matchesPattern(namespace, ns))) {
        problems.push(
          configError(
            key,
            "pattern matches no namespace the stack creates",
            namespace,
            `add the namespaces it should select to ${WORKLOAD_NAMESPACES}`,
          ),
        );
      }
    } else if (DNS_LABEL.test(namespace) && !existing.includes(namespace)) {
      problems.push(
        configError(
          key,
          "namespace not created by this stack",
          namespace,
          `add it to ${WORKLOAD_NAMESPACES}, or use one Kubernetes creates (${EKS_NAMESPACES.join(", ")})`,
        ),
      );
    }
  }
  return problems;
}
