import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MESH_PORTS } from "../access/pod-security-group-rules";
import { ISTIO } from "./istio/istio";
import { OPEN_TELEMETRY } from "./opentelemetry";
import { PROMETHEUS } from "./prometheus";

export interface Policy {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

const byNamespace = (ns: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
});

const tcp = (port: number) => ({ protocol: "TCP", port });

/** A policy on every pod in `namespace` for one direction: no rules denies it all. */
const policy = (
  namespace: string,
  name: string,
  type: "Ingress" | "Egress",
  rules: Pick<Policy["spec"], "ingress" | "egress"> = {},
): Policy => ({
  metadata: { name, namespace },
  spec: { podSelector: {}, policyTypes: [type], ...rules },
});

/** What a namespace's ingress baseline needs to know. */
export interface BaselineOptions {
  /** TCP ports Prometheus may scrape on its pods. @default none */
  metricsPorts?: readonly number[];
  /** The namespace is in the mesh: its sidecars' metrics ports are scraped too. @default false */
  mesh?: boolean;
}

/** The ports `allow-prometheus-scrape` opens, sorted: none means no such policy. */
export const scrapePorts = (o: BaselineOptions): number[] =>
  [...new Set([...(o.metricsPorts ?? []), ...(o.mesh ? MESH_PORTS.metrics : [])])].sort(
    (a, b) => a - b,
  );

/**
 * Deny ingress, then allow it from the namespace and the Istio gateway's, and from Prometheus's to
 * the metrics ports only. Enforced by the VPC CNI's agent (`enableNetworkPolicy`); the API server
 * sets `kubernetes.io/metadata.name`. Numbered ports, not named: the agent's controller drops an
 * ingress rule's named port unless the source pod has one of that name
 * (https://github.com/aws/amazon-network-policy-controller-k8s/issues/81).
 */
export function baselinePolicies(namespace: string, o: BaselineOptions = {}): Policy[] {
  const allowFrom = (name: string, peer: string, ports?: number[]) =>
    policy(namespace, name, "Ingress", {
      ingress: [{ from: [byNamespace(peer)], ...(ports ? { ports: ports.map(tcp) } : {}) }],
    });
  const scrape = scrapePorts(o);
  return [
    policy(namespace, "default-deny-ingress", "Ingress"),
    allowFrom("allow-same-namespace", namespace),
    allowFrom("allow-istio-ingress", ISTIO.gatewayNamespace),
    ...(scrape.length > 0
      ? [allowFrom("allow-prometheus-scrape", PROMETHEUS.namespace, scrape)]
      : []),
  ];
}

/**
 * The EKS Pod Identity agent on every node, where pods get credentials at http://169.254.170.23/
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html, Considerations).
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** Annotation holding why an extra egress rule exists, for whoever reads the policy later. */
export const EGRESS_REASON_ANNOTATION = "eks-blueprint/reason";

/**
 * Where TCP 443 never goes: private (RFC 1918) and shared (RFC 6598) address space, where peered
 * VPCs, transit gateways and on-premises networks live, and link-local (instance metadata; the Pod
 * Identity agent has its own rule). The cluster's VPC is allowed back by a second block.
 */
export const NOT_AWS_APIS = [
  "10.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
] as const;

/** What a team namespace's egress policies need to know. */
export interface TeamPolicyOptions {
  /** Every namespace of the team, this one included. */
  teamNamespaces: readonly string[];
  /** The cluster's VPC CIDR: its endpoints (the API server's, interface endpoints) take 443. */
  vpcCidr: string;
  /** The namespace is in the Istio mesh: its sidecars reach istiod. @default false */
  mesh?: boolean;
  /** Meshed sidecars send spans to the trace collector (addons.openTelemetry). @default false */
  tracing?: boolean;
  /** Extra egress to networks outside the cluster, by rule name. @default {} */
  egress?: Record<
    string,
    { cidr: string; ports: number[]; protocol?: "TCP" | "UDP"; reason: string }
  >;
}

/**
 * A team namespace's egress over the ingress baseline: deny all, then one additive allow each
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/): CoreDNS on UDP and
 * TCP 53 (TCP for large answers); TCP 443 to public addresses, as AWS endpoints have no fixed
 * ones, and to the cluster's VPC (the API server's endpoint), never a peer's; the Pod Identity
 * agent; the team's namespaces, both ways; in the mesh, istiod's 15012 (xDS, certificates), not
 * 15017, which only the API server calls (istio 1.30
 * manifests/charts/istio-control/istio-discovery/templates/service.yaml), and with tracing the
 * collector's OTLP port, where each sidecar sends its spans; each extra rule, its reason an
 * annotation. Fargate pods ignore NetworkPolicies
 * (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html).
 */
export function teamPolicies(namespace: string, o: TeamPolicyOptions): Policy[] {
  const egress = (name: string, to: k8s.types.input.networking.v1.NetworkPolicyEgressRule) =>
    policy(namespace, name, "Egress", { egress: [to] });
  const others = o.teamNamespaces.filter((n) => n !== namespace);
  const policies: Policy[] = [
    policy(namespace, "default-deny-egress", "Egress"),
    egress("allow-dns", {
      to: [
        { ...byNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
      ],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    }),
    egress("allow-aws-apis", {
      to: [
        { ipBlock: { cidr: "0.0.0.0/0", except: [...NOT_AWS_APIS] } },
        { ipBlock: { cidr: o.vpcCidr } },
      ],
      ports: [tcp(443)],
    }),
    egress("allow-pod-identity-agent", {
      to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
      ports: [tcp(POD_IDENTITY_AGENT.port)],
    }),
    egress("allow-team-egress", { to: o.teamNamespaces.map(byNamespace) }),
  ];
  if (others.length > 0) {
    const ingress = [{ from: others.map(byNamespace) }];
    policies.push(policy(namespace, "allow-team-ingress", "Ingress", { ingress }));
  }
  if (o.mesh) {
    policies.push(
      egress("allow-istiod", {
        to: [{ ...byNamespace(ISTIO.namespace), podSelector: { matchLabels: { app: "istiod" } } }],
        ports: [tcp(MESH_PORTS.istiod)],
      }),
    );
  }
  if (o.mesh && o.tracing) {
    policies.push(
      egress("allow-trace-collector", {
        to: [byNamespace(OPEN_TELEMETRY.namespace)],
        ports: [tcp(OPEN_TELEMETRY.otlpGrpcPort)],
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

/**
 * While a live namespace is observed: a policy allowing all per direction beside the baseline's
 * ingress and the team's egress, so they deny nothing new (policies are additive) until the stage
 * moves to `enforce` and drops these two.
 */
export const observedPolicies = (namespace: string): Policy[] => [
  policy(namespace, "observe-allow-all-ingress", "Ingress", { ingress: [{}] }),
  policy(namespace, "observe-allow-all-egress", "Egress", { egress: [{}] }),
];

export interface NetworkPolicyBaselineArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Workload namespaces (they must exist, or be created by the same program first). */
  namespaces: string[];
  /** Per namespace, what its baseline opens to Prometheus. @default none: nothing */
  scrape?: Record<string, BaselineOptions>;
  /** Resources the policies wait for (the namespaces, the vpc-cni add-on). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Default-deny ingress plus the allows, in every declared workload namespace. */
export class NetworkPolicyBaseline extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: NetworkPolicyBaselineArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("eks-blueprint:index:NetworkPolicyBaseline", name, {}, opts);
    for (const ns of args.namespaces) {
      for (const policy of baselinePolicies(ns, args.scrape?.[ns])) {
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
