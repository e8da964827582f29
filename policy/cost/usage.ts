// The line items priced by use, which no synth knows: Fargate pod hours and log ingestion, each
// with its rate and, for a log group, what its retention keeps.
import { str } from "../values";
import { FARGATE_PROFILE } from "../shapes";
import { type CostRecord, type Ctx, HOURS_PER_MONTH, type LineItem, num, same } from "./line-items";

export function fargate(records: readonly CostRecord[], ctx: Ctx): LineItem[] {
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

export function logGroups(records: readonly CostRecord[], ctx: Ctx): LineItem[] {
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
