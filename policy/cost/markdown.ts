// The estimate as Markdown (`npm run cost` prints it; the PR comment shows the delta): one row per
// line item, each price with its page and date, a missing price said as missing.
import { type Estimate, HOURS_PER_MONTH, type LineItem, type Sizes } from "./estimate";
import type { Quote } from "./prices";

/** `$1,234.50`, `−$3.00`: two decimals, thousands grouped. */
export const dollars = (n: number) =>
  `${n < 0 ? "−" : ""}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number) => (n > 0 ? `+${dollars(n)}` : n === 0 ? "$0.00" : dollars(n));
const cell = (s: string) => s.replace(/\|/g, "\\|");

/** `3 / 3 / 9` or `1` where all three agree. */
const sizes = (s: Sizes, show: (n: number) => string = String) =>
  s.min === s.desired && s.desired === s.max
    ? show(s.desired)
    : `${show(s.min)} / ${show(s.desired)} / ${show(s.max)}`;

/** The price and where it was read, or why there is none. */
function priceCell(q: Quote): string {
  if ("missing" in q) return `**missing**: ${q.missing}`;
  return `$${q.price.usd}/${q.price.unit} ([${new URL(q.source.url).host}](${q.source.url}), ${q.source.date}${q.price.region === "*" ? ", every region" : ""})`;
}

/** `3 NAT gateways`, `1 cluster`, `150 GiB`: a unit of measure stays as it is. */
function quantity(i: LineItem): string {
  const q = i.quantity;
  const many = q.min !== 1 || q.desired !== 1 || q.max !== 1;
  const unit =
    !many || /^(GiB|GB)\b/.test(i.unit)
      ? i.unit
      : i.unit.endsWith("s")
        ? `${i.unit}es`
        : `${i.unit}s`;
  return `${sizes(q, (n) => String(Math.round(n * 100) / 100))} ${unit}`;
}

/** The estimate, Markdown, ending in a newline. */
export function renderEstimate(e: Estimate): string {
  const fixed = e.items.filter((i) => !i.usage);
  const usage = e.items.filter((i) => i.usage);
  const lines = [
    `**${e.stack}** (${e.region}${e.asOf ? `, as of ${e.asOf}` : ""}): **${dollars(e.total.desired)} a month** at desired size (${dollars(e.total.min)} at minimum, ${dollars(e.total.max)} at maximum), ${HOURS_PER_MONTH} hours a month` +
      (e.missing
        ? `; **${e.missing} line item${e.missing === 1 ? "" : "s"} missing a price, not in the total**.`
        : "."),
    "",
    "| Line item | What | Quantity (min / desired / max) | Price | Monthly (min / desired / max) |",
    "| --- | --- | --- | --- | --- |",
    ...fixed.map(
      (i) =>
        `| ${i.category} | ${cell(i.what)} | ${quantity(i)} | ${cell(priceCell(i.quote))} | ${i.monthly ? sizes(i.monthly, dollars) : "—"} |`,
    ),
  ];
  if (usage.length)
    lines.push(
      "",
      "Priced by use, which the synth does not know (not in the total):",
      "",
      "| Line item | What | Price | How |",
      "| --- | --- | --- | --- |",
      ...usage.map(
        (i) =>
          `| ${i.category} | ${cell(i.what)} | ${cell(priceCell(i.quote))} | ${cell(i.usage ?? "")} |`,
      ),
    );
  return `${lines.join("\n")}\n`;
}

/** What changed in cost from `base` to `head`: the totals and every line item that moved. */
export function renderDelta(base: Estimate, head: Estimate): string {
  const key = (i: LineItem) => i.id;
  const before = new Map(base.items.map((i) => [key(i), i]));
  const after = new Map(head.items.map((i) => [key(i), i]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const shown = (i?: LineItem) =>
    !i ? "—" : i.monthly ? sizes(i.monthly, dollars) : i.usage ? "by use" : "missing";
  let unpriced = 0;
  const rows = ids.flatMap((id) => {
    const [b, h] = [before.get(id), after.get(id)];
    const same =
      b &&
      h &&
      b.what === h.what &&
      shown(b) === shown(h) &&
      priceCell(b.quote) === priceCell(h.quote);
    if (same) return [];
    const fixed = !(b ?? h)?.usage;
    const delta =
      b?.monthly && h?.monthly
        ? signed(h.monthly.desired - b.monthly.desired)
        : !b && h?.monthly
          ? signed(h.monthly.desired)
          : !h && b?.monthly
            ? signed(-b.monthly.desired)
            : fixed
              ? "**unpriced**"
              : "—";
    if (delta === "**unpriced**") unpriced++;
    return [
      `| ${(h ?? b)?.category} | ${cell(b?.what ?? "(new)")} | ${cell(h?.what ?? "(removed)")} | ${shown(b)} | ${shown(h)} | ${delta} |`,
    ];
  });
  const d = head.total.desired - base.total.desired;
  const missing =
    head.missing || base.missing
      ? ` Prices missing: ${base.missing} line item${base.missing === 1 ? "" : "s"} in the base, ${head.missing} in the head, left out of both totals.`
      : "";
  const unpricedNote = unpriced
    ? ` **${unpriced} changed line item${unpriced === 1 ? " has" : "s have"} no price on one side or both: ${unpriced === 1 ? "its" : "their"} change is not in this delta.**`
    : "";
  const head1 = `Monthly at desired size: ${dollars(base.total.desired)} → ${dollars(head.total.desired)} (**${signed(d)}**); at maximum ${dollars(base.total.max)} → ${dollars(head.total.max)} (${signed(head.total.max - base.total.max)}).${unpricedNote}${missing}`;
  if (rows.length === 0) return `${head1}\n\nNo line item changes.\n`;
  return [
    head1,
    "",
    "| Line item | Base | Head | Base monthly | Head monthly | Change (desired) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
