// The PR comment `npm run pr-diff` prints, from what it ran: pure, so its layout is tested without
// running anything. Per stack: the rehearsal (base → head), the Helm render (its flagged objects
// above the synth diff), then the synth diff; a section needing a tool this machine lacks is shown
// as skipped, with the reason.

/** A section's body, or why it did not run. */
export type SectionResult = { body: string } | { skipped: string };

export interface Section {
  title: string;
  result: SectionResult;
}

/** One stack's part of the comment. */
export interface StackComment {
  stack: string;
  /** Notes above the sections: a stack new in this PR, a base that did not synthesize. */
  notes: string[];
  sections: Section[];
}

export interface CommentInput {
  /** The base ref as given, and the commit it names. */
  base: { ref: string; commit: string };
  /** The head's commit, and whether the working tree differs from it. */
  head: { commit: string; dirty: boolean };
  stacks: StackComment[];
  /** Stacks whose rehearsal found blockers, or whose head does not synthesize. */
  blocked: string[];
}

export const TITLE = "## Synth diff and update rehearsal";

/** A section that runs a program this machine may not have (`helm`), given `C` to work on. */
export interface ToolSection<C> {
  title: string;
  tool: string;
  run: (context: C) => Promise<SectionResult>;
}

/** A tool section's result: skipped, naming the tool, when it is not installed here. */
export async function toolSection<C>(
  section: ToolSection<C>,
  hasTool: (tool: string) => boolean,
  context: C,
): Promise<Section> {
  const result = hasTool(section.tool)
    ? await section.run(context)
    : { skipped: `\`${section.tool}\` is not installed here (not found on PATH)` };
  return { title: section.title, result };
}

const short = (commit: string) => commit.slice(0, 12);

/** A fenced block that survives backtick fences in the text. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text.trimEnd()}\n${fence}`;
}

function renderSection({ title, result }: Section): string {
  const body = "skipped" in result ? `_Skipped: ${result.skipped}._` : result.body.trimEnd();
  return `### ${title}\n\n${body}`;
}

/** The whole comment, Markdown, ending in a newline. */
export function renderComment(input: CommentInput): string {
  const head = `\`${short(input.head.commit)}\`${input.head.dirty ? " with uncommitted changes" : ""}`;
  const lines = [
    TITLE,
    "",
    `Base \`${input.base.ref}\` (\`${short(input.base.commit)}\`) → head ${head}, ${input.stacks.length} stack${input.stacks.length === 1 ? "" : "s"}` +
      (input.blocked.length > 0
        ? `; **blocked: ${input.blocked.map((s) => `\`${s}\``).join(", ")}**.`
        : "."),
  ];
  for (const s of input.stacks) {
    lines.push("", `## Stack \`${s.stack}\``);
    for (const note of s.notes) lines.push("", `> ${note}`);
    for (const section of s.sections) lines.push("", renderSection(section));
  }
  const all = `${lines.join("\n")}\n`;
  return all.length <= COMMENT_LIMIT ? all : `${all.slice(0, COMMENT_LIMIT)}\n\n${TRUNCATED}\n`;
}

/** Under GitHub's 65,536 characters with room for the truncation note; over it nothing posts. */
export const COMMENT_LIMIT = 65_000;
const TRUNCATED =
  "_Truncated at 65,000 characters (GitHub's limit for a comment): run `npm run pr-diff -- <base>` for all of it._";

/** Each stack's share of a comment GitHub caps at 65,536 characters: 20,000 at most, 1,000 least. */
export const diffBudget = (stacks: number): number =>
  Math.max(1000, Math.min(20000, Math.floor(48000 / Math.max(1, stacks))));

/** Each stack's Helm render share, beside its diff's: 8,000 at most, 1,000 least. */
export const helmBudget = (stacks: number): number =>
  Math.max(1000, Math.min(8000, Math.floor(16000 / Math.max(1, stacks))));
