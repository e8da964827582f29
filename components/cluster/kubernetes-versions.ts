import { problemIf, isOneOf } from "../problems";

/** Supported minors, oldest first; each has pinned cluster-autoscaler and EKS add-on versions. */
export const SUPPORTED_KUBERNETES_MINORS = ["1.33", "1.34", "1.35"] as const;
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_MINORS)[number];

export const kubernetesVersionProblems = (version: unknown, at: string): string[] =>
  problemIf(
    !isOneOf(SUPPORTED_KUBERNETES_MINORS, version),
    at,
    "unsupported Kubernetes version",
    version,
    `use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")}`,
  );
