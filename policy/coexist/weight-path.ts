// Route 53 treats all-zero weights as all equal, an even split instead of a stop
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html). Stacks
// update one after the other, records in any order: every state on the way keeps a weight above 0.
import { MigrationSettings, trafficArgs } from "../../stacks/migration-config";

/** Weight per set identifier. */
export type Weights = Record<string, number>;

/** Its own (set identifier = cluster name) and its peers'. */
export function ownedWeights(clusterName: string, m: MigrationSettings | undefined): Weights {
  const t = m && trafficArgs(clusterName, m);
  if (!t) return {};
  const weights: Weights = { [clusterName]: t.weight };
  for (const [id, peer] of Object.entries(t.externalPeers ?? {})) weights[id] = peer.weight;
  return weights;
}

const total = (w: Weights) => Object.values(w).reduce((s, x) => s + x, 0);

/** Stacks whose weights rise go first, so the set gains traffic before it loses any. */
export function deployOrder(
  stacks: string[],
  before: Record<string, Weights>,
  after: Record<string, Weights>,
): string[] {
  const rise = (s: string) => total(after[s] ?? {}) - total(before[s] ?? {});
  return [...stacks.filter((s) => rise(s) > 0), ...stacks.filter((s) => rise(s) <= 0)];
}

/** Every subset, the empty one first. */
const subsets = <T>(xs: T[]): T[][] =>
  xs.reduce<T[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);

/** Every state on the way: earlier stacks applied, the current one partly, later ones not yet. */
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

/** All-zero states, rendered `id=0, id=0`, deduplicated. */
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
