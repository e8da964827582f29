import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ISTIO } from "./istio/istio";
import { PROMETHEUS } from "./prometheus";

export interface Policy {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

const byNamespace = (ns: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
});

/**
 * The baseline for one workload namespace: deny all ingress, then allow it from the namespace
 * itself, from the Istio ingress gateway's namespace and from Prometheus's namespace (scrapes).
 * Policies are additive, so each allow is its own object and reads as one rule. Enforced by the
 * VPC CNI's network policy agent (`enableNetworkPolicy` in components/cluster/core-addons.ts).
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

/**
 * The EKS Pod Identity agent's IPv4 address on every node: pods fetch their credentials from
 * http://169.254.170.23/ (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html,
 * Considerations; port 80 as the agent's `AWS_CONTAINER_CREDENTIALS_FULL_URI`).
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** Annotation holding why an extra egress rule exists, for whoever reads the policy later. */
export const EGRESS_REASON_ANNOTATION = "eks-blueprint/reason";

/** What a team namespace's egress policies need to know. */
export interface TeamPolicyOptions {
  /** Every namespace of the team, this one included. */
  teamNamespaces: readonly string[];
  /** The namespace is in the Istio mesh: its sidecars reach istiod. @default false */
  mesh?: boolean;
  /** Extra egress to networks outside the cluster, by rule name. @default {} */
  egress?: Record<
    string,
    { cidr: string; ports: number[]; protocol?: "TCP" | "UDP"; reason: string }
  >;
}

const tcp = (port: number) => ({ protocol: "TCP", port });

/**
 * A team namespace's policies on top of the ingress baseline: deny all egress, then allow what
 * a workload needs, each allow its own object (policies are additive,
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - DNS: CoreDNS pods (`k8s-app: kube-dns` in kube-system, as EKS's coredns add-on labels
 *   them) on 53, UDP and TCP (TCP for answers that do not fit a datagram).
 * - AWS APIs: TCP 443 anywhere. AWS endpoints have no fixed addresses a policy could name, and
 *   interface VPC endpoints live inside the VPC, so the port is the only narrowing; the API
 *   server (also 443) is reached through the same rule.
 * - The Pod Identity agent: 169.254.170.23:80 on the node.
 * - The team's own namespaces, both ways (the baseline already allows the namespace itself in).
 * - istiod on 15012 (xDS and certificates) when the namespace is in the mesh. 15017, istiod's
 *   webhook port, is called by the API server, not by pods (istio 1.30
 *   manifests/charts/istio-control/istio-discovery/templates/service.yaml).
 * - Each extra rule, with its reason as an annotation.
 * Enforced by the VPC CNI's network policy agent on EC2 nodes only: Fargate pods are not
 * subject to NetworkPolicies (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html).
 */
export function teamPolicies(namespace: string, o: TeamPolicyOptions): Policy[] {
  const egress = (
    name: string,
    to: k8s.types.input.networking.v1.NetworkPolicyEgressRule,
  ): Policy => ({
    metadata: { name, namespace },
    spec: { podSelector: {}, policyTypes: ["Egress"], egress: [to] },
  });
  const others = o.teamNamespaces.filter((n) => n !== namespace);
  const policies: Policy[] = [
    {
      metadata: { name: "default-deny-egress", namespace },
      spec: { podSelector: {}, policyTypes: ["Egress"] },
    },
    egress("allow-dns", {
      to: [
        { ...byNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
      ],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    }),
    egress("allow-aws-apis", { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] }),
    egress("allow-pod-identity-agent", {
      to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
      ports: [tcp(POD_IDENTITY_AGENT.port)],
    }),
    egress("allow-team-egress", { to: o.teamNamespaces.map(byNamespace) }),
  ];
  if (others.length > 0) {
    policies.push({
      metadata: { name: "allow-team-ingress", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: others.map(byNamespace) }],
      },
    });
  }
  if (o.mesh) {
    policies.push(
      egress("allow-istiod", {
        to: [{ ...byNamespace(ISTIO.namespace), podSelector: { matchLabels: { app: "istiod" } } }],
        ports: [tcp(15012)],
      }),
    );
  }
  for (const [name, rule] of Object.entries(o.egress ?? {})) {
    const p = egress(`allow-egress-${name}`, {
      to: [{ ipBlock: { cidr: rule.cidr } }],
      ports: rule.ports.map((port) => ({ protocol: rule.protocol ?? "TCP", port })),
    });
    p.metadata.annotations = { [EGRESS_REASON_ANNOTATION]: rule.reason };
    policies.push(p);
  }
  return policies;
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
