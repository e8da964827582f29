/**
 * The coexistence rules about the move itself: the weighted records that shift traffic, the
 * weights, and the singletons that must run in exactly one cluster.
 */
import { get, isObj, str, strings } from "../values";
import { SINGLETON_TAG, trafficArgs } from "../../stacks/migration-config";
import { weightedRecordSpec } from "../../components/traffic/weighted-records";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  directed,
  Finding,
  Pair,
  releases,
  valuesOf,
  weightedRecordsOf,
} from "./records";
import { recordKey } from "../../synth/record";
import { deployOrder, ownedWeights, weightStates, zeroStates } from "./weight-path";

/** Whether a hostname is one of the domains or below it. */
const under = (hostname: string, domains: string[]) =>
  domains.filter((d) => hostname === d || hostname.endsWith(`.${d.replace(/^\./, "")}`));

/**
 * Each stack owns exactly the weighted records its migration config asks for: per hostname, one
 * with its cluster name as set identifier and its weight, aliased to its gateway's load balancer
 * with target health evaluated, and one per external peer; and none for a hostname it no longer
 * lists. Its ExternalDNS must not manage a shared hostname: the records are the stacks', and a
 * controller that also claimed them would fight `pulumi up`.
 */
export function weightedRecordRule(pair: Pair): Finding[] {
  const check = (s: CoexistStack): Finding[] => {
    const at = (cell: string, detail: string) =>
      directed(pair, s, { rule: "weighted-record", from: cell, to: "", message: detail });
    const cluster = clusterNameOf(s.synth) ?? "";
    const t = trafficArgs(cluster, s.migration);
    const have = weightedRecordsOf(s.synth);
    const findings: Finding[] = [];
    const wanted = new Set<string>();
    for (const hostname of t?.hostnames ?? []) {
      const members: [string, number, boolean][] = [
        [cluster, t!.weight, true],
        ...Object.entries(t!.externalPeers ?? {}).map(([id, p]): [string, number, boolean] => [
          id,
          p.weight,
          p.alias.evaluateTargetHealth ?? true,
        ]),
      ];
      for (const [setIdentifier, weight, health] of members) {
        wanted.add(`${hostname}|${setIdentifier}`);
        const r = have.find((x) => x.name === hostname && x.setIdentifier === setIdentifier);
        const spec = weightedRecordSpec(t!.zoneId, hostname, setIdentifier, weight, {
          name: "",
          zoneId: "",
          evaluateTargetHealth: health,
        });
        if (!r) {
          findings.push(
            at(
              `no record ${hostname} (${setIdentifier})`,
              `${s.stack} lists ${hostname} in migration:hostnames but owns no weighted record for it with set identifier ${setIdentifier}`,
            ),
          );
          continue;
        }
        const wrong = [
          r.zoneId !== spec.zoneId && `zone ${r.zoneId || "(unset)"}, not ${spec.zoneId}`,
          r.type !== spec.type && `type ${r.type || "(unset)"}, not ${spec.type}`,
          r.weight !== weight && `weight ${r.weight ?? "(unset)"}, not ${weight}`,
          !r.alias?.name && "no alias target",
          r.alias?.evaluateTargetHealth !== health &&
            `evaluateTargetHealth ${String(r.alias?.evaluateTargetHealth)}, not ${health}`,
        ].filter((x): x is string => typeof x === "string");
        if (wrong.length > 0) {
          findings.push(
            at(
              r.resource,
              `${s.stack}'s record ${hostname} (${setIdentifier}) has ${wrong.join("; ")}`,
            ),
          );
        }
      }
    }
    for (const r of have) {
      if (wanted.has(`${r.name}|${r.setIdentifier}`)) continue;
      findings.push(
        at(
          r.resource,
          `${s.stack} owns a weighted record ${r.name} (${r.setIdentifier}) its migration config does not ask for`,
        ),
      );
    }
    for (const release of releases(s.synth, CHART.externalDns)) {
      const filters = strings(valuesOf(release).domainFilters);
      // No filter means every domain of its zones, the shared hostnames included.
      const claimed = (t?.hostnames ?? []).filter(
        (h) => filters.length === 0 || under(h, filters).length > 0,
      );
      if (claimed.length > 0) {
        findings.push(
          at(
            recordKey(release),
            `${s.stack}'s ExternalDNS domainFilters (${filters.join(", ") || "none: every domain"}) cover the shared ${claimed.join(", ")}, which the stacks' records own`,
          ),
        );
      }
    }
    return findings;
  };
  return [...check(pair.a), ...check(pair.b)];
}

/**
 * One weighted record, two owners: the stacks would overwrite each other's record (same zone,
 * name and set identifier) instead of sharing the set, and the second `pulumi up` to create it
 * fails. A peer declared in both stacks is this too.
 */
export function setIdentifierRule({ a, b }: Pair): Finding[] {
  const key = (r: { zoneId: string; name: string; setIdentifier: string }) =>
    `${r.zoneId}|${r.name}|${r.setIdentifier}`;
  const inB = new Map(weightedRecordsOf(b.synth).map((r) => [key(r), r]));
  return weightedRecordsOf(a.synth).flatMap((ra) => {
    const rb = inB.get(key(ra));
    if (!rb) return [];
    return [
      {
        rule: "set-identifier" as const,
        subject: `${ra.resource} set-identifier=${ra.setIdentifier}`,
        other: `${rb.resource} set-identifier=${rb.setIdentifier}`,
        message: `both stacks own ${ra.name}'s weighted record "${ra.setIdentifier}": one record with two owners, not two members of the set`,
      },
    ];
  });
}

/**
 * Route 53 answers a weighted set whose weights are all 0 as if they were all equal, so "0 and 0"
 * splits traffic evenly instead of stopping it
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). Judged
 * where the weights end, and, when both stacks' previous config is known, on the way there: the
 * stacks updated in deploy order (the one whose weights rise first, as deploy.yml does) and each
 * stack's records reaching Route 53 in any order.
 */
export function weightsZeroRule({ a, b }: Pair): Finding[] {
  const weightsOf = (s: CoexistStack, m = s.migration) =>
    ownedWeights(clusterNameOf(s.synth) ?? s.stack, m);
  const after = { [a.stack]: weightsOf(a), [b.stack]: weightsOf(b) };
  // Listed per stack: a set identifier both stacks own is the set-identifier rule's finding.
  const end = [...Object.values(after[a.stack]), ...Object.values(after[b.stack])];
  const cell = (s: CoexistStack) =>
    Object.entries(after[s.stack])
      .map(([id, w]) => `${id}=${w}`)
      .join(", ") || "no records";
  if (end.length > 0 && end.every((w) => w === 0)) {
    return [
      {
        rule: "weights-zero",
        subject: cell(a),
        other: cell(b),
        message:
          "the weights sum to 0: Route 53 then splits traffic evenly between the clusters; give the cluster that should serve a weight above 0",
      },
    ];
  }
  if (!a.before || !b.before) return [];
  const before = { [a.stack]: weightsOf(a, a.before), [b.stack]: weightsOf(b, b.before) };
  const order = deployOrder([b.stack, a.stack], before, after);
  const zero = zeroStates(weightStates(order, before, after));
  return zero.map((state) => ({
    rule: "weights-zero" as const,
    subject: cell(a),
    other: cell(b),
    message: `updating ${order.join(" then ")} passes through ${state}, an even split: raise the serving side in one change and lower the other in the next`,
  }));
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
      ? [
          {
            rule: "singleton-owner" as const,
            subject: describe(sa),
            other: describe(sb),
            message: detail,
          },
        ]
      : [];
  });
}

/**
 * The cluster names a Pod Identity trust admits (`aws:RequestTag/eks-cluster-name`, the session
 * tag EKS sets: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html), or undefined
 * when the role is not trusted by `pods.eks.amazonaws.com`; [] when it admits any cluster.
 */
function podIdentityTrustClusters(assumeRolePolicy: unknown): string[] | undefined {
  let doc: unknown;
  try {
    doc = typeof assumeRolePolicy === "string" ? JSON.parse(assumeRolePolicy) : assumeRolePolicy;
  } catch {
    return undefined;
  }
  const statements = (get(doc, "Statement") as unknown[] | undefined) ?? [];
  const podIdentity = statements.filter(
    (st) => get(st, "Principal", "Service") === "pods.eks.amazonaws.com",
  );
  if (podIdentity.length === 0) return undefined;
  return podIdentity.flatMap((st) => {
    const v = get(st, "Condition", "StringEquals", "aws:RequestTag/eks-cluster-name");
    return typeof v === "string" ? [v] : strings(v).length > 0 ? strings(v) : ["*"];
  });
}

/**
 * Resources tagged for a singleton (SINGLETON_TAG) must exist only in the stack that owns it, and
 * a singleton's Pod Identity role there must admit only that stack's cluster: a trust open to any
 * cluster would let the other cluster's association run it too.
 */
export function singletonResourcesRule(pair: Pair): Finding[] {
  const strays = (s: CoexistStack) =>
    s.synth.resources.flatMap((r) => {
      const name = str(get(r.inputs, "tags", SINGLETON_TAG));
      const cluster = clusterNameOf(s.synth) ?? s.stack;
      const trusted = podIdentityTrustClusters(r.inputs.assumeRolePolicy);
      if (
        name &&
        s.migration.singletons[name]?.owned &&
        trusted &&
        (trusted.length !== 1 || trusted[0] !== cluster)
      ) {
        return [
          directed(pair, s, {
            rule: "singleton-resources",
            from: recordKey(r),
            to: "",
            message: `${s.stack}'s Pod Identity role for singleton ${name} admits eks-cluster-name ${trusted.join(", ")}, not only ${cluster}`,
          }),
        ];
      }
      if (!name || !isObj(r.inputs.tags) || s.migration.singletons[name]?.owned) return [];
      return [
        directed(pair, s, {
          rule: "singleton-resources",
          from: recordKey(r),
          to: "",
          message: `${s.stack} does not own singleton ${name} but creates ${recordKey(r)} for it`,
        }),
      ];
    });
  return [...strays(pair.a), ...strays(pair.b)];
}
