// `npm run diff -- <base.json> <head.json> [--max-chars N]`: the Markdown diff of two synth files
// (`npm run synth -- <stack> --out <file>`), a branch against main or prod against prod2.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { diffSynth, DiffInput } from "../../synth/diff";
import { renderMarkdown } from "./markdown";

const synthFile = z.object({
  stack: z.string(),
  resources: z.array(
    z.object({
      type: z.string(),
      name: z.string(),
      parent: z.string().nullable(),
      inputs: z.record(z.string(), z.unknown()),
      protect: z.boolean().optional(),
    }),
  ),
});

export function readSynthFile(path: string): DiffInput {
  const parsed = synthFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: not a synth file (${issue?.path.join(".") || "root"}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

const USAGE = "usage: npm run diff -- <base.json> <head.json> [--max-chars N]";

export function main(argv: string[]): number {
  const at = argv.indexOf("--max-chars");
  const maxChars = at >= 0 ? Number(argv[at + 1]) : undefined;
  const files = argv.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
  try {
    const got = JSON.stringify(argv[at + 1]);
    if (maxChars !== undefined && (!Number.isInteger(maxChars) || maxChars < 1000))
      throw new Error(`--max-chars: must be an integer of at least 1000 (got ${got})`);
    if (files.length !== 2) throw new Error(USAGE);
    const [base, head] = files.map(readSynthFile) as [DiffInput, DiffInput];
    process.stdout.write(renderMarkdown(diffSynth(base, head), { maxChars }));
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
