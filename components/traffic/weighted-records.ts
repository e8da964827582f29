// Weighted records for hostnames two clusters share: data and checks for TrafficRecords, stack
// config, the coexistence check and the adoption tool.
import { isIntegerIn, problemIf, problemList } from "../problems";

/** Route 53 weights are integers from 0 to 255. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted.html */
export const MAX_WEIGHT = 255;

/** An alias target: a load balancer's DNS name and its canonical hosted zone id. */
export interface AliasTarget {
  /** DNS name, such as `k8s-istioing-….elb.us-west-2.amazonaws.com`. */
  name: string;
  /** The load balancer's canonical hosted zone id (not the zone the record is in). */
  zoneId: string;
  /** Let Route 53 skip this record while its target is unhealthy. @default true */
  evaluateTargetHealth?: boolean;
}

/** A set member no blueprint owns (a migration's old cluster); its replacement owns its records. */
export interface ExternalPeer {
  /** Its share, 0 to 255, in every shared hostname. */
  weight: number;
  /** Where its records point: the old cluster's load balancer. */
  alias: AliasTarget;
}

export interface TrafficArgs {
  /** The Route 53 hosted zone that holds the shared hostnames. */
  zoneId: string;
  /** Hostnames both clusters serve; one weighted record each. */
  hostnames: string[];
  /** This cluster's set identifier: its cluster name, unique per stack. */
  setIdentifier: string;
  /** This cluster's weight, 0 to 255. */
  weight: number;
  /** Members of the set no blueprint stack owns, by set identifier. @default {} */
  externalPeers?: Record<string, ExternalPeer>;
  /**
   * This cluster's records exist outside the state (a controller published them): imported by
   * {@link recordImportId}; once in the state the import is skipped. @default false
   */
  importExisting?: boolean;
}

/** One weighted alias record, as `aws.route53.Record` takes it. */
export interface WeightedRecordSpec {
  zoneId: string;
  name: string;
  /** Alias A: the gateway NLBs are IPv4 (the controller's default address type). */
  type: "A";
  setIdentifier: string;
  weightedRoutingPolicies: [{ weight: number }];
  aliases: [{ name: string; zoneId: string; evaluateTargetHealth: boolean }];
}

export function weightedRecordSpec(
  zoneId: string,
  hostname: string,
  setIdentifier: string,
  weight: number,
  target: AliasTarget,
): WeightedRecordSpec {
  return {
    zoneId,
    name: hostname,
    type: "A",
    setIdentifier,
    weightedRoutingPolicies: [{ weight }],
    aliases: [
      {
        name: target.name,
        zoneId: target.zoneId,
        evaluateTargetHealth: target.evaluateTargetHealth ?? true,
      },
    ],
  };
}

/** Named by content, not position: removing a hostname or peer leaves the others. */
export const weightedRecordName = (component: string, hostname: string, peer?: string) =>
  peer === undefined ? `${component}-${hostname}` : `${component}-${peer}-${hostname}`;

/** A record's `pulumi import` id (@pulumi/aws route53/record.d.ts, "Import"). */
export const recordImportId = (r: Pick<WeightedRecordSpec, "zoneId" | "name" | "setIdentifier">) =>
  `${r.zoneId}_${r.name}_A_${r.setIdentifier}`;

const SET_ID = /^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$/;
export const WEIGHT_HINT = `use an integer from 0 to ${MAX_WEIGHT} (the Route 53 weight range)`;

export const weightProblems = (weight: unknown, at: string): string[] =>
  problemIf(!isIntegerIn(weight, 0, MAX_WEIGHT), at, "not a Route 53 weight", weight, WEIGHT_HINT);

/**
 * Traffic args' problems, keyed `<at>.<field>`. Not all weights 0: Route 53 then splits evenly
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html); the
 * other stack's weight is the coexistence check's.
 */
export function trafficProblems(t: TrafficArgs, at: string): string[] {
  const peers = Object.entries(t.externalPeers ?? {});
  const [p, add] = problemList([
    ...weightProblems(t.weight, `${at}.weight`),
    ...peers.flatMap(([id, peer]) =>
      weightProblems(peer.weight, `${at}.externalPeers.${id}.weight`),
    ),
  ]);
  for (const [id] of peers) {
    if (!SET_ID.test(id)) {
      add(
        `${at}.externalPeers.${id}`,
        "not a set identifier",
        id,
        "use a lowercase name such as legacy",
      );
    } else if (id === t.setIdentifier) {
      add(
        `${at}.externalPeers.${id}`,
        "the same set identifier as this cluster's records",
        id,
        "give the peer its own name: two records with one set identifier are one record",
      );
    }
  }
  if (peers.length > 0 && t.weight + peers.reduce((s, [, peer]) => s + peer.weight, 0) === 0) {
    add(
      `${at}.weight`,
      "0 like every external peer's: Route 53 splits traffic evenly when all weights are 0",
      t.weight,
      "give the side that should serve a weight above 0",
    );
  }
  return p;
}
