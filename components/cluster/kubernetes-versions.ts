import { problemIf, isOneOf } from "../problems";

/** Supported minors, oldest first; each has pinned cluster-autoscaler and EKS add-on versions. */
export const SUPPORTED_KUBERNETES_MINORS = ["1.33", "1.34", "1.35", "1.36"] as const;
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_MINORS)[number];

/** The minor as a number: 35 for "1.35" (what upgrades count one at a time). */
export const minorNumber = (version: unknown): number => Number(String(version).split(".")[1]);

/** YAML reads an unquoted `1.30` as the number 1.3: a minor that looks so gets the quoted form. */
const quoteHint = (version: unknown): string => {
  const text = String(version);
  const hint = `; written ${text}0 unquoted, YAML reads the number ${text}: quote it: "${text}0"`;
  return /^\d+\.\d$/.test(text) ? hint : "";
};

export const kubernetesVersionProblems = (version: unknown, at: string): string[] =>
  problemIf(
    !isOneOf(SUPPORTED_KUBERNETES_MINORS, version),
    at,
    "unsupported Kubernetes version",
    version,
    `use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")}${quoteHint(version)}`,
  );
