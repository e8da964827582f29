import { problem, isOneOf } from "../problems";

/**
 * Kubernetes minors this blueprint supports: every minor here has a pinned cluster-autoscaler
 * image and pinned EKS managed add-on versions in the catalog. Oldest first.
 */
export const SUPPORTED_KUBERNETES_MINORS = ["1.33", "1.34", "1.35"] as const;
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_MINORS)[number];

/** A problem when the version is not one of SUPPORTED_KUBERNETES_MINORS. */
export function kubernetesVersionProblems(version: unknown, at: string): string[] {
  return isOneOf(SUPPORTED_KUBERNETES_MINORS, version)
    ? []
    : [
        problem(
          at,
          "unsupported Kubernetes version",
          version,
          `use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")}`,
        ),
      ];
}
