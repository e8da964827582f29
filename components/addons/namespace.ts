import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

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

export interface AddonNamespaceArgs {
  /** Kubernetes name of the namespace. */
  namespace: string;
  /** Pod Security level the add-on's pods need (see each add-on for why). */
  podSecurity: PodSecurityLevel;
  /** Kubernetes minor of the cluster, for the PSA version labels. */
  kubernetesVersion: string;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
}

/** A namespace an add-on creates, always with Pod Security Admission labels. */
export function addonNamespace(
  name: string,
  args: AddonNamespaceArgs,
  opts: { parent: pulumi.Resource; dependsOn?: pulumi.Input<pulumi.Resource>[] },
): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    name,
    {
      metadata: {
        name: args.namespace,
        labels: podSecurityLabels(args.podSecurity, args.kubernetesVersion),
      },
    },
    { ...opts, provider: args.provider },
  );
}
