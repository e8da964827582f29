// Coexistence check: `npm run coexist -- <stack A> <stack B>`, for example `-- prod prod2`.
// Synthesizes both committed stacks offline, applies every rule in RULES (policy/coexist/records.ts),
// prints the findings (policy/findings.ts), then the isolation matrix (policy/coexist/isolation.ts),
// and exits 1 if there is any finding or any matrix problem.
import { parseMigrationConfig } from "../../stacks/migration-config";
import { clusterNameOf, CoexistStack, Finding, RULES, RuleId } from "../../policy/coexist/records";
import { renderFindings } from "../../policy/findings";
import { structuralFindings } from "../../policy/coexist/rules";
import { isolationMatrix, isolationTable } from "../../policy/coexist/isolation";
import { DEFAULT_REGION, MOCK_ACCOUNT } from "../../synth/mocks";
import { readStackConfig, ROOT } from "../../synth/stack-files";
import { synthStack } from "../../synth/synth-stack";
import { parseArgs, stackFile, UsageError } from "../run/args";
import { runCli } from "../run/fast-load";

/**
 * One side of the check from a committed stack: its `Pulumi.<stack>.yaml` (the migration settings
 * are read first, so a bad `migration:*` key fails before anything is synthesized) and its synth.
 */
export async function loadCoexistStack(stack: string, dir?: string): Promise<CoexistStack> {
  return coexistStack(stack, readStackConfig(stack, dir).config, await synthStack(stack, dir));
}

/** One side of the check from a stack's flat config and its synth. */
export function coexistStack(
  stack: string,
  config: Record<string, string>,
  synth: CoexistStack["synth"],
): CoexistStack {
  return {
    stack,
    synth,
    migration: parseMigrationConfig(config),
    region: config["aws:region"] ?? DEFAULT_REGION,
    // Both stacks deploy to one account: the case where IAM could reach across.
    accountId: MOCK_ACCOUNT,
  };
}

const ORDER = Object.keys(RULES) as RuleId[];

/** Every finding of every rule, ordered as RULES lists the rules. */
export function checkCoexistence(a: CoexistStack, b: CoexistStack): Finding[] {
  const rank = (f: Finding) => ORDER.indexOf(f.rule as RuleId);
  return structuralFindings(a, b).sort((x, y) => rank(x) - rank(y));
}

/** The report the CLI prints: a heading, then the table or the all-clear line. */
export function coexistReport(a: CoexistStack, b: CoexistStack, findings: Finding[]): string {
  const name = (s: CoexistStack) => `${s.stack} (cluster ${clusterNameOf(s.synth) ?? "?"})`;
  const heading = `## Coexistence of ${name(a)} and ${name(b)}`;
  if (findings.length === 0) {
    return `${heading}\n\nno collisions: ${a.stack} and ${b.stack} can run side by side (${ORDER.length} rules checked: ${ORDER.join(", ")})`;
  }
  const broken = new Set(findings.map((f) => f.rule)).size;
  const info = ORDER.map((id) => ({ id, title: RULES[id] }));
  return [
    heading,
    "",
    ...renderFindings(findings, info, [a.stack, b.stack]),
    "",
    `${findings.length} finding${findings.length === 1 ? "" : "s"}, ${broken} rule${broken === 1 ? "" : "s"} broken`,
  ].join("\n");
}

/** The CLI: 0 when the pair coexists, 1 on any finding, 2 on bad arguments. */
export async function main(argv: string[]): Promise<number> {
  const usage = "usage: npm run coexist -- <stack A> <stack B>   (for example: prod prod2)";
  const stacks = parseArgs(argv, { usage, positionals: [2, 2] }).positionals;
  if (stacks[0] === stacks[1]) throw new UsageError(usage);
  for (const stack of stacks) stackFile(ROOT, stack);
  const a = await loadCoexistStack(stacks[0]);
  const b = await loadCoexistStack(stacks[1]);
  const findings = checkCoexistence(a, b);
  console.log(coexistReport(a, b, findings));
  // Any allowed cross-cluster write, or a positive control that fails, fails the check.
  const matrix = await isolationMatrix(a, b);
  console.log(`\n${isolationTable(matrix, a.stack, b.stack)}`);
  return findings.length === 0 && matrix.problems.length === 0 ? 0 : 1;
}

if (require.main === module) runCli(main);
