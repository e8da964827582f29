// tools/pr-diff's cost section on two committed synths of prod2 that differ only in the general
// group's instance types (test/fixtures/fb96b52/make.sh), priced from a table written here.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { PriceTable } from "../policy/cost/prices";
import { ROOT } from "../synth/stack-files";
import { COST_TITLE, costSection } from "../tools/pr-diff/cost-section";

const FIXTURES = path.join(ROOT, "test", "fixtures", "fb96b52");
const source = { url: "https://example.com/ec2", date: "2026-01-02", says: "test" };
const price = (key: string, usd: number) => ({
  key,
  region: "us-west-2",
  usd,
  unit: "hour",
  source: "ec2",
});
const TABLE: PriceTable = {
  sources: { ec2: source },
  prices: [price("ec2:ON_DEMAND:m7i.large", 0.1), price("ec2:ON_DEMAND:m7i.xlarge", 0.2)],
};

const section = costSection({
  stack: "prod2",
  baseFile: path.join(FIXTURES, "prod2.json"),
  headFile: path.join(FIXTURES, "prod2-instance-types.json"),
  baseDir: ROOT,
  headDir: ROOT,
  table: TABLE,
});
const body = "body" in section.result ? section.result.body : "";

test("a change of instance types shows its monthly delta, and no other line item moves", () => {
  expect(section.title).toBe(COST_TITLE);
  expect(body).toContain("Monthly at desired size: $219.00 → $438.00 (**+$219.00**)");
  expect(body.split("\n").filter((l) => l.startsWith("| Node") || l.startsWith("| EBS"))).toEqual([
    "| Node groups | eks-blueprint-prod2-general: ON_DEMAND m7i.large \\| m6i.large | eks-blueprint-prod2-general: ON_DEMAND m7i.xlarge \\| m6i.xlarge | $219.00 / $219.00 / $657.00 | $438.00 / $438.00 / $1,314.00 | +$219.00 |",
  ]);
});

test("the prices missing on either side are counted and left out of both totals", () => {
  expect(body).toMatch(
    /Prices missing: \d+ line items in the base, \d+ in the head, left out of both totals\./,
  );
});

test("a stack whose file sets no region is skipped, saying why", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-cost-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: eks-blueprint\n");
  fs.writeFileSync(
    path.join(dir, "Pulumi.prod2.yaml"),
    "config:\n  eks-blueprint:clusterName: x\n",
  );
  const skipped = costSection({
    stack: "prod2",
    baseFile: path.join(FIXTURES, "prod2.json"),
    headFile: path.join(FIXTURES, "prod2.json"),
    headDir: dir,
    table: TABLE,
  });
  fs.rmSync(dir, { recursive: true });
  expect(skipped.result).toEqual({
    skipped: "`Pulumi.prod2.yaml` sets no `aws:region` to price in",
  });
});

test("a change whose new type has no price says it is not in the delta, never $0", () => {
  const unpriced = costSection({
    stack: "prod2",
    baseFile: path.join(FIXTURES, "prod2.json"),
    headFile: path.join(FIXTURES, "prod2-instance-types.json"),
    baseDir: ROOT,
    headDir: ROOT,
    table: { ...TABLE, prices: TABLE.prices.slice(0, 1) },
  });
  const text = "body" in unpriced.result ? unpriced.result.body : "";
  expect(text).toContain(
    "**1 changed line item has no price on one side or both: its change is not in this delta.**",
  );
  expect(text).toContain("| $219.00 / $219.00 / $657.00 | missing | **unpriced** |");
});
