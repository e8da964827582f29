// The "Cost" section: the monthly estimate of the base's synth and of the head's, both priced from
// the head's table in each side's region, and the line items that moved. Prices are the head's so
// the section shows what the change of infrastructure costs, not a refresh of the table.
import { readStackFiles } from "../../synth/stack-files";
import { estimate } from "../../policy/cost/estimate";
import { renderDelta } from "../../policy/cost/markdown";
import { PRICES, type PriceTable } from "../../policy/cost/prices";
import { readSynth, today } from "../cost/main";
import type { Section } from "./comment";

export const COST_TITLE = "Cost (base → head, monthly)";

interface CostSides {
  stack: string;
  /** The two synth files of the stack. */
  baseFile: string;
  headFile: string;
  /** The checkouts whose Pulumi.<stack>.yaml give each side's region; none for a new stack. */
  baseDir?: string;
  headDir: string;
  /** @default the vendored table */
  table?: PriceTable;
  /** The day whose EKS support windows apply. @default today */
  asOf?: string;
}

const regionIn = (dir: string, stack: string): string | undefined => {
  const region = readStackFiles(stack, dir).config["aws:region"];
  return typeof region === "string" ? region : undefined;
};

/** The section for one stack; skipped, saying why, when the head names no region. */
export function costSection(sides: CostSides): Section {
  const headRegion = regionIn(sides.headDir, sides.stack);
  if (!headRegion)
    return {
      title: COST_TITLE,
      result: { skipped: `\`Pulumi.${sides.stack}.yaml\` sets no \`aws:region\` to price in` },
    };
  const baseRegion = (sides.baseDir && regionIn(sides.baseDir, sides.stack)) || headRegion;
  const [table, asOf] = [sides.table ?? PRICES, sides.asOf ?? today()];
  const base = estimate(readSynth(sides.baseFile, sides.stack), baseRegion, table, asOf);
  const head = estimate(readSynth(sides.headFile, sides.stack), headRegion, table, asOf);
  const moved =
    baseRegion === headRegion ? "" : `The stack moves from ${baseRegion} to ${headRegion}. `;
  const body = `${moved}${renderDelta(base, head)}\n\`npm run cost -- ${sides.stack}\` prints every line item with its price and source.`;
  return { title: COST_TITLE, result: { body } };
}
