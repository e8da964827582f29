// `node dist/tools/cost/refresh.js <synth.json>... [--print]`: refreshes policy/cost/aws-prices.json
// with what AWS answers now, for every price the given stacks' estimates look up in their regions
// (the Price List API's GetProducts; DescribeSpotPriceHistory for Spot). Needs the aws CLI with
// pricing:GetProducts and ec2:DescribeSpotPriceHistory (.github/workflows/cost-prices.yml, weekly);
// `--print` lists the commands instead, for someone without credentials. A key AWS answers with no
// price, or several, keeps its entry and is listed on stderr.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { estimate } from "../../policy/cost/estimate";
import { cliArgs, mergePrices, queryFor, refreshedPrice } from "../../policy/cost/price-list";
import { PRICES } from "../../policy/cost/prices";
import { ROOT, readStackConfig } from "../../synth/stack-files";
import { sortKeys } from "../../components/access/irsa-policy";
import { parseArgs, runMain } from "../run/args";
import { readSynthFile } from "../diff/main";
import { stackRegion, today } from "./main";

const USAGE = "usage: node dist/tools/cost/refresh.js <synth.json>... [--print]";
const TABLE_FILE = path.join(ROOT, "policy", "cost", "aws-prices.json");

/** Every price key each synth's estimate looks up today, with the stack's region: what to fetch. */
export function wanted(files: readonly string[]): { key: string; region: string }[] {
  const pairs = files.flatMap((file) => {
    const synth = readSynthFile(file);
    const region = stackRegion(readStackConfig(synth.stack).config, synth.stack);
    return estimate(synth, region, PRICES, today()).priceKeys.map((key) => ({
      key,
      region,
    }));
  });
  const seen = new Map(pairs.map((p) => [`${p.region} ${p.key}`, p]));
  return [...seen.keys()].sort().map((k) => seen.get(k) as { key: string; region: string });
}

export function main(argv: string[]): number {
  const args = parseArgs(argv, { usage: USAGE, switches: ["--print"], positionals: [1, 100] });
  const now = new Date().toISOString();
  const updates = [];
  const problems: string[] = [];
  const answers = new Map<string, unknown>();
  for (const { key, region } of wanted(args.positionals)) {
    const q = queryFor(key);
    if (!q) {
      problems.push(`${key} in ${region}: no AWS API prices it`);
      continue;
    }
    const cli = cliArgs(q, region, now);
    if (args.has("--print")) {
      process.stdout.write(`aws ${cli.map((a) => (/[\s/]/.test(a) ? `'${a}'` : a)).join(" ")}\n`);
      continue;
    }
    // One call answers keys that share a query (a NAT gateway's hours and its GB).
    const call = cli.join("\0");
    if (!answers.has(call))
      answers.set(
        call,
        JSON.parse(execFileSync("aws", cli, { encoding: "utf8", maxBuffer: 1 << 28 })),
      );
    const answer: unknown = answers.get(call);
    const r = refreshedPrice(key, region, answer);
    if ("problem" in r) problems.push(r.problem);
    else updates.push(r);
    process.stdout.write(`${"problem" in r ? "kept     " : "refreshed"} ${region} ${key}\n`);
  }
  if (!args.has("--print")) {
    writeFileSync(
      TABLE_FILE,
      `${JSON.stringify(sortKeys(mergePrices(PRICES, updates)), null, 2)}\n`,
    );
    process.stdout.write(
      `refresh: ${updates.length} price(s) written to ${path.relative(ROOT, TABLE_FILE)}\n`,
    );
  }
  for (const p of problems) process.stderr.write(`${p}\n`);
  return 0;
}

if (require.main === module) runMain(main);
