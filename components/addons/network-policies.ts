import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ISTIO } from "./istio";
import { PROMETHEUS } from "./prometheus";

interface Policy {
  metadata: { name: string; namespace: string };
  spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

const byNamespace = (ns: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
});

/**
 * The baseline for one workload namespace: deny all ingress, then allow it from the namespace
 * itself, from the Istio ingress gateway's namespace and from Prometheus's namespace (scrapes).
 * Policies are additive, so each allow is its own object and reads as one rule. Enforced by the
 * VPC CNI's network policy agent (`enableNetworkPolicy` in components/core-addons.ts).
 * `kubernetes.io/metadata.name` is set by the API server on every namespace (Kubernetes 1.22+).
 */
export function baselinePolicies(namespace: string): Policy[] {
  const allowFrom = (name: string, peerNamespace: string): Policy => ({
    metadata: { name, namespace },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [byNamespace(peerNamespace)] }],
    },
  });
  return [
    {
      metadata: { name: "default-deny-ingress", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
    allowFrom("allow-same-namespace", namespace),
    allowFrom("allow-istio-ingress", ISTIO.gatewayNamespace),
    allowFrom("allow-prometheus-scrape", PROMETHEUS.namespace),
  ];
}

export interface NetworkPolicyBaselineArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Workload namespaces (they must exist, or be created by the same program first). */
  namespaces: string[];
  /** Resources the policies wait for (the namespaces, the vpc-cni add-on). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Default-deny ingress plus the three allows, in every declared workload namespace. */
export class NetworkPolicyBaseline extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: NetworkPolicyBaselineArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("eks-blueprint:index:NetworkPolicyBaseline", name, {}, opts);
    for (const ns of args.namespaces) {
      for (const policy of baselinePolicies(ns)) {
        new k8s.networking.v1.NetworkPolicy(`${name}-${ns}-${policy.metadata.name}`, policy, {
          parent: this,
          provider: args.provider,
          dependsOn: args.dependsOn ?? [],
        });
      }
    }
    this.registerOutputs({ namespaces: args.namespaces });
  }
}
