// The vendored price table (aws-prices.json): every price with the page it was read from and that
// page's date. A price applies in its own region, or in every one when the page says so (`*`); a
// page that names no region (`unstated`) is shown beside a missing price, never used for it.
import vendored from "./aws-prices.json";

/** Where a price was read: the page, its date as the page gives it, and what it says. */
export interface PriceSource {
  url: string;
  /** `YYYY-MM-DD`, or `YYYY-MM` where the page gives only the month. */
  date: string;
  says: string;
}

/** One price: `key` names what is bought (`ec2:ON_DEMAND:m7i.large`, `nat:gateway`). */
export interface Price {
  key: string;
  /** An AWS region, `*` (the page says every region) or `unstated` (the page names none). */
  region: string;
  usd: number;
  /** Per what: `hour`, `GB`, `GB-month`, `GB-hour`. */
  unit: string;
  /** A key of {@link PriceTable.sources}. */
  source: string;
}

export interface PriceTable {
  sources: Record<string, PriceSource>;
  prices: Price[];
  /**
   * When each Kubernetes minor leaves EKS standard support (`YYYY-MM-DD`): a cluster on it after
   * that date pays the extended-support price. @default none: every cluster priced as standard
   */
  eksStandardSupportEnds?: Record<string, { date: string; source: string }>;
}

export const PRICES: PriceTable = vendored;

/** A price found for a region, with its source; or why none was, with what the table has. */
export type Quote = { price: Price; source: PriceSource } | { missing: string };

const usd = (n: number) => `$${n}`;

/** The price of `key` in `region`; missing, naming the other regions' entries, when none applies. */
export function quote(table: PriceTable, key: string, region: string): Quote {
  const entries = table.prices.filter((p) => p.key === key);
  const price = entries.find((p) => p.region === region) ?? entries.find((p) => p.region === "*");
  if (price) return { price, source: table.sources[price.source] };
  const elsewhere = entries.map((p) => `${p.region}: ${usd(p.usd)}/${p.unit}`);
  return {
    missing: `no price for ${key} in ${region}${elsewhere.length ? ` (the table has ${elsewhere.join(", ")})` : ""}`,
  };
}

/** Every problem with a table: a price whose source is not listed, a source without URL or date. */
export function priceTableProblems(table: PriceTable): string[] {
  const problems: string[] = [];
  for (const p of table.prices) {
    if (!(p.source in table.sources))
      problems.push(`${p.key} (${p.region}): no source ${p.source}`);
    if (!(p.usd > 0)) problems.push(`${p.key} (${p.region}): usd must be above 0, got ${p.usd}`);
  }
  for (const [id, s] of Object.entries(table.sources)) {
    if (!/^https?:\/\//.test(s.url)) problems.push(`source ${id}: url ${JSON.stringify(s.url)}`);
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(s.date))
      problems.push(`source ${id}: date ${JSON.stringify(s.date)}, not YYYY-MM-DD or YYYY-MM`);
  }
  for (const [minor, w] of Object.entries(table.eksStandardSupportEnds ?? {})) {
    if (!(w.source in table.sources)) problems.push(`Kubernetes ${minor}: no source ${w.source}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(w.date))
      problems.push(`Kubernetes ${minor}: date ${JSON.stringify(w.date)}, not YYYY-MM-DD`);
  }
  const keys = table.prices.map((p) => `${p.key} ${p.region}`);
  for (const k of new Set(keys.filter((k, i) => keys.indexOf(k) !== i)))
    problems.push(`${k}: listed twice`);
  return problems;
}
