// `npm run -s stacks [-- --json]`: the project's stacks, one per `Pulumi.<stack>.yaml` at the root,
// sorted: one name a line for shell loops, or a JSON array for a workflow matrix (`fromJSON`).
// Every workflow loop and matrix over the stacks reads this list (docs/ci.md).
import { stackNames } from "../../stacks/stack-names";

const USAGE = "usage: npm run -s stacks [-- --json]";

export function main(argv: string[], dir?: string): { code: number; out: string } {
  if (argv.some((a) => a !== "--json")) return { code: 2, out: USAGE };
  const stacks = stackNames(dir);
  return { code: 0, out: argv.includes("--json") ? JSON.stringify(stacks) : stacks.join("\n") };
}

if (require.main === module) {
  const { code, out } = main(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(`${out}\n`);
  process.exitCode = code;
}
