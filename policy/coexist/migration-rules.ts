// Rules of the move itself: weighted records, their weights, and singletons run in one cluster.
import { isObj, str, strings } from "../values";
import { valueAt } from "../../components/addons/values";
import { conditionValues, statementsIn } from "../iam-documents";
import { SINGLETON_TAG } from "../../components/access/workload-access";
import { trafficArgs } from "../../stacks/migration-config";
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
  type WeightedRecord,
} from "./records";
import { recordKey } from "../../synth/record";
import { deployOrder, ownedWeights, weightStates, zeroStates } from "./weight-path";

/** The domains a hostname is or is below. */
const under = (hostname: string, domains: string[]) =>
  domains.filter((d) => hostname === d || hostname.endsWith(`.${d.replace(/^\./, "")}`));

/**
 * Each stack owns exactly the weighted records its migration config asks for, and its ExternalDNS
 * manages no shared hostname: a controller that also claimed them would fight `pulumi up`.
 */
export function weightedRecordRule(pair: Pair): Finding[] {
  const check = (s: CoexistStack): Finding[] => {
    const findings: Finding[] = [];
    const at = (from: string, message: string) =>
      findings.push(directed(pair, s, { rule: "weighted-record", from, to: "", message }));
    const cluster = clusterNameOf(s.synth) ?? "";
    const t = trafficArgs(cluster, s.migration);
    const have = weightedRecordsOf(s.synth);
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
          const message = `${s.stack} lists ${hostname} in migration:hostnames but owns no weighted record for it with set identifier ${setIdentifier}`;
          at(`no record ${hostname} (${setIdentifier})`, message);
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
          at(
            r.resource,
            `${s.stack}'s record ${hostname} (${setIdentifier}) has ${wrong.join("; ")}`,
          );
        }
      }
    }
    for (const r of have) {
      const message = `${s.stack} owns a weighted record ${r.name} (${r.setIdentifier}) its migration config does not ask for`;
      if (!wanted.has(`${r.name}|${r.setIdentifier}`)) at(r.resource, message);
    }
    for (const release of releases(s.synth, CHART.externalDns)) {
      const filters = strings(valuesOf(release).domainFilters);
      // No filter: every domain of its zones.
      const claimed = (t?.hostnames ?? []).filter(
        (h) => filters.length === 0 || under(h, filters).length > 0,
      );
      const message = `${s.stack}'s ExternalDNS domainFilters (${filters.join(", ") || "none: every domain"}) cover the shared ${claimed.join(", ")}, which the stacks' records own`;
      if (claimed.length > 0) at(recordKey(release), message);
    }
    return findings;
  };
  return [...check(pair.a), ...check(pair.b)];
}

/**
 * One weighted record (zone, name, set identifier), two owners: they overwrite each other instead
 * of sharing the set, and the second create fails. A peer declared in both stacks is this too.
 */
export function setIdentifierRule({ a, b }: Pair): Finding[] {
  const key = (r: { zoneId: string; name: string; setIdentifier: string }) =>
    `${r.zoneId}|${r.name}|${r.setIdentifier}`;
  const inB = new Map(weightedRecordsOf(b.synth).map((r) => [key(r), r]));
  const cell = (r: WeightedRecord) => `${r.resource} set-identifier=${r.setIdentifier}`;
  return weightedRecordsOf(a.synth).flatMap((ra) => {
    const rb = inB.get(key(ra));
    if (!rb) return [];
    const message = `both stacks own ${ra.name}'s weighted record "${ra.setIdentifier}": one record with two owners, not two members of the set`;
    return [{ rule: "set-identifier", subject: cell(ra), other: cell(rb), message }];
  });
}

/**
 * All-zero weights split traffic evenly instead of stopping it
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). Judged
 * at the end and, with both previous configs, on the way, in deploy.yml's order (weight-path.ts).
 */
export function weightsZeroRule({ a, b }: Pair): Finding[] {
  const weightsOf = (s: CoexistStack, m = s.migration) =>
    ownedWeights(clusterNameOf(s.synth) ?? s.stack, m);
  const after = { [a.stack]: weightsOf(a), [b.stack]: weightsOf(b) };
  // Per stack: a set identifier both own is the set-identifier rule's.
  const end = [...Object.values(after[a.stack]), ...Object.values(after[b.stack])];
  const cell = (s: CoexistStack) =>
    Object.entries(after[s.stack])
      .map(([id, w]) => `${id}=${w}`)
      .join(", ") || "no records";
  const [subject, other] = [cell(a), cell(b)];
  if (end.length > 0 && end.every((w) => w === 0)) {
    const message =
      "the weights sum to 0: Route 53 then splits traffic evenly between the clusters; give the cluster that should serve a weight above 0";
    return [{ rule: "weights-zero", subject, other, message }];
  }
  if (!a.before || !b.before) return [];
  const before = { [a.stack]: weightsOf(a, a.before), [b.stack]: weightsOf(b, b.before) };
  const order = deployOrder([b.stack, a.stack], before, after);
  return zeroStates(weightStates(order, before, after)).map((state) => {
    const message = `updating ${order.join(" then ")} passes through ${state}, an even split: raise the serving side in one change and lower the other in the next`;
    return { rule: "weights-zero", subject, other, message };
  });
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
    const [subject, other] = [describe(sa), describe(sb)];
    return detail ? [{ rule: "singleton-owner", subject, other, message: detail }] : [];
  });
}

/**
 * Clusters a Pod Identity trust admits by the session tag `aws:RequestTag/eks-cluster-name`
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html); undefined for other roles.
 */
function podIdentityTrustClusters(assumeRolePolicy: unknown): string[] | undefined {
  const podIdentity = statementsIn({ assumeRolePolicy }).filter(
    ({ s }) => valueAt(s, "Principal", "Service") === "pods.eks.amazonaws.com",
  );
  if (podIdentity.length === 0) return undefined;
  return podIdentity.flatMap(({ s }) => {
    const v = conditionValues(s, ["StringEquals"], "aws:RequestTag/eks-cluster-name");
    return v?.length ? v : ["*"];
  });
}

/**
 * Resources tagged for a singleton exist only in its owner, whose Pod Identity role admits only
 * its own cluster: an open trust would let the other cluster's association run it too.
 */
export function singletonResourcesRule(pair: Pair): Finding[] {
  const strays = (s: CoexistStack) =>
    s.synth.resources.flatMap((r) => {
      const stray = (message: string) => [
        directed(pair, s, { rule: "singleton-resources", from: recordKey(r), to: "", message }),
      ];
      const name = str(valueAt(r.inputs, "tags", SINGLETON_TAG));
      const cluster = clusterNameOf(s.synth) ?? s.stack;
      const trusted = podIdentityTrustClusters(r.inputs.assumeRolePolicy);
      if (
        name &&
        s.migration.singletons[name]?.owned &&
        trusted &&
        (trusted.length !== 1 || trusted[0] !== cluster)
      ) {
        return stray(
          `${s.stack}'s Pod Identity role for singleton ${name} admits eks-cluster-name ${trusted.join(", ")}, not only ${cluster}`,
        );
      }
      if (!name || !isObj(r.inputs.tags) || s.migration.singletons[name]?.owned) return [];
      return stray(`${s.stack} does not own singleton ${name} but creates ${recordKey(r)} for it`);
    });
  return [...strays(pair.a), ...strays(pair.b)];
}
