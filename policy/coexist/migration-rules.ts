/**
 * The coexistence rules about the move itself: the weighted records that shift traffic, the
 * weights, and the singletons that must run in exactly one cluster.
 */
import { get, isObj, str, strings } from "../values";
import { SINGLETON_TAG, weightedRecordAnnotations } from "../../stacks/migration-config";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  directed,
  Finding,
  gatewayAnnotationsOf,
  Pair,
  recordKey,
  releases,
  valuesOf,
} from "./records";

/** Whether each hostname is under one of ExternalDNS's domain filters (none means every domain). */
const outsideDomainFilters = (hostnames: string[], filters: string[]) =>
  filters.length === 0
    ? []
    : hostnames.filter(
        (h) => !filters.some((f) => h === f || h.endsWith(`.${f.replace(/^\./, "")}`)),
      );

/**
 * Each stack's gateway must publish exactly the weighted record its migration config asks for:
 * the configured hostnames and weight, its own cluster name as set identifier, through an
 * ExternalDNS whose domain filters cover the hostnames. A stack whose `migration:hostnames` is
 * empty publishes nothing, which is how it leaves the weighted set (runbook: "Move DNS").
 */
export function weightedRecordRule(pair: Pair): Finding[] {
  const check = (s: CoexistStack): Finding[] => {
    const { hostnames, weight } = s.migration;
    if (hostnames.length === 0) return [];
    const at = (cell: string, detail: string) =>
      directed(pair, s, { rule: "weighted-record", from: cell, to: "", detail });
    const gateway = gatewayAnnotationsOf(s.synth);
    const findings: Finding[] = [];
    if (!gateway) {
      findings.push(
        at(
          "no Istio gateway release",
          `${s.stack} sets migration:hostnames but has no ingress gateway Service to publish them`,
        ),
      );
    } else {
      const expected = weightedRecordAnnotations(clusterNameOf(s.synth) ?? "", hostnames, weight);
      for (const [k, v] of Object.entries(expected)) {
        if (gateway.annotations[k] === v) continue;
        findings.push(
          at(
            `${gateway.resource} ${k}=${gateway.annotations[k] ?? "(unset)"}`,
            `${s.stack}'s gateway Service annotation ${k} should be "${v}" (from its cluster name and migration config)`,
          ),
        );
      }
    }
    const dns = releases(s.synth, CHART.externalDns);
    if (dns.length === 0) {
      findings.push(
        at(
          "no ExternalDNS release",
          `${s.stack} sets migration:hostnames but has no ExternalDNS to publish them`,
        ),
      );
    }
    for (const r of dns) {
      const outside = outsideDomainFilters(hostnames, strings(valuesOf(r).domainFilters));
      if (outside.length > 0) {
        findings.push(
          at(
            recordKey(r),
            `${outside.join(", ")} not under ${s.stack}'s ExternalDNS domainFilters: never published`,
          ),
        );
      }
    }
    return findings;
  };
  return [...check(pair.a), ...check(pair.b)];
}

/**
 * Route 53 answers a weighted set whose weights are all 0 as if they were all equal, so "0 and 0"
 * splits traffic evenly instead of stopping it.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html
 */
export function weightsZeroRule({ a, b }: Pair): Finding[] {
  if (a.migration.weight + b.migration.weight > 0) return [];
  return [
    {
      rule: "weights-zero",
      a: "migration:weight 0",
      b: "migration:weight 0",
      detail:
        "the weights sum to 0: Route 53 then splits traffic evenly between the clusters; give the cluster that should serve a weight above 0",
    },
  ];
}

export function singletonOwnerRule({ a, b }: Pair): Finding[] {
  const names = [
    ...new Set([...Object.keys(a.migration.singletons), ...Object.keys(b.migration.singletons)]),
  ].sort();
  const describe = (s?: { namespace: string; owned: boolean }) =>
    !s ? "not declared" : `${s.owned ? "owned" : "not owned"} (namespace ${s.namespace})`;
  return names.flatMap((n) => {
    const [sa, sb] = [a.migration.singletons[n], b.migration.singletons[n]];
    const detail =
      !sa || !sb
        ? `singleton ${n} is declared in ${sa ? a.stack : b.stack} only: declare it in both, owned in exactly one`
        : sa.namespace !== sb.namespace
          ? `singleton ${n} has namespace ${sa.namespace} in ${a.stack} and ${sb.namespace} in ${b.stack}`
          : sa.owned && sb.owned
            ? `singleton ${n} is owned by both stacks: it would run twice`
            : !sa.owned && !sb.owned
              ? `singleton ${n} is owned by neither stack: it runs nowhere`
              : undefined;
    return detail
      ? [{ rule: "singleton-owner" as const, a: describe(sa), b: describe(sb), detail }]
      : [];
  });
}

/** Resources tagged for a singleton (SINGLETON_TAG) must exist only in the stack that owns it. */
export function singletonResourcesRule(pair: Pair): Finding[] {
  const strays = (s: CoexistStack) =>
    s.synth.resources.flatMap((r) => {
      const name = str(get(r.inputs, "tags", SINGLETON_TAG));
      if (!name || !isObj(r.inputs.tags) || s.migration.singletons[name]?.owned) return [];
      return [
        directed(pair, s, {
          rule: "singleton-resources",
          from: recordKey(r),
          to: "",
          detail: `${s.stack} does not own singleton ${name} but creates ${recordKey(r)} for it`,
        }),
      ];
    });
  return [...strays(pair.a), ...strays(pair.b)];
}
