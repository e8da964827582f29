import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { hostBitsProblems, isNetworkCidr } from "../network/cidr";
import { isIntegerIn, isRecord, problem, problemIf, unknownFieldProblems } from "../problems";

/** Ports of a rule: one TCP or UDP port or range, or every protocol and port. */
export type PodSgPortSpec =
  | {
      protocol: "tcp" | "udp";
      /** First port, 0-65535. */
      port: number;
      /** Last port of a range, at least `port`. @default `port` */
      toPort?: number;
    }
  | { protocol: "all" };

/** A peer group: its id or, where ids come only at deploy (WorkloadAccess), an earlier sibling. */
export interface PodSgGroupPeer {
  /** @default the sibling `group`'s id */
  securityGroupId?: pulumi.Input<string>;
  /** @default none */
  group?: string;
}

/** The other side of a rule, keyed `from` (ingress) or `to` (egress). */
export type PodSgPeer<D extends "from" | "to"> =
  /** An IPv4 or IPv6 CIDR block in canonical form, for example "10.0.0.0/16". */
  | (Record<D, "cidr"> & { cidr: string })
  /** Another PodSecurityGroup's `securityGroupId`; it needs the mirror rule on its own side. */
  | (Record<D, "podSecurityGroup"> & PodSgGroupPeer)
  /** Any other security group, such as a database's or a load balancer's. */
  | (Record<D, "securityGroup"> & PodSgGroupPeer)
  /** A managed prefix list, such as an S3 or DynamoDB gateway endpoint's. */
  | (Record<D, "prefixList"> & { prefixListId: pulumi.Input<string> })
  /** The pods of this same group. */
  | Record<D, "self">;

export interface PodSgRuleText {
  /** Shown in the EC2 console. @default none */
  description?: string;
}

export type PodSgIngressRule = PodSgPeer<"from"> & PodSgPortSpec & PodSgRuleText;
export type PodSgEgressRule = PodSgPeer<"to"> & PodSgPortSpec & PodSgRuleText;
export type PodSgRule = PodSgIngressRule | PodSgEgressRule;
export type PodSgEnforcingMode = "standard" | "strict";

type RuleArgs = aws.vpc.SecurityGroupIngressRuleArgs & aws.vpc.SecurityGroupEgressRuleArgs;

type PeerFields = {
  cidr?: string;
  securityGroupId?: pulumi.Input<string>;
  group?: string;
  prefixListId?: pulumi.Input<string>;
};

const peerKind = (rule: PodSgRule) => ("from" in rule ? rule.from : rule.to);

const peerOf = (rule: PodSgRule): PeerFields => ({
  cidr: "cidr" in rule ? rule.cidr : undefined,
  securityGroupId: "securityGroupId" in rule ? rule.securityGroupId : undefined,
  group: "group" in rule ? rule.group : undefined,
  prefixListId: "prefixListId" in rule ? rule.prefixListId : undefined,
});

/** A rule's EC2 args, ingress or egress (the two take the same fields). */
export function ruleArgs(securityGroupId: pulumi.Input<string>, rule: PodSgRule): RuleArgs {
  const peer = peerOf(rule);
  const target: Partial<RuleArgs> = (() => {
    switch (peerKind(rule)) {
      case "cidr":
        return peer.cidr?.includes(":") ? { cidrIpv6: peer.cidr } : { cidrIpv4: peer.cidr };
      case "podSecurityGroup":
      case "securityGroup":
        return { referencedSecurityGroupId: peer.securityGroupId };
      case "prefixList":
        return { prefixListId: peer.prefixListId };
      case "self":
        return { referencedSecurityGroupId: securityGroupId };
    }
  })();
  // ip_protocol "-1" means every protocol; EC2 then takes no ports.
  const ports: Pick<RuleArgs, "ipProtocol" | "fromPort" | "toPort"> =
    rule.protocol === "all"
      ? { ipProtocol: "-1" }
      : { ipProtocol: rule.protocol, fromPort: rule.port, toPort: rule.toPort ?? rule.port };
  return { securityGroupId, ...ports, ...target, description: rule.description };
}

// EC2's allowed characters for security group and rule descriptions.
const EC2_DESCRIPTION = /^[A-Za-z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

export const isPort = (p: unknown): p is number => isIntegerIn(p, 0, 65535);

/** The peer's fields by kind; every rule also takes `from` or `to`, its ports and description. */
const PEER_FIELDS: Record<string, readonly string[]> = {
  cidr: ["cidr"],
  podSecurityGroup: ["securityGroupId", "group"],
  securityGroup: ["securityGroupId", "group"],
  prefixList: ["prefixListId"],
  self: [],
};
const PEER_KINDS = Object.keys(PEER_FIELDS);

/** Problems with one rule, keyed under `key` (`ingress[0]`). */
export function ruleProblems(key: string, rule: PodSgRule): string[] {
  if (!isRecord(rule)) {
    const fix = "give a map such as { to: cidr, cidr: 10.0.0.0/16, protocol: tcp, port: 443 }";
    return [problem(key, "not a rule", rule, fix)];
  }
  const r: PeerFields = peerOf(rule);
  const kind = peerKind(rule);
  const known = [
    "from" in rule ? "from" : "to",
    // An unknown peer is its own problem: any peer's fields may stand beside it.
    ...(PEER_FIELDS[kind] ?? Object.values(PEER_FIELDS).flat()),
    "protocol",
    "port",
    "toPort",
    "description",
  ];
  const sgKind = kind === "securityGroup" || kind === "podSecurityGroup";
  const hasPorts = rule.protocol === "tcp" || rule.protocol === "udp";
  const port: unknown = "port" in rule ? rule.port : undefined;
  const toPort: unknown = "toPort" in rule ? rule.toPort : undefined;
  const hostBits = kind === "cidr" ? hostBitsProblems(r.cidr, `${key}.cidr`) : [];
  // [is wrong, field, what is wrong, value, what is valid]
  const checks: [boolean, string, string, unknown, string][] = [
    [!PEER_KINDS.includes(kind), "", "unknown peer", kind, `use one of ${PEER_KINDS.join(", ")}`],
    [
      kind === "cidr" &&
        hostBits.length === 0 &&
        !(typeof r.cidr === "string" && isNetworkCidr(r.cidr)),
      "cidr",
      "not a network CIDR",
      r.cidr,
      "use a network address such as 10.0.0.0/16 or 2600:1f14::/56",
    ],
    [
      sgKind && r.securityGroupId === undefined && r.group === undefined,
      "securityGroupId",
      "missing",
      undefined,
      "give the security group's id, or (in WorkloadAccess) a sibling as group",
    ],
    [
      sgKind &&
        typeof r.securityGroupId === "string" &&
        !/^sg-[0-9a-f]{8,17}$/.test(r.securityGroupId),
      "securityGroupId",
      "not a security group id",
      r.securityGroupId,
      "use an id such as sg-0123456789abcdef0",
    ],
    [
      kind === "prefixList" &&
        typeof r.prefixListId === "string" &&
        !/^pl-[0-9a-f]{8,17}$/.test(r.prefixListId),
      "prefixListId",
      "not a prefix list id",
      r.prefixListId,
      "use an id such as pl-63a5400a",
    ],
    [
      !hasPorts && rule.protocol !== "all",
      "protocol",
      "unknown protocol",
      rule.protocol,
      "use tcp, udp or all",
    ],
    [hasPorts && !isPort(port), "port", "not a port", port, "use an integer from 0 to 65535"],
    [
      hasPorts && isPort(port) && toPort !== undefined && !(isPort(toPort) && toPort >= port),
      "toPort",
      "not a port at or above port",
      toPort,
      `use an integer from ${String(port)} to 65535`,
    ],
    [
      rule.description !== undefined &&
        !(typeof rule.description === "string" && EC2_DESCRIPTION.test(rule.description)),
      "description",
      "not a valid EC2 rule description",
      rule.description,
      "use at most 255 of a-z A-Z 0-9 . _-:/()#,@[]+=&;{}!$* and space",
    ],
  ];
  return [
    ...unknownFieldProblems(rule, known, key),
    ...hostBits,
    ...checks
      .filter(([wrong]) => wrong)
      .map(([, field, what, got, valid]) =>
        problem(field ? `${key}.${field}` : key, what, got, valid),
      ),
  ];
}

/**
 * A rule's name, from what it allows, never its position (`tcp-3306-sg-0a1b…`, `udp-53-self`), so
 * removing one spares the rest. A content edit is a new rule created before the old is deleted
 * (EC2 accepts: they differ). An Output peer is named by its sibling `group`, else description,
 * else kind (`tcp-8443-podsecuritygroup`); `ruleKeyProblems` asks for descriptions if ambiguous.
 */
export function ruleKey(rule: PodSgRule): string {
  const peer = peerOf(rule);
  const kind = peerKind(rule);
  const id = (v: unknown) => (typeof v === "string" ? v : undefined);
  const target = (() => {
    switch (kind) {
      case "cidr":
        return id(peer.cidr) && `cidr-${peer.cidr}`;
      case "self":
        return "self";
      case "prefixList":
        return id(peer.prefixListId) ?? `${kind}-${rule.description ?? ""}`;
      default:
        return peer.group ?? id(peer.securityGroupId) ?? `${kind}-${rule.description ?? ""}`;
    }
  })();
  const ports =
    rule.protocol === "all"
      ? "all"
      : `${rule.protocol}-${rule.port}${rule.toPort !== undefined && rule.toPort !== rule.port ? `-${rule.toPort}` : ""}`;
  return `${ports}-${target}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/-+$/, "");
}

/** Rules named alike, keyed `<at>[<index>]`: a rule twice, or Output peers without descriptions. */
export function ruleKeyProblems(rules: readonly PodSgRule[], at: string): string[] {
  const keys = rules.map(ruleKey);
  return keys.flatMap((key, i) =>
    problemIf(
      keys.indexOf(key) !== i,
      `${at}[${i}]`,
      "named like an earlier rule (a rule is named by what it allows)",
      key,
      "list each rule once; rules whose peer is known only at deploy time are told apart by their description",
    ),
  );
}

export interface BaselineRule {
  /** Appended to the component name to name the rule resource. */
  suffix: string;
  direction: "ingress" | "egress";
  args: RuleArgs;
}

/**
 * The mesh's ports: a sidecar calls istiod (xDS, certificates) and the trace collector (OTLP), and
 * serves Prometheus outside mutual TLS its merged metrics (15020, the app's too when annotated;
 * `meshConfig.enablePrometheusMerge`) and Envoy's own (15090)
 * (https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging).
 */
export const MESH_PORTS = { istiod: 15012, traceCollector: 4317, metrics: [15020, 15090] } as const;

/**
 * Rules every pod security group needs
 * (https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html): DNS to and
 * from CoreDNS's group (the cluster group, on the nodes), kubelet probe ports in from the nodes,
 * service ports in from the nodes (the Istio gateway and Prometheus run there). In the mesh, the
 * sidecar's calls out to istiod and the collector, which run on the nodes: in `standard` mode,
 * traffic to an address in the VPC leaves through the pod's group
 * (https://docs.aws.amazon.com/eks/latest/userguide/security-groups-pods-deployment.html).
 */
export function baselineRules(b: {
  groupName: string;
  podSecurityGroupId: pulumi.Input<string>;
  clusterSecurityGroupId: pulumi.Input<string>;
  kubeletProbePorts: number[];
  /** TCP ports its pods serve to the nodes' group. @default none */
  servicePorts?: number[];
  /** The pods are meshed: with `tracing`, the sidecar also sends spans. @default none */
  mesh?: { tracing?: boolean };
}): BaselineRule[] {
  const rule = (
    suffix: string,
    direction: "ingress" | "egress",
    [securityGroupId, referencedSecurityGroupId]: pulumi.Input<string>[],
    ipProtocol: "tcp" | "udp",
    port: number,
    description: string,
  ): BaselineRule => ({
    suffix,
    direction,
    args: {
      securityGroupId,
      referencedSecurityGroupId,
      ipProtocol,
      fromPort: port,
      toPort: port,
      description,
    },
  });
  const [pod, cluster] = [b.podSecurityGroupId, b.clusterSecurityGroupId];
  // A call out to the nodes, with its mirror on the cluster group, which admits only itself.
  const call = (to: string, p: "tcp" | "udp", port: number, out: string, back: string) => [
    rule(`${to}-egress`, "egress", [pod, cluster], p, port, out),
    rule(`${to}-cluster-ingress`, "ingress", [cluster, pod], p, port, back),
  ];
  const meshCall = (to: string, port: number, what: string) =>
    call(to, "tcp", port, `${what} on the nodes`, `${what} from ${b.groupName}`);
  const fromNodes = (prefix: string, ports: readonly number[], what: string) =>
    ports.map((port) => rule(`${prefix}-${port}`, "ingress", [pod, cluster], "tcp", port, what));
  return [
    ...(["tcp", "udp"] as const).flatMap((p) =>
      call(`dns-${p}`, p, 53, `DNS (${p}) to CoreDNS`, `DNS (${p}) from ${b.groupName}`),
    ),
    ...fromNodes("kubelet", b.kubeletProbePorts, "kubelet probes"),
    ...fromNodes("service", b.servicePorts ?? [], "service port from the nodes"),
    ...(b.mesh ? meshCall("istiod", MESH_PORTS.istiod, "istiod (xDS, certificates)") : []),
    ...fromNodes("sidecar-metrics", b.mesh ? MESH_PORTS.metrics : [], "sidecar metrics"),
    ...(b.mesh?.tracing
      ? meshCall("trace-collector", MESH_PORTS.traceCollector, "sidecar spans (OTLP)")
      : []),
  ];
}
