// `npm run diff -- <base.json> <head.json> [--max-chars N]`: the Markdown diff of two synth files
// (`npm run synth -- <stack> --out <file>`), a branch against main or prod against prod2.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { diffSynth } from "../../synth/diff";
import { CliSpec, inputFile, parseArgs } from "../run/args";
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
      read: z.string().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

/** A synth file as the diff and the cost read it. */
export type SynthFile = z.infer<typeof synthFile>;

export function readSynthFile(path: string): SynthFile {
  const make =
    "make it with `npm run synth -- <stack> --out <file>` (on the base commit for a base)";
  const parsed = synthFile.safeParse(
    JSON.parse(readFileSync(inputFile(path, "a synth file", make), "utf8")),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: not a synth file (${issue?.path.join(".") || "root"}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

const SPEC: CliSpec = {
  usage: "usage: npm run diff -- <base.json> <head.json> [--max-chars N]",
  values: ["--max-chars"],
  positionals: [2, 2],
};

/** The Markdown diff of two synth files, at most `maxChars` long. */
export const diffFiles = (base: string, head: string, maxChars?: number): string =>
  renderMarkdown(diffSynth(readSynthFile(base), readSynthFile(head)), { maxChars });

export function main(argv: string[]): number {
  try {
    const args = parseArgs(argv, SPEC);
    const given = args.value("--max-chars");
    const maxChars = given === undefined ? undefined : Number(given);
    if (maxChars !== undefined && (!Number.isInteger(maxChars) || maxChars < 1000))
      throw new Error(
        `--max-chars: must be an integer of at least 1000 (got ${JSON.stringify(given)})`,
      );
    process.stdout.write(diffFiles(args.positionals[0], args.positionals[1], maxChars));
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
