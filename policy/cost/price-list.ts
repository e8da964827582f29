// Refreshing the table from AWS itself: which API answers each price key (the Price List API's
// GetProducts, or EC2's DescribeSpotPriceHistory for Spot), and how an answer becomes a price with
// its source. Pure: tools/cost/refresh.ts runs the aws CLI and hands the answers in. A key whose
// answer holds no price, or more than one, keeps its old entry and is reported, never guessed.
import type { Price, PriceSource, PriceTable } from "./prices";

/** A GetProducts query: the service, TERM_MATCH filters, and the price dimension's unit. */
interface ProductsQuery {
  kind: "products";
  serviceCode: string;
  filters: Record<string, string>;
  /** The Price List's unit (`Hrs`, `GB`, `GB-Mo`) and the table's name for it. */
  unit: string;
  tableUnit: string;
}

interface SpotQuery {
  kind: "spot";
  instanceType: string;
}

type PriceQuery = ProductsQuery | SpotQuery;

const products = (
  serviceCode: string,
  filters: Record<string, string>,
  unit: string,
  tableUnit: string,
): ProductsQuery => ({ kind: "products", serviceCode, filters, unit, tableUnit });

// Attribute names and values as the Price List API publishes them (`aws pricing
// get-attribute-values`): https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html
const FIXED: Record<string, ProductsQuery> = {
  "eks:cluster:standard": products("AmazonEKS", { operation: "CreateOperation" }, "Hrs", "hour"),
  "eks:cluster:extended": products("AmazonEKS", { operation: "ExtendedSupport" }, "Hrs", "hour"),
  "nat:gateway": products("AmazonEC2", { productFamily: "NAT Gateway" }, "Hrs", "hour"),
  "nat:processed": products("AmazonEC2", { productFamily: "NAT Gateway" }, "GB", "GB"),
  "elb:nlb": products("AmazonEC2", { productFamily: "Load Balancer-Network" }, "Hrs", "hour"),
  "elb:alb": products("AmazonEC2", { productFamily: "Load Balancer-Application" }, "Hrs", "hour"),
  "elb:clb": products("AmazonEC2", { productFamily: "Load Balancer" }, "Hrs", "hour"),
  "fargate:vcpu": products("AmazonEKS", { cputype: "perCPU" }, "hours", "hour"),
  "fargate:memory": products("AmazonEKS", { memorytype: "perGB" }, "GB-Hours", "GB-hour"),
  "logs:ingested": products("AmazonCloudWatch", { productFamily: "Data Payload" }, "GB", "GB"),
  "vpc:public-ipv4": products("AmazonVPC", { group: "VPCPublicIPv4Address" }, "Hrs", "hour"),
  "logs:stored": products(
    "AmazonCloudWatch",
    { productFamily: "Storage Snapshot" },
    "GB-Mo",
    "GB-month",
  ),
};

/** The query that answers `key`, or undefined for a key no AWS API prices. */
export function queryFor(key: string): PriceQuery | undefined {
  const [service, a, b] = key.split(":");
  if (service === "ec2" && a === "SPOT" && b) return { kind: "spot", instanceType: b };
  if (service === "ec2" && a === "ON_DEMAND" && b)
    return products(
      "AmazonEC2",
      {
        instanceType: b,
        operatingSystem: "Linux",
        tenancy: "Shared",
        preInstalledSw: "NA",
        capacitystatus: "Used",
        licenseModel: "No License required",
      },
      "Hrs",
      "hour",
    );
  if (service === "ebs" && a)
    return products(
      "AmazonEC2",
      { productFamily: "Storage", volumeApiName: a },
      "GB-Mo",
      "GB-month",
    );
  return FIXED[key];
}

/** The aws CLI arguments of a query in `region`; a Spot query asks for the prices at `now`. */
export function cliArgs(q: PriceQuery, region: string, now: string): string[] {
  if (q.kind === "spot")
    return [
      ...["ec2", "describe-spot-price-history", "--region", region],
      ...["--instance-types", q.instanceType, "--product-descriptions", "Linux/UNIX"],
      ...["--start-time", now, "--output", "json"],
    ];
  const filters = Object.entries({ ...q.filters, regionCode: region })
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([field, value]) => `Type=TERM_MATCH,Field=${field},Value=${value}`);
  return [
    ...["pricing", "get-products", "--region", "us-east-1", "--service-code", q.serviceCode],
    ...["--filters", ...filters, "--output", "json"],
  ];
}

/** Where an answer came from, as a URL of the API call a reader can repeat. */
function sourceUrl(q: PriceQuery, region: string): string {
  if (q.kind === "spot")
    return `https://ec2.${region}.amazonaws.com/?Action=DescribeSpotPriceHistory&InstanceType.1=${q.instanceType}&ProductDescription.1=Linux%2FUNIX`;
  const filters = Object.entries({ ...q.filters, regionCode: region })
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([f, v]) => `${encodeURIComponent(f)}=${encodeURIComponent(v)}`);
  return `https://api.pricing.us-east-1.amazonaws.com/?Action=GetProducts&ServiceCode=${q.serviceCode}&${filters.join("&")}`;
}

/** A refreshed price with its source, or why the answer gives none. */
type Refreshed = { price: Price; source: PriceSource; sourceId: string } | { problem: string };

interface OnDemandTerm {
  effectiveDate?: string;
  priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }>;
}

/** The price of `key` in `region` from the answer to {@link queryFor}'s query. */
export function refreshedPrice(key: string, region: string, answer: unknown): Refreshed {
  const q = queryFor(key);
  if (!q) return { problem: `${key}: no AWS API prices it` };
  const found = q.kind === "spot" ? spotPrices(answer) : productPrices(answer, q.unit);
  const values = [...new Set(found.map((f) => f.usd))];
  if (values.length !== 1)
    return {
      problem: `${key} in ${region}: the answer has ${values.length ? `${values.length} prices (${values.sort().join(", ")})` : "no price"}; kept as it was`,
    };
  const date =
    found
      .map((f) => f.date)
      .sort()
      .pop() ?? "";
  const sourceId = `${q.kind === "spot" ? "ec2-spot" : "price-list"}:${key}:${region}`;
  return {
    price: {
      key,
      region,
      usd: values[0],
      unit: q.kind === "spot" ? "hour" : q.tableUnit,
      source: sourceId,
    },
    source: {
      url: sourceUrl(q, region),
      date,
      says:
        q.kind === "spot"
          ? "the dearest of the newest Spot prices of the region's zones (Linux/UNIX)"
          : `the On-Demand price per ${q.unit} (effective ${date})`,
    },
    sourceId,
  };
}

/** GetProducts: `PriceList` is JSON strings, one per product, each with its On-Demand terms. */
function productPrices(answer: unknown, unit: string): { usd: number; date: string }[] {
  const list = (answer as { PriceList?: unknown[] }).PriceList ?? [];
  return list.flatMap((item) => {
    const product = (typeof item === "string" ? JSON.parse(item) : item) as {
      terms?: { OnDemand?: Record<string, OnDemandTerm> };
    };
    return Object.values(product.terms?.OnDemand ?? {}).flatMap((term) =>
      Object.values(term.priceDimensions ?? {})
        .filter((d) => d.unit === unit && Number(d.pricePerUnit?.USD) > 0)
        .map((d) => ({
          usd: Number(d.pricePerUnit?.USD),
          date: (term.effectiveDate ?? "").slice(0, 10),
        })),
    );
  });
}

/** DescribeSpotPriceHistory: the newest price of each zone; the dearest zone bounds the group. */
function spotPrices(answer: unknown): { usd: number; date: string }[] {
  const history =
    (
      answer as {
        SpotPriceHistory?: { AvailabilityZone?: string; SpotPrice?: string; Timestamp?: string }[];
      }
    ).SpotPriceHistory ?? [];
  const newest = new Map<string, { usd: number; date: string; at: string }>();
  for (const h of history) {
    const zone = h.AvailabilityZone ?? "";
    const at = h.Timestamp ?? "";
    const entry = { usd: Number(h.SpotPrice), date: at.slice(0, 10), at };
    const seen = newest.get(zone);
    if (entry.usd > 0 && (!seen || at > seen.at)) newest.set(zone, entry);
  }
  const zones = [...newest.values()].map(({ usd, date }) => ({ usd, date }));
  const dearest = Math.max(...zones.map((z) => z.usd));
  return zones.filter((z) => z.usd === dearest);
}

/** `table` with `updates` in place of the entries of the same key and region; sorted, as vendored. */
export function mergePrices(
  table: PriceTable,
  updates: { price: Price; source: PriceSource; sourceId: string }[],
): PriceTable {
  const id = (p: Price) => `${p.key} ${p.region}`;
  const replaced = new Set(updates.map((u) => id(u.price)));
  const prices = [
    ...table.prices.filter((p) => !replaced.has(id(p))),
    ...updates.map((u) => u.price),
  ].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  // The support windows cite sources of their own, which a refresh keeps.
  const windows = Object.values(table.eksStandardSupportEnds ?? {}).map((w) => w.source);
  const used = new Set([...prices.map((p) => p.source), ...windows]);
  const sources = Object.fromEntries(
    [...Object.entries(table.sources), ...updates.map((u) => [u.sourceId, u.source] as const)]
      .filter(([k]) => used.has(k))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { ...table, sources, prices };
}
