// Structural coexistence rules over two stacks' synths and migration settings; what each IAM role
// may reach is the isolation matrix's.
import { list, str, strings } from "../values";
import { valueAt } from "../../components/addons/values";
import { cidrsOverlap } from "../../components/network/cidr";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  directed,
  Finding,
  logGroupsOf,
  Pair,
  PHYSICAL_NAMES,
  managedNodeGroupAsgTags,
  nodeGroupNamesOf,
  ofType,
  releases,
  valuesOf,
  vpcCidrsOf,
} from "./records";
import { recordKey } from "../../synth/record";
import {
  setIdentifierRule,
  singletonOwnerRule,
  singletonResourcesRule,
  weightedRecordRule,
  weightsZeroRule,
} from "./migration-rules";

export function clusterNameRule({ a, b }: Pair): Finding[] {
  const [na, nb] = [clusterNameOf(a.synth), clusterNameOf(b.synth)];
  if (na && nb && na !== nb) return [];
  const detail =
    na && nb
      ? `both stacks name their EKS cluster "${na}", and every physical name derives from it`
      : "a stack has no eks:index:Cluster name, so nothing derived from it can be judged";
  return [{ rule: "cluster-name", subject: na ?? "", other: nb ?? "", message: detail }];
}

export const physicalNameRule = ({ a, b }: Pair): Finding[] =>
  PHYSICAL_NAMES.flatMap(([type, kind, field, iam]) => {
    const norm = (n: string) => (iam ? n.toLowerCase() : n);
    const inB = new Map(
      ofType(b.synth, type).flatMap((r) => strings(r.inputs[field]).map((n) => [norm(n), r])),
    );
    return ofType(a.synth, type).flatMap((ra) =>
      strings(ra.inputs[field]).flatMap((name) => {
        const rb = inB.get(norm(name));
        const message = `both name the ${kind} "${name}"`;
        const subject = recordKey(ra);
        return rb ? [{ rule: "physical-name", subject, other: recordKey(rb), message }] : [];
      }),
    );
  });

/** ExternalDNS's owner id without `--txt-owner-id`. */
const DEFAULT_TXT_OWNER = "default";

export function externalDnsOwnerRule({ a, b }: Pair): Finding[] {
  const owners = (s: CoexistStack) =>
    releases(s.synth, CHART.externalDns).map(
      (r) => str(valuesOf(r).txtOwnerId) || DEFAULT_TXT_OWNER,
    );
  const shared = owners(a).filter((o) => owners(b).includes(o));
  return shared.map((o) => ({
    rule: "external-dns-owner",
    subject: `txtOwnerId "${o}"`,
    other: `txtOwnerId "${o}"`,
    message: `both ExternalDNS instances own records as "${o}": each would rewrite and delete the other's records`,
  }));
}

export function vpcCidrRule({ a, b }: Pair): Finding[] {
  const message = "the VPC CIDRs overlap: the VPCs cannot be peered during the move";
  return vpcCidrsOf(a.synth).flatMap((x) =>
    vpcCidrsOf(b.synth)
      .filter((y) => cidrsOverlap(x.cidr, y.cidr))
      .map((y) => ({ rule: "vpc-cidr", subject: x.cidr, other: y.cidr, message })),
  );
}

/**
 * A cluster-autoscaler release's ASG tag filters (`key` or `key=value`), from `autoDiscovery.tags`
 * as the chart renders them and `extraArgs`.
 * https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#auto-discovery-setup
 */
export function autoscalerDiscoveryFilters(values: Record<string, unknown>): string[][] {
  const clusterName = str(valueAt(values, "autoDiscovery", "clusterName"));
  const filters: string[][] = [];
  if (clusterName) {
    const tags = valueAt(values, "autoDiscovery", "tags");
    const wanted = Array.isArray(tags)
      ? strings(tags)
      : [
          "k8s.io/cluster-autoscaler/enabled",
          "k8s.io/cluster-autoscaler/{{ .Values.autoDiscovery.clusterName }}",
        ];
    filters.push(
      wanted.map((t) =>
        t.replace(/\{\{\s*\.Values\.autoDiscovery\.clusterName\s*\}\}/g, clusterName),
      ),
    );
  }
  for (const arg of strings(valueAt(values, "extraArgs", "node-group-auto-discovery"))) {
    if (arg.startsWith("asg:tag=")) filters.push(arg.slice("asg:tag=".length).split(","));
  }
  return filters;
}

export const filterMatches = (filter: string[], tags: Record<string, string>): boolean =>
  filter.every((t) => {
    const [k, v] = t.split(/=(.*)/s, 2);
    return k in tags && (v === undefined || tags[k] === v);
  });

export function autoscalerDiscoveryRule(pair: Pair): Finding[] {
  const reach = (from: CoexistStack, to: CoexistStack): Finding[] => {
    const toCluster = clusterNameOf(to.synth) ?? "";
    return releases(from.synth, CHART.clusterAutoscaler).flatMap((r) => {
      const values = valuesOf(r);
      const explicit = list(values.autoscalingGroups).flatMap((g) => strings(valueAt(g, "name")));
      return nodeGroupNamesOf(to.synth).flatMap((ng) => {
        const tags = managedNodeGroupAsgTags(toCluster, ng);
        const how: [string, string][] = [
          ...autoscalerDiscoveryFilters(values)
            .filter((f) => filterMatches(f, tags))
            .map((f): [string, string] => [
              `--node-group-auto-discovery=asg:tag=${f.join(",")}`,
              "its Auto Scaling group carries every tag of the filter",
            ]),
          // EKS names a node group's ASG eks-<node group>-<uuid>.
          ...explicit
            .filter((n) => n.startsWith(`eks-${ng}-`))
            .map((n): [string, string] => [
              `autoscalingGroups ${n}`,
              "its Auto Scaling group is listed by name",
            ]),
        ];
        return how.map(([cellText, why]) =>
          directed(pair, from, {
            rule: "autoscaler-discovery",
            from: `${recordKey(r)}: ${cellText}`,
            to: `node group ${ng}`,
            message: `${from.stack}'s cluster-autoscaler discovers ${to.stack}'s node group ${ng} (${why}) and would resize it`,
          }),
        );
      });
    });
  };
  return [...reach(pair.a, pair.b), ...reach(pair.b, pair.a)];
}

export function logGroupRule({ a, b }: Pair): Finding[] {
  const byName = (s: CoexistStack) => {
    const m = new Map<string, string[]>();
    for (const g of logGroupsOf(s.synth)) m.set(g.name, [...(m.get(g.name) ?? []), g.resource]);
    return m;
  };
  const [inA, inB] = [byName(a), byName(b)];
  return [...inA].flatMap(([name, resources]) => {
    const theirs = inB.get(name);
    if (!theirs) return [];
    const [subject, other] = [resources.join(", "), theirs.join(", ")];
    const message = `both stacks use the log group "${name}": one cluster's logs would mix with the other's, and destroying one stack deletes the other's logs`;
    return [{ rule: "log-group", subject, other, message }];
  });
}

/** Per release of the chart; an unset value is undefined. */
const valueIn = (s: CoexistStack, chart: string, path: string[]) =>
  releases(s.synth, chart).map((r) => ({
    resource: recordKey(r),
    value: str(valueAt(valuesOf(r), ...path)),
  }));

function sameValue(
  pair: Pair,
  rule: "metric-label" | "cluster-key",
  chart: string,
  path: string[],
  what: string,
) {
  const inB = valueIn(pair.b, chart, path);
  const cell = (v: { resource: string; value?: string }) =>
    `${v.resource} ${path.join(".")}=${v.value ?? "(unset)"}`;
  return valueIn(pair.a, chart, path).flatMap((x) => {
    const message = `${what} ${x.value ? `is "${x.value}" in both stacks` : "is unset in both stacks"}`;
    return inB
      .filter((y) => (x.value ?? "") === (y.value ?? ""))
      .map((y) => ({ rule, subject: cell(x), other: cell(y), message }));
  });
}

export function metricLabelRule(pair: Pair): Finding[] {
  const path = ["prometheus", "prometheusSpec", "externalLabels", "cluster"];
  return sameValue(pair, "metric-label", CHART.prometheus, path, "the metric label cluster");
}

/** Keys the clusters' controllers must not share: chart, value path, what it is. */
const CLUSTER_KEYS: [string, string[], string][] = [
  [CHART.albController, ["clusterName"], "the ALB controller's clusterName"],
  [CHART.istiod, ["global", "meshID"], "Istio's mesh id"],
  [CHART.istiod, ["global", "multiCluster", "clusterName"], "Istio's cluster id"],
];

export const clusterKeyRule = (pair: Pair): Finding[] =>
  CLUSTER_KEYS.flatMap(([chart, path, what]) => sameValue(pair, "cluster-key", chart, path, what));

/** In the order of RULES. */
export function structuralFindings(a: CoexistStack, b: CoexistStack): Finding[] {
  const pair = { a, b };
  return [
    clusterNameRule,
    physicalNameRule,
    externalDnsOwnerRule,
    vpcCidrRule,
    autoscalerDiscoveryRule,
    logGroupRule,
    metricLabelRule,
    clusterKeyRule,
    setIdentifierRule,
    weightedRecordRule,
    weightsZeroRule,
    singletonOwnerRule,
    singletonResourcesRule,
  ].flatMap((rule) => rule(pair));
}
