import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createNamespace, PodSecurityLevel } from "../teams/namespace";

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

/**
 * A namespace an add-on creates, through the one namespace function (components/teams/namespace.ts):
 * Pod Security Admission labels, logical name `<prefix>-<namespace>`.
 */
export function addonNamespace(
  prefix: string,
  args: AddonNamespaceArgs,
  opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
): k8s.core.v1.Namespace {
  return createNamespace(
    prefix,
    {
      name: args.namespace,
      podSecurity: args.podSecurity,
      kubernetesVersion: args.kubernetesVersion,
      provider: args.provider,
    },
    opts,
  );
}
