// policy/cost: the estimate of a committed synth priced from a table written here, what a missing
// price looks like, and the vendored table's own sources.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type Estimate, estimate, type LineItem, type Sizes } from "../policy/cost/estimate";
import { phaseCosts, renderPhases } from "../policy/cost/phases";
import { ROOT } from "../synth/stack-files";
import { gibOf, loadBalancersOf } from "../policy/cost/kubernetes";
import { renderEstimate } from "../policy/cost/markdown";
import { type Price, PRICES, type PriceTable, priceTableProblems } from "../policy/cost/prices";
import { committedConfig, committedSynth } from "./stack-harness";
import { rec, release } from "./coexist-fixtures";

const at = (region: string, key: string, usd: number, unit = "hour"): Price => ({
  key,
  region,
  usd,
  unit,
  source: "test",
});
const TABLE: PriceTable = {
  sources: { test: { url: "https://example.com/prices", date: "2026-01-02", says: "test" } },
  prices: [
    at("*", "eks:cluster:standard", 0.1),
    at("us-west-2", "ec2:ON_DEMAND:m7i.large", 0.1),
    at("us-west-2", "ec2:SPOT:m7g.xlarge", 0.05),
    at("us-west-2", "ec2:SPOT:m6g.xlarge", 0.06),
    at("us-west-2", "nat:gateway", 0.05),
    at("us-west-2", "ebs:gp3", 0.08, "GB-month"),
    at("us-east-1", "elb:nlb", 0.0225),
  ],
};

const prod2 = estimate(committedSynth("prod2"), "us-west-2", TABLE);
const item = (id: string) => prod2.items.find((i) => i.id === id) as LineItem;
const groups = committedConfig("prod2")["eks-blueprint:nodeGroups"] as Record<
  string,
  { minSize: number; maxSize: number; desiredSize?: number }
>;

test("a control plane is 730 hours a month at its hourly price, which holds in every region", () => {
  expect(item("cluster:prod2-cluster").monthly).toEqual({ min: 73, desired: 73, max: 73 });
});

test.each([
  ["on the last day of standard support", "2027-03-27", "standard support until 2027-03-27", 73],
  ["the day after", "2027-03-28", "extended support since 2027-03-27", 438],
])("a control plane %s pays its support's price", (_, asOf, support, monthly) => {
  const table: PriceTable = {
    ...TABLE,
    prices: [...TABLE.prices, at("*", "eks:cluster:extended", 0.6)],
    eksStandardSupportEnds: { "1.35": { date: "2027-03-27", source: "test" } },
  };
  const cluster = estimate(committedSynth("prod2"), "us-west-2", table, asOf).items[0];
  expect([cluster.what, cluster.monthly?.desired]).toEqual([
    `eks-blueprint-prod2, Kubernetes 1.35, ${support} ([example.com](https://example.com/prices), 2026-01-02)`,
    monthly,
  ]);
});

test("an On-Demand group costs its first type's price at min, desired and max", () => {
  const g = groups.general;
  const desired = g.desiredSize ?? g.minSize;
  expect(item("nodes:prod2-nodes-general").quantity).toEqual({
    min: g.minSize,
    desired,
    max: g.maxSize,
  });
  expect(item("nodes:prod2-nodes-general").monthly).toEqual({
    min: g.minSize * 73,
    desired: desired * 73,
    max: g.maxSize * 73,
  });
});

test("a Spot group needs a price for each of its types: one missing leaves it unpriced", () => {
  expect(item("nodes:prod2-nodes-graviton")).toMatchObject({
    quote: { missing: "no price for ec2:SPOT:c7g.xlarge in us-west-2" },
  });
  expect(item("nodes:prod2-nodes-graviton").monthly).toBeUndefined();
});

test("a Spot group with every price is bounded by its dearest type", () => {
  const table = {
    ...TABLE,
    prices: [...TABLE.prices, at("us-west-2", "ec2:SPOT:c7g.xlarge", 0.04)],
  };
  const g = estimate(committedSynth("prod2"), "us-west-2", table).items.find(
    (i) => i.id === "nodes:prod2-nodes-graviton",
  );
  expect(g?.monthly?.max).toBeCloseTo(groups.graviton.maxSize * 0.06 * 730, 6);
});

test("a Karpenter NodePool is a node line without a price, its limits named, never $0", () => {
  const pool = rec("kubernetes:karpenter.sh/v1:NodePool", "p-karpenter-general-nodepool", {
    metadata: { name: "general" },
    spec: { limits: { cpu: "100", memory: "400Gi" } },
  });
  const e = estimate({ stack: "p", resources: [pool] }, "us-west-2", TABLE);
  expect(e.items.map((i) => [i.category, i.what, i.quote, i.monthly])).toEqual([
    [
      "Node groups",
      "Karpenter NodePool general, limits cpu 100, memory 400Gi",
      { missing: "Karpenter picks instances at run time: the synth has no count or type" },
      undefined,
    ],
  ]);
  expect(e.missing).toBe(1);
});

test("one NAT gateway per zone, and the data they process is priced by use", () => {
  const zones = (committedConfig("prod2")["eks-blueprint:availabilityZones"] as number) ?? 3;
  expect(item("nat:prod2-network").quantity.desired).toBe(zones);
  expect(item("nat:prod2-network:processed")).toMatchObject({
    usage: "per GB through the gateways, both directions",
    quote: { missing: "no price for nat:processed in us-west-2" },
  });
});

test("a price only another region has is missing, naming what the table has", () => {
  const nlb = prod2.items.filter((i) => i.category === "Load balancers");
  expect(nlb.map((i) => [i.what, i.quote])).toEqual([
    [
      "NLB of release istio-ingressgateway (values `service`)",
      { missing: "no price for elb:nlb in us-west-2 (the table has us-east-1: $0.0225/hour)" },
    ],
    [
      "NLB of release istio-ingressgateway (values `service`): internet-facing, a public IPv4 address per zone",
      { missing: "no price for vpc:public-ipv4 in us-west-2" },
    ],
  ]);
});

test("an internet-facing load balancer and each NAT gateway hold a public IPv4 address per zone", () => {
  const table = { ...TABLE, prices: [...TABLE.prices, at("*", "vpc:public-ipv4", 0.005)] };
  const zones = committedConfig("prod2")["eks-blueprint:availabilityZones"] ?? 3;
  const ipv4 = estimate(committedSynth("prod2"), "us-west-2", table)
    .items.filter((i) => i.id.endsWith(":ipv4"))
    .map((i) => [i.id, i.quantity.desired, i.monthly?.desired]);
  expect(ipv4).toEqual([
    ["nat:prod2-network:ipv4", zones, (zones as number) * 3.65],
    ["lb:prod2-platform-addons-istio-gateway:service:ipv4", zones, (zones as number) * 3.65],
  ]);
});

test("the total leaves out what is missing and what is priced by use, and counts the missing", () => {
  const fixed = prod2.items.filter((i) => !i.usage);
  const sum = fixed.reduce((s, i) => s + (i.monthly?.desired ?? 0), 0);
  expect(prod2.total.desired).toBeCloseTo(sum, 9);
  // Counted from the quotes: an item whose price is missing has no monthly figure.
  expect(prod2.missing).toBe(fixed.filter((i) => "missing" in i.quote).length);
  expect(prod2.missing).toBeGreaterThan(0);
});

test("Prometheus's claim template is a gp3 volume of its configured size", () => {
  const size = (
    committedConfig("prod2")["eks-blueprint:addons"] as { prometheus: { storageSize: string } }
  ).prometheus.storageSize;
  const v = prod2.items.find(
    (i) => i.id.startsWith("volume:") && i.what.includes("prometheusSpec"),
  );
  expect(v?.quantity.desired).toBe(gibOf(size));
  expect(v?.monthly?.desired).toBeCloseTo((gibOf(size) ?? 0) * 0.08, 9);
});

test("the Markdown names each price's page and date, and a missing one as missing", () => {
  const md = renderEstimate(prod2);
  expect(md).toContain(
    "| EKS control plane | eks-blueprint-prod2, Kubernetes 1.35, standard support (its support window is not in the table) | 1 cluster | $0.1/hour ([example.com](https://example.com/prices), 2026-01-02, every region) | $73.00 |",
  );
  expect(md).toContain("**missing**: no price for elb:nlb in us-west-2");
  expect(renderEstimate(estimate(committedSynth("prod2"), "us-west-2", TABLE))).toBe(md);
});

const service = (annotations: Record<string, string>) =>
  rec("kubernetes:core/v1:Service", "web", {
    metadata: { name: "web", annotations },
    spec: { type: "LoadBalancer" },
  });
const controller = release("alb", "aws-load-balancer-controller", {});

test.each([
  ["no annotation, no controller: the cloud provider's Classic", {}, false, "clb"],
  [
    "type nlb without the controller",
    { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
    false,
    "nlb",
  ],
  [
    "type external, the controller's",
    { "service.beta.kubernetes.io/aws-load-balancer-type": "external" },
    false,
    "nlb",
  ],
  ["no annotation with the controller (its webhook)", {}, true, "nlb"],
])("a LoadBalancer Service, %s, is a %s", (_, annotations, withController, kind) => {
  const records = [service(annotations), ...(withController ? [controller] : [])];
  const releases = withController ? [controller] : [];
  expect(loadBalancersOf({ records, releases }).map((lb) => lb.kind)).toEqual([kind]);
});

test.each([
  ["100Gi", 100],
  ["1Ti", 1024],
  ["512Mi", 0.5],
  ["lots", undefined],
])("a claim of %s is %s GiB", (size, gib) => {
  expect(gibOf(size)).toBe(gib);
});

test("every vendored price has a listed source with a URL and a date, once per region", () => {
  expect(priceTableProblems(PRICES)).toEqual([]);
  expect(
    priceTableProblems({ ...TABLE, prices: [...TABLE.prices, at("*", "x", 1), at("*", "x", 1)] }),
  ).toEqual(["x *: listed twice"]);
});

test("a log group's cost is per GB ingested a day: its ingestion and its retention", () => {
  const table = {
    ...TABLE,
    prices: [
      ...TABLE.prices,
      at("us-west-2", "logs:ingested", 0.5, "GB"),
      at("us-west-2", "logs:stored", 0.03, "GB-month"),
    ],
  };
  const logs = estimate(committedSynth("prod2"), "us-west-2", table).items.find(
    (i) => i.id === "logs:prod2-cluster-control-plane",
  );
  expect(logs?.usage).toBe(
    "each GB ingested a day: $15.21 a month to ingest, $0.90 to keep 30 days ($0.03/GB-month)",
  );
});

const totals = (stack: string, t: Sizes, missing: number): Estimate => ({
  stack,
  region: "us-west-2",
  items: [],
  total: t,
  missing,
  priceKeys: [],
});

test("each migration phase adds the stacks it runs, at the size the phase runs them", () => {
  const old = totals("prod", { min: 10, desired: 20, max: 40 }, 1);
  const next = totals("prod2", { min: 5, desired: 7, max: 9 }, 2);
  expect(phaseCosts(old, next).map((p) => [p.phase.name, p.monthly, p.missing])).toEqual([
    ["Both clusters up", 25, 3],
    ["Weights moving", 27, 3],
    ["The old cluster gone", 7, 2],
  ]);
});

/** A Markdown table's rows as trimmed cells, wherever Prettier aligned it; separators left out. */
const rows = (md: string, header: string) => {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${header}`));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith("|"));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .filter((l) => !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
};

test("docs/migration.md gives each phase's cost as the committed stacks and table make it", () => {
  const runbook = readFileSync(path.join(ROOT, "docs", "migration.md"), "utf8");
  const command = /npm run cost -- prod2 --replacing prod --on (\d{4}-\d{2}-\d{2})/.exec(runbook);
  const priced = (stack: string) =>
    estimate(
      committedSynth(stack),
      committedConfig(stack)["aws:region"] as string,
      PRICES,
      command?.[1],
    );
  const table = renderPhases(priced("prod"), priced("prod2"));
  // When this fails, run that command and paste its table.
  expect(rows(runbook, "Phase (runbook steps)")).toEqual(rows(table, "Phase (runbook steps)"));
  expect([command?.[0], rows(table, "Phase (runbook steps)").length]).toEqual([
    expect.stringContaining("--on"),
    4,
  ]);
});
