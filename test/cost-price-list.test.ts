// policy/cost/price-list.ts: the weekly refresh's queries and how AWS's answers, written here in the
// shapes the APIs document, become prices with their sources; an unclear answer is never a price.
import { cliArgs, mergePrices, queryFor, refreshedPrice } from "../policy/cost/price-list";
import type { PriceTable } from "../policy/cost/prices";

/** A GetProducts answer: `PriceList` holds each product as a JSON string. */
const products = (...dims: { usd: string; unit: string; date?: string }[]) => ({
  FormatVersion: "aws_v1",
  PriceList: dims.map((d, i) =>
    JSON.stringify({
      product: { sku: `SKU${i}` },
      terms: {
        OnDemand: {
          [`SKU${i}.JRTCKXETXF`]: {
            effectiveDate: d.date ?? "2026-11-01T00:00:00Z",
            priceDimensions: {
              [`SKU${i}.JRTCKXETXF.6YS6EN2CT7`]: { unit: d.unit, pricePerUnit: { USD: d.usd } },
            },
          },
        },
      },
    }),
  ),
});

test("an On-Demand instance price is asked for Linux, shared tenancy, no pre-installed software", () => {
  const q = queryFor("ec2:ON_DEMAND:m7i.large");
  expect(q && cliArgs(q, "us-west-2", "2026-12-01T00:00:00Z")).toEqual([
    ...["pricing", "get-products", "--region", "us-east-1", "--service-code", "AmazonEC2"],
    "--filters",
    "Type=TERM_MATCH,Field=capacitystatus,Value=Used",
    "Type=TERM_MATCH,Field=instanceType,Value=m7i.large",
    "Type=TERM_MATCH,Field=licenseModel,Value=No License required",
    "Type=TERM_MATCH,Field=operatingSystem,Value=Linux",
    "Type=TERM_MATCH,Field=preInstalledSw,Value=NA",
    "Type=TERM_MATCH,Field=regionCode,Value=us-west-2",
    "Type=TERM_MATCH,Field=tenancy,Value=Shared",
    ...["--output", "json"],
  ]);
});

test("one price in the answer is the price, with the call that gave it and its effective date", () => {
  const answer = products({ usd: "0.1008000000", unit: "Hrs" });
  expect(refreshedPrice("ec2:ON_DEMAND:m7i.large", "us-west-2", answer)).toEqual({
    price: {
      key: "ec2:ON_DEMAND:m7i.large",
      region: "us-west-2",
      usd: 0.1008,
      unit: "hour",
      source: "price-list:ec2:ON_DEMAND:m7i.large:us-west-2",
    },
    source: {
      url: "https://api.pricing.us-east-1.amazonaws.com/?Action=GetProducts&ServiceCode=AmazonEC2&capacitystatus=Used&instanceType=m7i.large&licenseModel=No%20License%20required&operatingSystem=Linux&preInstalledSw=NA&regionCode=us-west-2&tenancy=Shared",
      date: "2026-11-01",
      says: "the On-Demand price per Hrs (effective 2026-11-01)",
    },
    sourceId: "price-list:ec2:ON_DEMAND:m7i.large:us-west-2",
  });
});

test.each([
  ["no product", products(), "no price"],
  [
    "two products at two prices",
    products({ usd: "0.045", unit: "Hrs" }, { usd: "0.05", unit: "Hrs" }),
    "2 prices (0.045, 0.05)",
  ],
  ["only a price of another unit", products({ usd: "0.045", unit: "GB" }), "no price"],
])("an answer with %s keeps the old entry", (_, answer, what) => {
  expect(refreshedPrice("nat:gateway", "us-west-2", answer)).toEqual({
    problem: `nat:gateway in us-west-2: the answer has ${what}; kept as it was`,
  });
});

test("a NAT gateway's hours and its GB come from one answer, by unit", () => {
  const answer = products({ usd: "0.045", unit: "Hrs" }, { usd: "0.046", unit: "GB" });
  const usd = (key: string) => {
    const r = refreshedPrice(key, "us-west-2", answer);
    return "price" in r ? [r.price.usd, r.price.unit] : r.problem;
  };
  expect([usd("nat:gateway"), usd("nat:processed")]).toEqual([
    [0.045, "hour"],
    [0.046, "GB"],
  ]);
});

test("a Spot price is the newest of each zone, the dearest zone's", () => {
  const answer = {
    SpotPriceHistory: [
      { AvailabilityZone: "us-west-2a", SpotPrice: "0.0600", Timestamp: "2026-12-01T10:00:00Z" },
      { AvailabilityZone: "us-west-2a", SpotPrice: "0.0500", Timestamp: "2026-12-01T12:00:00Z" },
      { AvailabilityZone: "us-west-2b", SpotPrice: "0.0550", Timestamp: "2026-11-30T08:00:00Z" },
    ],
  };
  const r = refreshedPrice("ec2:SPOT:m7g.xlarge", "us-west-2", answer);
  expect("price" in r && [r.price.usd, r.source.date, r.source.url]).toEqual([
    0.055,
    "2026-11-30",
    "https://ec2.us-west-2.amazonaws.com/?Action=DescribeSpotPriceHistory&InstanceType.1=m7g.xlarge&ProductDescription.1=Linux%2FUNIX",
  ]);
});

test("a refreshed price replaces its key and region only; sources nothing uses go", () => {
  const table: PriceTable = {
    sources: {
      old: { url: "https://example.com/a", date: "2026-01-01", says: "a" },
      kept: { url: "https://example.com/b", date: "2026-01-01", says: "b" },
    },
    prices: [
      { key: "nat:gateway", region: "us-west-2", usd: 0.04, unit: "hour", source: "old" },
      { key: "nat:gateway", region: "us-east-1", usd: 0.045, unit: "hour", source: "kept" },
    ],
  };
  const update = refreshedPrice(
    "nat:gateway",
    "us-west-2",
    products({ usd: "0.045", unit: "Hrs" }),
  );
  if (!("price" in update)) throw new Error(update.problem);
  const merged = mergePrices(table, [update]);
  expect(merged.prices.map((p) => [p.region, p.usd, p.source])).toEqual([
    ["us-east-1", 0.045, "kept"],
    ["us-west-2", 0.045, "price-list:nat:gateway:us-west-2"],
  ]);
  expect(Object.keys(merged.sources)).toEqual(["kept", "price-list:nat:gateway:us-west-2"]);
});

test("a key no AWS API prices has no query", () => {
  expect(queryFor("ebs")).toBeUndefined();
  expect(refreshedPrice("made:up", "us-west-2", {})).toEqual({
    problem: "made:up: no AWS API prices it",
  });
});

test("a refresh keeps the support windows and the sources they cite", () => {
  const eol = {
    url: "https://endoflife.date/amazon-eks",
    date: "2026-02",
    says: "1.34: 02 Dec 2026",
  };
  const table: PriceTable = {
    sources: { eol },
    prices: [],
    eksStandardSupportEnds: { "1.34": { date: "2026-12-02", source: "eol" } },
  };
  const merged = mergePrices(table, []);
  expect(merged.eksStandardSupportEnds).toEqual({ "1.34": { date: "2026-12-02", source: "eol" } });
  expect(merged.sources).toEqual({ eol });
});
