import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DNS_LABEL, DNS_LABEL_HINT } from "../kubernetes-names";
import { problem, isOneOf, problemList } from "../problems";
import type { TeamLiveNamespace } from "./team-settings";

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

// Kubernetes creates these:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces
export const EKS_SYSTEM_NAMESPACES = [
  "default",
  "kube-node-lease",
  "kube-public",
  "kube-system",
] as const;

/**
 * Pod Security Admission labels: `warn` and `audit` stay restricted, so every deviation shows at
 * deploy and in the audit log; versions pinned to the minor, so upgrades never tighten unannounced.
 */
export function podSecurityLabels(
  enforce: PodSecurityLevel,
  kubernetesVersion: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ enforce, warn: "restricted", audit: "restricted" }).flatMap(
      ([mode, level]) => [
        [`pod-security.kubernetes.io/${mode}`, level],
        [`pod-security.kubernetes.io/${mode}-version`, `v${kubernetesVersion}`],
      ],
    ),
  );
}

/** Namespaces to create, keyed `<at>[<index>]`: DNS labels, once, not Kubernetes' (exists). */
export function namespaceListProblems(names: readonly string[], at: string): string[] {
  const [out, add] = problemList();
  names.forEach((n, i) => {
    if (!DNS_LABEL.test(n)) {
      add(`${at}[${i}]`, "not a namespace name", n, DNS_LABEL_HINT);
    } else if (isOneOf(EKS_SYSTEM_NAMESPACES, n)) {
      add(
        `${at}[${i}]`,
        "a namespace Kubernetes creates itself",
        n,
        `leave ${EKS_SYSTEM_NAMESPACES.join(", ")} out; objects may go into them as they are`,
      );
    } else if (names.indexOf(n) !== i) {
      add(`${at}[${i}]`, "listed twice", n, "list each namespace once");
    }
  });
  return out;
}

export const UNDECLARED_NAMESPACE = "a namespace this program does not create";

/** `[key, namespace]` references to a namespace neither `declared` (at `declaredAt`) nor EKS's. */
export function undeclaredNamespaceProblems(
  references: readonly (readonly [key: string, namespace: string])[],
  declared: readonly string[],
  declaredAt: string,
): string[] {
  const known = new Set<string>([...declared, ...EKS_SYSTEM_NAMESPACES]);
  return references
    .filter(([, namespace]) => !known.has(namespace))
    .map(([key, namespace]) =>
      problem(
        key,
        UNDECLARED_NAMESPACE,
        namespace,
        `declare it in ${declaredAt} (now ${JSON.stringify(declared)}) or use one EKS has: ${EKS_SYSTEM_NAMESPACES.join(", ")}`,
      ),
    );
}

export interface NamespaceArgs {
  /** Kubernetes name, and the end of the logical name. */
  name: string;
  /** Pod Security level enforced. */
  podSecurity: PodSecurityLevel;
  /** Kubernetes minor of the cluster, for the PSA version labels. */
  kubernetesVersion: string;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** More labels (the mesh label); Pod Security labels override them. @default {} */
  labels?: Record<string, string>;
  /** Annotations (why a namespace has a Pod Security exception). @default {} */
  annotations?: Record<string, string>;
  /** It already runs: imported, its Pod Security staged. @default none: created */
  live?: TeamLiveNamespace;
}

const LEVELS: readonly PodSecurityLevel[] = ["privileged", "baseline", "restricted"];

/** The level a namespace's labels enforce; none is `privileged` (Pod Security Admission's default). */
export const enforcedLevel = (labels: Record<string, string> | undefined): PodSecurityLevel => {
  const level = labels?.["pod-security.kubernetes.io/enforce"];
  return LEVELS.find((l) => l === level) ?? "privileged";
};

/** Whether `to` enforces more than `from`: running pods stay, new ones are refused. */
export const stricterLevel = (from: PodSecurityLevel, to: PodSecurityLevel): boolean =>
  LEVELS.indexOf(to) > LEVELS.indexOf(from);

/** Observed, a live namespace keeps the level it enforces while warn and audit show the rest. */
function namespaceMetadata(args: NamespaceArgs) {
  const { live } = args;
  const enforce = live?.stage === "observe" ? enforcedLevel(live.labels) : args.podSecurity;
  return {
    name: args.name,
    labels: { ...args.labels, ...podSecurityLabels(enforce, args.kubernetesVersion) },
    // Left out when empty, so older namespaces stay unchanged.
    ...(Object.keys(args.annotations ?? {}).length > 0 ? { annotations: args.annotations } : {}),
  };
}

/** Why a namespace runs below `restricted`, for audit and review. */
export const POD_SECURITY_REASON_ANNOTATION = "eks-blueprint/pod-security-reason";

/** `restricted` unless an exception names a level and a reason, kept on the namespace. */
export function podSecurityException(
  exception: { level: PodSecurityLevel; reason: string } | undefined,
): { podSecurity: PodSecurityLevel; annotations: Record<string, string> } {
  return exception
    ? {
        podSecurity: exception.level,
        annotations: { [POD_SECURITY_REASON_ANNOTATION]: exception.reason },
      }
    : { podSecurity: "restricted", annotations: {} };
}

/** Owner prefix and namespace name, never a list position. */
export const namespaceLogicalName = (prefix: string, namespace: string): string =>
  `${prefix}-${namespace}`;

/**
 * The one way this project creates a namespace, always with Pod Security labels. A function, not a
 * component: callers need the object itself to depend on, and a component adds only a URN level.
 */
export function createNamespace(
  prefix: string,
  args: NamespaceArgs,
  opts: Pick<pulumi.CustomResourceOptions, "dependsOn" | "aliases"> & { parent: pulumi.Resource },
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    namespaceLogicalName(prefix, args.name),
    { metadata: namespaceMetadata(args) },
    {
      ...opts,
      provider: args.provider,
      // Its import id is its name. Once in the state, the engine skips the import (same id) and
      // updates as usual; differing inputs are an update after the import (pulumi/pulumi
      // pkg/resource/deploy/step_generator.go, `isImport`).
      // It ran before this stack: never deleted with it (`kubectl delete` it once it is empty).
      ...(args.live ? { import: args.name, retainOnDelete: true } : {}),
    },
  );
}
