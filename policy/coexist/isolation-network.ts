// The isolation matrix's network resources: ALB controller load balancers, security groups,
// subnets, Route 53 names.
import { list, str, strings } from "../values";
import { valueAt } from "../../components/addons/values";
import { ClusterResource, hex, ResourceKind, stringMap, Where } from "./isolation-resources";
import { CHART, CoexistStack, ofType, releases, valuesOf } from "./records";

/** The VPC as AWS names it in `ec2:Vpc`, written here, not taken from the policies under test. */
const vpcContext = (w: Where) => ({
  "ec2:Vpc": `arn:${w.partition}:ec2:${w.region}:${w.account}:vpc/${w.vpcId}`,
});

/**
 * LoadBalancer Services the ALB controller serves (`aws-load-balancer-type: external`, as the
 * controller's Service webhook is off): declared ones, and the Istio gateway chart's.
 */
function loadBalancedServices(s: CoexistStack): string[] {
  const declared = ofType(s.synth, "kubernetes:core/v1:Service").flatMap((r) => {
    const annotations = valueAt(r.inputs.metadata, "annotations");
    const external = valueAt(annotations, "service.beta.kubernetes.io/aws-load-balancer-type");
    if (valueAt(r.inputs.spec, "type") !== "LoadBalancer" || external !== "external") return [];
    const ns = str(valueAt(r.inputs.metadata, "namespace")) ?? "default";
    return [`${ns}/${str(valueAt(r.inputs.metadata, "name")) ?? r.name}`];
  });
  const charted = releases(s.synth, CHART.istioGateway).flatMap((r) =>
    valueAt(valuesOf(r), "service", "type") === "LoadBalancer"
      ? [`${str(r.inputs.namespace) ?? "default"}/${str(r.inputs.name) ?? r.name}`]
      : [],
  );
  return [...new Set([...declared, ...charted])];
}

/**
 * Per Service: its NLB, target group, listener, frontend and backend security groups, tagged as
 * kubernetes-sigs/aws-load-balancer-controller pkg/deploy/tracking/provider.go does (listeners
 * while ListenerRulesTagging is on, its default), with the chart's `clusterName`.
 */
function loadBalancerResources(s: CoexistStack, w: Where): ClusterResource[] {
  const alb = releases(s.synth, CHART.albController)[0];
  const controllerCluster = alb ? str(valuesOf(alb).clusterName) : undefined;
  if (!controllerCluster) return [];
  const elb = (r: string) =>
    `arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}:${r}`;
  return loadBalancedServices(s).flatMap((service): ClusterResource[] => {
    const stackTags = {
      "elbv2.k8s.aws/cluster": controllerCluster,
      "service.k8s.aws/stack": service,
    };
    const seed = `${w.stack}/${service}`;
    const lbName = `k8s-${hex(seed, 20)}`;
    const lbId = hex(`${seed}/lb`, 16);
    const sg = (what: string, resource: string): ClusterResource => ({
      kind: "security group (load balancer)",
      label: `${what} security group of ${service}`,
      arn: `arn:${w.partition}:ec2:${w.region}:${w.account}:security-group/sg-${hex(`${seed}/${what}`, 17)}`,
      tags: { ...stackTags, "service.k8s.aws/resource": resource },
      context: vpcContext(w),
    });
    return [
      {
        kind: "load balancer",
        label: `NLB of ${service}`,
        arn: elb(`loadbalancer/net/${lbName}/${lbId}`),
        tags: { ...stackTags, "service.k8s.aws/resource": "LoadBalancer" },
      },
      {
        kind: "target group",
        label: `target group of ${service}:443`,
        arn: elb(`targetgroup/k8s-${hex(`${seed}/tg`, 20)}/${hex(`${seed}/tg-id`, 16)}`),
        tags: { ...stackTags, "service.k8s.aws/resource": `${service}:443` },
      },
      {
        kind: "listener",
        label: `listener 443 of ${service}`,
        arn: elb(`listener/net/${lbName}/${lbId}/${hex(`${seed}/listener`, 16)}`),
        tags: stackTags,
      },
      {
        kind: "listener rule",
        label: `rule of listener 443 of ${service}`,
        arn: elb(
          `listener-rule/net/${lbName}/${lbId}/${hex(`${seed}/listener`, 16)}/${hex(`${seed}/rule`, 16)}`,
        ),
        tags: stackTags,
      },
      sg("frontend", "ManagedLBSecurityGroup"),
      sg("backend", "backend-sg"),
    ];
  });
}

/**
 * An Ingress's ALB as a controller before `ListenerRulesTagging` left it: the load balancer
 * tagged, its listener and rule not. WAF and Shield act on the ALB and its protection.
 */
function olderControllerAlb(s: CoexistStack, w: Where): ClusterResource[] {
  const alb = releases(s.synth, CHART.albController)[0];
  const controllerCluster = alb ? str(valuesOf(alb).clusterName) : undefined;
  if (!controllerCluster) return [];
  const seed = `${w.stack}/older-alb`;
  const lb = `app/k8s-${hex(seed, 20)}/${hex(`${seed}/id`, 16)}`;
  const listener = `${lb}/${hex(`${seed}/listener`, 16)}`;
  const elb = (r: string) =>
    `arn:${w.partition}:elasticloadbalancing:${w.region}:${w.account}:${r}`;
  const label = "an Ingress's ALB (older controller)";
  return [
    {
      kind: "application load balancer",
      label,
      arn: elb(`loadbalancer/${lb}`),
      tags: { "elbv2.k8s.aws/cluster": controllerCluster, "ingress.k8s.aws/stack": "game/web" },
    },
    {
      kind: "listener (untagged)",
      label: `listener 443 of ${label}`,
      arn: elb(`listener/${listener}`),
    },
    {
      kind: "listener rule (untagged)",
      label: `rule of listener 443 of ${label}`,
      arn: elb(`listener-rule/${listener}/${hex(`${seed}/rule`, 16)}`),
    },
    {
      kind: "shield protection",
      label: `Shield protection of ${label}`,
      arn: `arn:${w.partition}:shield::${w.account}:protection/${hex(`${seed}/shield`, 36)}`,
    },
  ];
}

/** A pod's ENI as vpc-cni makes it (amazon-vpc-cni-k8s pkg/awsutils: its cluster tag). */
function networkInterfaces(w: Where): ClusterResource[] {
  return [
    {
      kind: "network interface",
      label: "a pod ENI",
      arn: `arn:${w.partition}:ec2:${w.region}:${w.account}:network-interface/eni-${hex(`${w.stack}/eni`, 17)}`,
      tags: { "cluster.k8s.amazonaws.com/name": w.cluster },
      context: vpcContext(w),
    },
  ];
}

/**
 * Groups no controller made: the synth's, and the cluster group EKS creates and tags
 * (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html), plus our aws.ec2.Tags.
 */
function clusterSecurityGroups(s: CoexistStack, w: Where): ClusterResource[] {
  const vpc = vpcContext(w);
  const arn = (seed: string) =>
    `arn:${w.partition}:ec2:${w.region}:${w.account}:security-group/sg-${hex(seed, 17)}`;
  const added = Object.fromEntries(
    ofType(s.synth, "aws:ec2/tag:Tag").flatMap((r) => {
      const k = str(r.inputs.key);
      const v = str(r.inputs.value);
      return k && v !== undefined ? [[k, v]] : [];
    }),
  );
  const eks: ClusterResource = {
    kind: "security group (cluster)",
    label: `EKS cluster security group of ${w.cluster}`,
    arn: arn(`${w.stack}/eks-cluster-sg`),
    tags: {
      "aws:eks:cluster-name": w.cluster,
      [`kubernetes.io/cluster/${w.cluster}`]: "owned",
      ...added,
    },
    context: vpc,
  };
  const made = ofType(s.synth, "aws:ec2/securityGroup:SecurityGroup").map((r): ClusterResource => ({
    kind: "security group (cluster)",
    label: `security group ${str(r.inputs.name) ?? r.name}`,
    arn: arn(`${w.stack}/${r.name}`),
    tags: stringMap(r.inputs.tags),
    context: vpc,
  }));
  return [eks, ...made];
}

/** The zones an ExternalDNS release is limited to (`--zone-id-filter`, list or map form). */
export function configuredZones(values: Record<string, unknown>): string[] {
  const args = values.extraArgs;
  if (Array.isArray(args)) {
    return strings(args).flatMap((a) =>
      a.startsWith("--zone-id-filter=") ? [a.split("=")[1]] : [],
    );
  }
  return strings(valueAt(args, "zone-id-filter"));
}

/** A zone id no configuration names: if a role may change it, it may change any zone. */
export const UNCONFIGURED_ZONE = "Z0COEXISTPROBEZONE";

/**
 * Route 53 names: ExternalDNS's (one per domain filter, plus its TXT record as
 * registry/mapper/mapper.go names it), the same in UNCONFIGURED_ZONE (so `hostedzone/*` fails even
 * when the other stack has none), and the stack's records and hostnames. Lowercase, no final dot
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html).
 */
function recordResources(s: CoexistStack, w: Where): ClusterResource[] {
  const zoneArn = (z: string) => `arn:${w.partition}:route53:::hostedzone/${z}`;
  const out: ClusterResource[] = [];
  const record = (
    kind: ResourceKind,
    zone: string,
    name: string,
    type: string,
  ): ClusterResource => ({
    kind,
    label: `${type} ${name}`,
    arn: zoneArn(zone),
    context: {
      "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
        name.toLowerCase().replace(/\.$/, ""),
      ],
      "route53:ChangeResourceRecordSetsRecordTypes": [type],
    },
  });
  const dns = releases(s.synth, CHART.externalDns);
  for (const r of dns) {
    const v = valuesOf(r);
    const prefix = str(v.txtPrefix) ?? "";
    for (const zone of configuredZones(v)) {
      for (const domain of strings(v.domainFilters)) {
        const name = `svc.${domain}`;
        out.push(record("record (ExternalDNS)", zone, name, "A"));
        const txt = prefix ? `${prefix.replace("%{record_type}", "a")}${name}` : `a-${name}`;
        out.push(record("record (ExternalDNS)", zone, txt, "TXT"));
      }
    }
    // Without domain filters ExternalDNS claims every name: probe the cluster's.
    const domains = strings(v.domainFilters);
    for (const domain of domains.length > 0 ? domains : [w.cluster]) {
      const probe = record("record (unconfigured zone)", UNCONFIGURED_ZONE, `svc.${domain}`, "A");
      out.push({ ...probe, label: `${probe.label} in a zone no stack configures` });
    }
  }
  const zones = [...new Set(dns.flatMap((r) => configuredZones(valuesOf(r))))];
  const owned = ofType(s.synth, "aws:route53/record:Record").map((r) => ({
    zone: str(r.inputs.zoneId) ?? zones[0] ?? "",
    name: str(r.inputs.name) ?? r.name,
    type: str(r.inputs.type) ?? "A",
  }));
  for (const host of s.migration.hostnames) {
    if (!owned.some((o) => o.name === host)) {
      for (const zone of zones) owned.push({ zone, name: host, type: "A" });
    }
  }
  for (const o of owned) if (o.zone) out.push(record("record (stack)", o.zone, o.name, o.type));
  return out;
}

/** The VPC's subnets with the tags of their awsx subnet specs. */
function subnetResources(s: CoexistStack, w: Where): ClusterResource[] {
  return ofType(s.synth, "awsx:ec2:Vpc").flatMap((vpc) =>
    list(vpc.inputs.subnetSpecs).map((spec) => {
      const type = str(valueAt(spec, "type")) ?? "Private";
      return {
        kind: "subnet" as const,
        label: `${type.toLowerCase()} subnet`,
        arn: `arn:${w.partition}:ec2:${w.region}:${w.account}:subnet/subnet-${hex(`${w.stack}/${type}`, 17)}`,
        tags: stringMap(valueAt(spec, "tags")),
        context: vpcContext(w),
      };
    }),
  );
}

export const networkResources = (s: CoexistStack, w: Where): ClusterResource[] => [
  ...loadBalancerResources(s, w),
  ...olderControllerAlb(s, w),
  ...networkInterfaces(w),
  ...clusterSecurityGroups(s, w),
  ...recordResources(s, w),
  ...subnetResources(s, w),
];
