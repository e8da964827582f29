import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DNS_LABEL, DNS_LABEL_HINT } from "../kubernetes-names";
import { problem, isOneOf } from "../problems";

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/**
 * Namespaces every EKS cluster has before anything of ours runs: Kubernetes creates them itself
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces).
 * Objects may go into them without a Namespace of ours; we never create them.
 */
export const EKS_SYSTEM_NAMESPACES = [
  "default",
  "kube-node-lease",
  "kube-public",
  "kube-system",
] as const;

/**
 * Pod Security Admission labels. `enforce` is the level the namespace's pods need; `warn` and
 * `audit` stay at restricted so every deviation from the strictest level is visible at deploy
 * time and in the audit log. Versions are pinned to the cluster's minor, so a Kubernetes upgrade
 * never tightens a policy unannounced.
 */
export function podSecurityLabels(
  enforce: PodSecurityLevel,
  kubernetesVersion: string,
): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  const labels: Record<string, string> = {};
  for (const [mode, level] of [
    ["enforce", enforce],
    ["warn", "restricted"],
    ["audit", "restricted"],
  ] as const) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
    labels[`pod-security.kubernetes.io/${mode}-version`] = version;
  }
  return labels;
}

/**
 * Every problem with a list of namespaces to create, keyed `<at>[<index>]`: not a DNS label,
 * listed twice, or one Kubernetes creates itself (creating it fails with AlreadyExists).
 */
export function namespaceListProblems(names: readonly string[], at: string): string[] {
  const out: string[] = [];
  names.forEach((n, i) => {
    if (!DNS_LABEL.test(n)) {
      out.push(problem(`${at}[${i}]`, "not a namespace name", n, DNS_LABEL_HINT));
    } else if (isOneOf(EKS_SYSTEM_NAMESPACES, n)) {
      out.push(
        problem(
          `${at}[${i}]`,
          "a namespace Kubernetes creates itself",
          n,
          `leave ${EKS_SYSTEM_NAMESPACES.join(", ")} out; objects may go into them as they are`,
        ),
      );
    } else if (names.indexOf(n) !== i) {
      out.push(problem(`${at}[${i}]`, "listed twice", n, "list each namespace once"));
    }
  });
  return out;
}

/**
 * Problems for objects whose namespace nobody creates: each reference is `[key, namespace]`, and
 * is fine when the namespace is `declared` (created by this program, under the key `declaredAt`)
 * or one of EKS_SYSTEM_NAMESPACES. Kubernetes would answer `namespaces "<n>" not found`.
 */
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
        "a namespace this program does not create",
        namespace,
        `declare it in ${declaredAt} (now ${JSON.stringify(declared)}) or use one EKS has: ${EKS_SYSTEM_NAMESPACES.join(", ")}`,
      ),
    );
}

export interface NamespaceArgs {
  /** Kubernetes name of the namespace; also the end of its logical name. */
  name: string;
  /** Pod Security level its pods need (enforced; warn and audit stay at restricted). */
  podSecurity: PodSecurityLevel;
  /** Kubernetes minor of the cluster, for the PSA version labels. */
  kubernetesVersion: string;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /**
   * More labels (a team namespace's mesh label). The Pod Security labels are applied after them,
   * so no label here can loosen the level. @default {}
   */
  labels?: Record<string, string>;
  /** Annotations (why a namespace has a Pod Security exception). @default {} */
  annotations?: Record<string, string>;
}

/** Annotation holding why a namespace runs below `restricted`, for audit and review. */
export const POD_SECURITY_REASON_ANNOTATION = "eks-blueprint/pod-security-reason";

/**
 * The one Pod Security rule for namespaces a team declares: `restricted` unless an exception
 * names a level and a reason; the reason is kept on the namespace.
 */
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

/** Logical name of a namespace: its owner's prefix and its own name, never a list position. */
export const namespaceLogicalName = (prefix: string, namespace: string): string =>
  `${prefix}-${namespace}`;

/**
 * The one way this project creates a namespace: add-on namespaces and workload namespaces alike,
 * always with Pod Security Admission labels, named `<prefix>-<namespace>`.
 *
 * A function rather than a ComponentResource: a namespace is exactly one Kubernetes object, and
 * callers need that object itself, to make what goes into it depend on it and to read its name.
 * A component around it would add a URN level and nothing else.
 */
export function createNamespace(
  prefix: string,
  args: NamespaceArgs,
  opts: Pick<pulumi.CustomResourceOptions, "dependsOn" | "aliases"> & { parent: pulumi.Resource },
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    namespaceLogicalName(prefix, args.name),
    {
      metadata: {
        name: args.name,
        labels: {
          ...args.labels,
          ...podSecurityLabels(args.podSecurity, args.kubernetesVersion),
        },
        // Left out when empty, so namespaces made before annotations existed stay unchanged.
        ...(Object.keys(args.annotations ?? {}).length > 0
          ? { annotations: args.annotations }
          : {}),
      },
    },
    { ...opts, provider: args.provider },
  );
}
