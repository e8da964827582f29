// A stack's monthly cost from its synth, by line item: what the program asks AWS for, priced from
// the vendored table in the stack's region. Reads the synth records only (never the components), so
// a new kind of node group or add-on is priced by what it registers. Pure and deterministic.
import { valueAt } from "../../components/addons/values";
import type { SynthRecord } from "../../synth/record";
import { isObj, list, obj, str, strings } from "../values";
import { CLUSTER_TYPES, FARGATE_PROFILE, isHelm, NODE_GROUP_TYPES, VPC } from "../shapes";
import { type PriceTable, type Quote, quote } from "./prices";
import { loadBalancersOf, num, volumesOf } from "./kubernetes";

/** AWS prices a month as 730 hours (24 × 365 / 12), as its pricing calculator does. */
export const HOURS_PER_MONTH = 730;

/** A count or a cost at a node group's minimum, desired and maximum size. */
export interface Sizes {
  min: number;
  desired: number;
  max: number;
}

export type Category =
  | "EKS control plane"
  | "Node groups"
  | "Fargate"
  | "NAT gateways"
  | "Load balancers"
  | "EBS"
  | "Log retention";

/** Line items in this order, as the estimate lists them. */
export const CATEGORIES: readonly Category[] = [
  "EKS control plane",
  "Node groups",
  "Fargate",
  "NAT gateways",
  "Load balancers",
  "EBS",
  "Log retention",
];

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

export interface Estimate {
  stack: string;
  region: string;
  /** The day it was priced for. @default none given: every cluster in standard support */
  asOf?: string;
  items: LineItem[];
  /** The priced items' sum. */
  total: Sizes;
  /** Items not priced for want of a price: the total leaves them out. */
  missing: number;
  /** Every price key the estimate looked up, sorted: what a refresh of the table fetches. */
  priceKeys: string[];
}

const same = (n: number): Sizes => ({ min: n, desired: n, max: n });
const times = (s: Sizes, f: number): Sizes => ({
  min: s.min * f,
  desired: s.desired * f,
  max: s.max * f,
});

/** A fixed line: its monthly cost where the price was found (hourly prices × 730). */
function priced(item: Omit<LineItem, "monthly">): LineItem {
  if (!("price" in item.quote) || item.usage) return item;
  const perMonth = item.quote.price.unit === "hour" ? HOURS_PER_MONTH : 1;
  return { ...item, monthly: times(item.quantity, item.quote.price.usd * perMonth) };
}

/**
 * A control plane: the extended-support price once its minor has left standard support on
 * `asOf` (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html: 14 months of
 * standard support, then 12 of extended support at a higher price per cluster hour).
 */
function controlPlanes(records: readonly SynthRecord[], ctx: Ctx): LineItem[] {
  const clusters = records.filter((r) => (CLUSTER_TYPES as readonly string[]).includes(r.type));
  return clusters.map((r) => {
    const version = str(r.inputs.version);
    const window = version ? ctx.table.eksStandardSupportEnds?.[version] : undefined;
    const source = window && ctx.table.sources[window.source];
    const cite = source ? ` ([${new URL(source.url).host}](${source.url}), ${source.date})` : "";
    const extended = window !== undefined && ctx.asOf !== undefined && ctx.asOf > window.date;
    const support = !window
      ? "standard support (its support window is not in the table)"
      : extended
        ? `extended support since ${window.date}${cite}`
        : `standard support until ${window.date}${cite}`;
    return priced({
      id: `cluster:${r.name}`,
      category: "EKS control plane",
      what: `${str(r.inputs.name) ?? r.name}, Kubernetes ${version ?? "(EKS default)"}, ${support}`,
      quantity: same(1),
      unit: "cluster",
      quote: ctx.quote(extended ? "eks:cluster:extended" : "eks:cluster:standard"),
    });
  });
}

/** Root and data volumes of a group's launch template, GiB and type; EKS's 20 GiB without one. */
function nodeVolumes(group: SynthRecord, byKey: Map<string, SynthRecord>) {
  const template = (group.dependsOn ?? [])
    .map((k) => byKey.get(k))
    .find((r) => r?.type === "aws:ec2/launchTemplate:LaunchTemplate");
  const volumes = list(template?.inputs.blockDeviceMappings).flatMap((m) => {
    const size = num(valueAt(m, "ebs", "volumeSize"));
    return size ? [{ gib: size, type: str(valueAt(m, "ebs", "volumeType")) ?? "gp2" }] : [];
  });
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html: diskSize 20 GiB.
  return volumes.length ? volumes : [{ gib: num(group.inputs.diskSize) ?? 20, type: "gp2" }];
}

function nodeGroups(records: readonly SynthRecord[], ctx: Ctx): LineItem[] {
  const byKey = new Map(records.map((r) => [`${r.type}::${r.name}`, r]));
  return records
    .filter((r) => (NODE_GROUP_TYPES as readonly string[]).includes(r.type))
    .flatMap((r) => {
      const scaling = obj(r.inputs.scalingConfig);
      const count: Sizes = {
        min: num(scaling.minSize) ?? 0,
        desired: num(scaling.desiredSize) ?? num(scaling.minSize) ?? 0,
        max: num(scaling.maxSize) ?? 0,
      };
      const capacity = str(r.inputs.capacityType) ?? "ON_DEMAND";
      const types = strings(r.inputs.instanceTypes);
      const name = str(r.inputs.nodeGroupName) ?? r.name;
      const disks = nodeVolumes(r, byKey);
      return [
        priced({
          id: `nodes:${r.name}`,
          category: "Node groups",
          what: `${name}: ${capacity} ${types.join(" | ") || "(EKS default type)"}`,
          quantity: count,
          unit: "instance",
          quote: instanceQuote(types, capacity, ctx),
        }),
        ...disks.map((d, i) =>
          priced({
            id: `nodes:${r.name}:volume${i}`,
            category: "EBS",
            what: `${name}: ${d.gib} GiB ${d.type} per node`,
            quantity: times(count, d.gib),
            unit: "GiB",
            quote: ctx.quote(`ebs:${d.type}`),
          }),
        ),
      ];
    });
}

/**
 * The price per instance-hour of a group. On-Demand groups launch their first type (EKS managed
 * node groups use the `prioritized` allocation strategy); Spot groups may get any listed type
 * (`price-capacity-optimized`), so the dearest one bounds them. Either needs every price it reads.
 * https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
 */
function instanceQuote(types: string[], capacity: string, ctx: Ctx): Quote {
  if (types.length === 0) return { missing: "no instance types in the synth" };
  const read = capacity === "SPOT" ? types : types.slice(0, 1);
  const quotes = read.map((t) => ctx.quote(`ec2:${capacity}:${t}`));
  const missing = quotes.flatMap((q) => ("missing" in q ? [q.missing] : []));
  if (missing.length) return { missing: missing.join("; ") };
  return quotes.reduce((a, b) =>
    "price" in a && "price" in b && b.price.usd > a.price.usd ? b : a,
  );
}

function fargate(records: readonly SynthRecord[], ctx: Ctx): LineItem[] {
  const memory = ctx.quote("fargate:memory");
  return records
    .filter((r) => r.type === FARGATE_PROFILE)
    .map((r) => ({
      id: `fargate:${r.name}`,
      category: "Fargate",
      what: `profile ${str(r.inputs.fargateProfileName) ?? r.name}`,
      quantity: same(0),
      unit: "vCPU-hour",
      quote: ctx.quote("fargate:vcpu"),
      usage: `per pod: its vCPU-hours, and its GB-hours at ${"price" in memory ? `$${memory.price.usd}/${memory.price.unit}` : `a missing price (${memory.missing})`}`,
    }));
}

function natGateways(records: readonly SynthRecord[], ctx: Ctx): LineItem[] {
  const items: LineItem[] = [];
  for (const r of records.filter((x) => x.type === VPC)) {
    const strategy = str(valueAt(r.inputs, "natGateways", "strategy")) ?? "OnePerAz";
    const zones = num(r.inputs.numberOfAvailabilityZones);
    // awsx's strategies: OnePerAz (the default), Single, None.
    const count = strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
    if (count === 0) continue;
    const what = `${r.name}: ${strategy}${strategy === "OnePerAz" ? `, ${zones ?? "?"} zones` : ""}`;
    items.push(
      count === undefined
        ? {
            id: `nat:${r.name}`,
            category: "NAT gateways",
            what,
            quantity: same(0),
            unit: "NAT gateway",
            quote: { missing: "numberOfAvailabilityZones is not in the synth" },
          }
        : priced({
            id: `nat:${r.name}`,
            category: "NAT gateways",
            what,
            quantity: same(count),
            unit: "NAT gateway",
            quote: ctx.quote("nat:gateway"),
          }),
      {
        id: `nat:${r.name}:processed`,
        category: "NAT gateways",
        what: `${r.name}: data processed`,
        quantity: same(0),
        unit: "GB",
        quote: ctx.quote("nat:processed"),
        usage: "per GB through the gateways, both directions",
      },
    );
  }
  return items;
}

function logGroups(records: readonly SynthRecord[], ctx: Ctx): LineItem[] {
  const [ingested, stored] = [ctx.quote("logs:ingested"), ctx.quote("logs:stored")];
  const daysPerMonth = HOURS_PER_MONTH / 24;
  return records
    .filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")
    .map((r) => {
      const days = num(r.inputs.retentionInDays);
      const ingest =
        "price" in ingested
          ? `$${(daysPerMonth * ingested.price.usd).toFixed(2)} a month to ingest`
          : "ingestion unpriced";
      // At steady state a group holds what it ingested over its retention: days × GB a day.
      const keep =
        "price" in stored
          ? days
            ? `$${(days * stored.price.usd).toFixed(2)} to keep ${days} days ($${stored.price.usd}/GB-month)`
            : "storage that grows every month (never expires)"
          : `storage unpriced (${stored.missing})`;
      return {
        id: `logs:${r.name}`,
        category: "Log retention" as const,
        what: `${str(r.inputs.name) ?? r.name}, ${days ? `${days} days` : "never expires"}`,
        quantity: same(0),
        unit: "GB ingested",
        quote: ingested,
        usage: `each GB ingested a day: ${ingest}, ${keep}`,
      };
    });
}

interface Ctx {
  quote: (key: string) => Quote;
  table: PriceTable;
  asOf?: string;
}

/**
 * The estimate of one synth in `region`, priced from `table` on `asOf` (`YYYY-MM-DD`, which only
 * an EKS support window reads: the same synth, table and date give the same estimate).
 */
export function estimate(
  synth: { stack: string; resources: readonly SynthRecord[] },
  region: string,
  table: PriceTable,
  asOf?: string,
): Estimate {
  const asked = new Set<string>();
  const ctx: Ctx = {
    quote: (key) => {
      asked.add(key);
      return quote(table, key, region);
    },
    table,
    ...(asOf ? { asOf } : {}),
  };
  const records = synth.resources.filter((r) => r.read === undefined && isObj(r.inputs));
  const kube = { records, releases: records.filter(isHelm) };
  const items = [
    ...controlPlanes(records, ctx),
    ...nodeGroups(records, ctx),
    ...fargate(records, ctx),
    ...natGateways(records, ctx),
    ...loadBalancersOf(kube).map((lb) =>
      priced({ ...lb, category: "Load balancers", quote: ctx.quote(`elb:${lb.kind}`) }),
    ),
    ...volumesOf(kube).map((v) => priced({ ...v, category: "EBS", quote: ctx.quote(v.priceKey) })),
    ...logGroups(records, ctx),
  ].sort(
    (a, b) =>
      CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const fixed = items.filter((i) => !i.usage);
  const total = fixed.reduce(
    (t, i) =>
      i.monthly
        ? {
            min: t.min + i.monthly.min,
            desired: t.desired + i.monthly.desired,
            max: t.max + i.monthly.max,
          }
        : t,
    same(0),
  );
  return {
    stack: synth.stack,
    region,
    ...(asOf ? { asOf } : {}),
    items,
    total,
    missing: fixed.filter((i) => !i.monthly).length,
    priceKeys: [...asked].sort(),
  };
}
