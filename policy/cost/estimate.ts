// A stack's monthly cost from its synth, by line item: what the program asks AWS for, priced from
// the vendored table in the stack's region. Reads the synth records only (never the components), so
// a new kind of node group or add-on is priced by what it registers. Pure and deterministic.
import { recordKey } from "../../synth/record";
import { valueAt } from "../../components/addons/values";
import { isObj, list, obj, str, strings } from "../values";
import { CLUSTER_TYPES, isHelm, NODE_GROUP_TYPES } from "../shapes";
import { type PriceTable, type Quote, quote } from "./prices";
import { volumesOf } from "./kubernetes";
import {
  CATEGORIES,
  type CostRecord,
  type Ctx,
  type LineItem,
  num,
  priced,
  same,
  type Sizes,
  times,
} from "./line-items";
import { loadBalancers, natGateways } from "./network";
import { fargate, logGroups } from "./usage";

export { HOURS_PER_MONTH, type LineItem, type Sizes } from "./line-items";

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

/**
 * A control plane: the extended-support price once its minor has left standard support on
 * `asOf` (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html: 14 months of
 * standard support, then 12 of extended support at a higher price per cluster hour).
 */
function controlPlanes(records: readonly CostRecord[], ctx: Ctx): LineItem[] {
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
function nodeVolumes(group: CostRecord, byKey: Map<string, CostRecord>) {
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

function nodeGroups(records: readonly CostRecord[], ctx: Ctx): LineItem[] {
  const byKey = new Map(records.map((r) => [recordKey(r), r]));
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
 * Karpenter's NodePools: it launches their instances at run time, by pending pods, so the synth
 * has neither a count nor a type; the line says so and counts as missing, never as $0.
 */
function nodePools(records: readonly CostRecord[]): LineItem[] {
  return records
    .filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool")
    .map((r) => {
      const limits = obj(valueAt(r.inputs, "spec", "limits"));
      const bounds = Object.entries(limits).map(([k, v]) => `${k} ${String(v)}`);
      return {
        id: `nodepool:${r.name}`,
        category: "Node groups",
        what: `Karpenter NodePool ${str(valueAt(r.inputs, "metadata", "name")) ?? r.name}, ${bounds.length ? `limits ${bounds.join(", ")}` : "no limits"}`,
        quantity: same(0),
        unit: "instance",
        quote: { missing: "Karpenter picks instances at run time: the synth has no count or type" },
      };
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

/**
 * The estimate of one synth in `region`, priced from `table` on `asOf` (`YYYY-MM-DD`, which only
 * an EKS support window reads: the same synth, table and date give the same estimate).
 */
export function estimate(
  synth: { stack: string; resources: readonly CostRecord[] },
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
    ...nodePools(records),
    ...fargate(records, ctx),
    ...natGateways(records, ctx),
    ...loadBalancers(kube, records, ctx),
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
