// The line item, the unit of an estimate, and what every estimator shares: the sizes, the lookup
// of prices, and how a found price becomes a monthly cost.
import type { ResourceView, SynthRecord } from "../../synth/record";
import type { PriceTable, Quote } from "./prices";

/** What the estimate reads of a synth record: a synth file's, or a synth's in memory. */
export type CostRecord = ResourceView & Partial<Pick<SynthRecord, "dependsOn" | "read">>;

/** AWS prices a month as 730 hours (24 × 365 / 12), as its pricing calculator does. */
export const HOURS_PER_MONTH = 730;

/** A count or a cost at a node group's minimum, desired and maximum size. */
export interface Sizes {
  min: number;
  desired: number;
  max: number;
}

/** Line items in this order, as the estimate lists them. */
export const CATEGORIES = [
  "EKS control plane",
  "Node groups",
  "Fargate",
  "NAT gateways",
  "Load balancers",
  "EBS",
  "Log retention",
] as const;
type Category = (typeof CATEGORIES)[number];

export interface LineItem {
  /** Stable across synths of a stack: base and head items are matched by it. */
  id: string;
  category: Category;
  /** What is bought, in a few words. */
  what: string;
  /** How many units at min, desired and max. */
  quantity: Sizes;
  /** The unit counted: `cluster`, `m7i.large`, `GiB`. */
  unit: string;
  quote: Quote;
  /** The monthly cost; none where the price is missing or the item is priced by use. */
  monthly?: Sizes;
  /** Priced by use the synth cannot know (GB processed, pod hours): how, never in the total. */
  usage?: string;
}

/** What an estimator reads prices through. */
export interface Ctx {
  quote: (key: string) => Quote;
  table: PriceTable;
  asOf?: string;
}

/** A finite number, or undefined. */
export const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

export const same = (n: number): Sizes => ({ min: n, desired: n, max: n });
export const times = (s: Sizes, f: number): Sizes => ({
  min: s.min * f,
  desired: s.desired * f,
  max: s.max * f,
});

/** A fixed line: its monthly cost where the price was found (hourly prices × 730). */
export function priced(item: Omit<LineItem, "monthly">): LineItem {
  if (!("price" in item.quote) || item.usage) return item;
  const perMonth = item.quote.price.unit === "hour" ? HOURS_PER_MONTH : 1;
  return { ...item, monthly: times(item.quantity, item.quote.price.usd * perMonth) };
}
