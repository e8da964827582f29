/**
 * The way weights move, not only where they end. Route 53 answers a weighted set whose weights are
 * all 0 as if they were all equal, an even split instead of a stop
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). Two
 * stacks are updated one after the other, and the records one `pulumi up` changes reach Route 53
 * in any order, so every state on the way must keep a weight above 0.
 */
import { MigrationSettings, trafficArgs } from "../../stacks/migration-config";

/** Weight per set identifier, of the records one stack owns. */
export type Weights = Record<string, number>;

/** The weights a stack's records carry: its own (set identifier = cluster name) and its peers'. */
export function ownedWeights(clusterName: string, m: MigrationSettings | undefined): Weights {
  const t = m && trafficArgs(clusterName, m);
  if (!t) return {};
  const weights: Weights = { [clusterName]: t.weight };
  for (const [id, peer] of Object.entries(t.externalPeers ?? {})) weights[id] = peer.weight;
  return weights;
}

const total = (w: Weights) => Object.values(w).reduce((s, x) => s + x, 0);

/**
 * The order to update the stacks in: the one whose weights go up first, so the set gains traffic
 * before it loses any; stacks whose weights do not rise keep the order given.
 */
export function deployOrder(
  stacks: string[],
  before: Record<string, Weights>,
  after: Record<string, Weights>,
): string[] {
  const rise = (s: string) => total(after[s] ?? {}) - total(before[s] ?? {});
  return [...stacks.filter((s) => rise(s) > 0), ...stacks.filter((s) => rise(s) <= 0)];
}

/** Every non-empty subset of a list (a stack's changed records applied in any order). */
const subsets = <T>(xs: T[]): T[][] =>
  xs.reduce<T[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);

/**
 * Every state the set passes through when the stacks are updated in `order`: each earlier stack
 * fully applied, the current one partly (any subset of its changed records), later ones not yet.
 * Records absent from a state (a stack without hostnames) are not in the set.
 */
export function weightStates(
  order: string[],
  before: Record<string, Weights>,
  after: Record<string, Weights>,
): Weights[] {
  const states: Weights[] = [];
  order.forEach((stack, k) => {
    const base: Weights = {};
    order.forEach((s, i) => Object.assign(base, i < k ? (after[s] ?? {}) : (before[s] ?? {})));
    const from = before[stack] ?? {};
    const to = after[stack] ?? {};
    const changed = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter(
      (id) => from[id] !== to[id],
    );
    for (const applied of subsets(changed)) {
      const state = { ...base };
      for (const id of applied) {
        if (id in to) state[id] = to[id];
        else delete state[id];
      }
      states.push(state);
    }
  });
  if (order.length === 0) return [];
  const end: Weights = {};
  for (const s of order) Object.assign(end, after[s] ?? {});
  states.push(end);
  return states;
}

/** The states with records whose weights are all 0, each rendered `id=0, id=0`, deduplicated. */
export function zeroStates(states: Weights[]): string[] {
  const render = (w: Weights) =>
    Object.keys(w)
      .sort()
      .map((id) => `${id}=${w[id]}`)
      .join(", ");
  return [
    ...new Set(
      states.filter((w) => Object.keys(w).length > 0 && total(w) === 0).map((w) => render(w)),
    ),
  ];
}
