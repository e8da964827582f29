/**
 * The network side of a stack for the isolation matrix: the load balancers the ALB controller
 * makes, security groups, subnets, and Route 53 names.
 */
import { get, list, str, strings } from "../values";
import { configuredZones } from "./iam-scope";
import { ClusterResource, hex, ResourceKind, stringMap, Where } from "./isolation-resources";
import { CHART, CoexistStack, ofType, releases, valuesOf } from "./records";

/**
 * The LoadBalancer Services the ALB controller serves (`service.beta.kubernetes.io/aws-load-balancer-type:
 * external`, which our gateway uses since the controller's Service webhook is off): a Service the
 * stack declares itself, or the Istio gateway chart's own when its `service.type` is LoadBalancer.
 */
function loadBalancedServices(s: CoexistStack): string[] {
  const declared = ofType(s.synth, "kubernetes:core/v1:Service").flatMap((r) => {
    const annotations = get(r.inputs.metadata, "annotations");
    const external = get(annotations, "service.beta.kubernetes.io/aws-load-balancer-type");
    if (get(r.inputs.spec, "type") !== "LoadBalancer" || external !== "external") return [];
    const ns = str(get(r.inputs.metadata, "namespace")) ?? "default";
    return [`${ns}/${str(get(r.inputs.metadata, "name")) ?? r.name}`];
  });
  const charted = releases(s.synth, CHART.istioGateway).flatMap((r) =>
    get(valuesOf(r), "service", "type") === "LoadBalancer"
      ? [`${str(r.inputs.namespace) ?? "default"}/${str(r.inputs.name) ?? r.name}`]
      : [],
  );
  return [...new Set([...declared, ...charted])];
}

/**
 * For each such Service, the NLB the controller makes, its target group and listener, and the two
 * security groups it makes for an NLB (frontend, and the shared backend one).
 * kubernetes-sigs/aws-load-balancer-controller pkg/deploy/tracking/provider.go: every AWS resource
 * gets `elbv2.k8s.aws/cluster: <--cluster-name>` and, for a Service, `service.k8s.aws/stack:
 * <namespace>/<name>` and `service.k8s.aws/resource`; listeners too while ListenerRulesTagging is
 * on (its default). The cluster name is the chart's `clusterName` value, read from the synth.
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
      context: { "ec2:Vpc": `arn:${w.partition}:ec2:${w.region}:${w.account}:vpc/${w.vpcId}` },
    });
    return [
      {
        kind: "load balancer",
        label: `NLB of ${service}`,
        arn: elb(`loadbalancer/net/${lbName}/${lbId}`),
        tags: { ...stackTags, "service.k8s.aws/resource": "LoadBalancer" },
        context: {},
      },
      {
        kind: "target group",
        label: `target group of ${service}:443`,
        arn: elb(`targetgroup/k8s-${hex(`${seed}/tg`, 20)}/${hex(`${seed}/tg-id`, 16)}`),
        tags: { ...stackTags, "service.k8s.aws/resource": `${service}:443` },
        context: {},
      },
      {
        kind: "listener",
        label: `listener 443 of ${service}`,
        arn: elb(`listener/net/${lbName}/${lbId}/${hex(`${seed}/listener`, 16)}`),
        tags: stackTags,
        context: {},
      },
      sg("frontend", "ManagedLBSecurityGroup"),
      sg("backend", "backend-sg"),
    ];
  });
}

/**
 * Security groups in the cluster's VPC that the controllers did not make: the ones the synth
 * creates (with their tags), and the cluster security group EKS creates, tagged `aws:eks:cluster-name`
 * and `kubernetes.io/cluster/<name>: owned` (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html),
 * plus `karpenter.sh/discovery` when the stack adds it (components/cluster/cluster.ts, an aws.ec2.Tag).
 */
function clusterSecurityGroups(s: CoexistStack, w: Where): ClusterResource[] {
  const vpc = { "ec2:Vpc": `arn:${w.partition}:ec2:${w.region}:${w.account}:vpc/${w.vpcId}` };
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

/**
 * Route 53 names: those the stack's ExternalDNS manages (a name under each of its domain filters,
 * and the TXT registry record it writes beside it, `txtPrefix` with `%{record_type}` filled in as
 * registry/mapper/mapper.go does), and the stack's own record sets (aws:route53/record:Record) and
 * shared hostnames, which the stack owns. The names are lowercase without the final dot, as
 * `route53:ChangeResourceRecordSetsNormalizedRecordNames` holds them
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
    tags: {},
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

/**
 * The VPC's subnets with the tags the Network component gives them (the awsx subnet specs in the
 * synth: `kubernetes.io/role/elb`, the cluster tag, `karpenter.sh/discovery` when chosen).
 */
function subnetResources(s: CoexistStack, w: Where): ClusterResource[] {
  return ofType(s.synth, "awsx:ec2:Vpc").flatMap((vpc) =>
    list(vpc.inputs.subnetSpecs).map((spec) => {
      const type = str(get(spec, "type")) ?? "Private";
      return {
        kind: "subnet" as const,
        label: `${type.toLowerCase()} subnet`,
        arn: `arn:${w.partition}:ec2:${w.region}:${w.account}:subnet/subnet-${hex(`${w.stack}/${type}`, 17)}`,
        tags: stringMap(get(spec, "tags")),
        context: { "ec2:Vpc": `arn:${w.partition}:ec2:${w.region}:${w.account}:vpc/${w.vpcId}` },
      };
    }),
  );
}

/** Every network resource of the stack the matrix probes. */
export const networkResources = (s: CoexistStack, w: Where): ClusterResource[] => [
  ...loadBalancerResources(s, w),
  ...clusterSecurityGroups(s, w),
  ...recordResources(s, w),
  ...subnetResources(s, w),
];
