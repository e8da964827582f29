import { FieldChange, ResourceRef, STACK_ROOT, SynthDiff } from "../../synth/diff";

export interface RenderOptions {
  /** Cut the Markdown to this many characters (GitHub comments hold 65,536). @default no limit */
  maxChars?: number;
  /** Longest value printed before it is shortened with "…". @default 160 */
  maxValueChars?: number;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A code span that survives backticks inside the value. */
export const code = (s: string) => (s.includes("`") ? `\`\` ${s} \`\`` : `\`${s}\``);

function value(v: unknown, secret: boolean, max: number): string {
  if (v === undefined) return "_(none)_";
  if (secret) return code("[secret]");
  const s = JSON.stringify(v) ?? String(v);
  return code(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** The one-line summary that opens the comment. */
export function summaryLine(diff: SynthDiff): string {
  const replacements = diff.changed.filter((c) => c.replacement).length;
  return `**${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed (${plural(replacements, "replacement")})**`;
}

function fieldLine(f: FieldChange, max: number): string {
  const line = `${code(f.path)}: ${value(f.before, f.secret, max)} → ${value(f.after, f.secret, max)}`;
  return f.replaces ? `  - **${line} — forces replacement**` : `  - ${line}`;
}

type Group = Pick<SynthDiff, "changed" | "added" | "removed">;

/** Each component's changes; components in key order, resources owned by no component last. */
function groups(diff: SynthDiff): [string, Group][] {
  const all = [...diff.changed, ...diff.added, ...diff.removed];
  return [...new Set(all.map((r) => r.component))]
    .sort((a, b) => Number(a === STACK_ROOT) - Number(b === STACK_ROOT) || a.localeCompare(b))
    .map((k) => {
      const of = <T extends ResourceRef>(list: T[]) => list.filter((r) => r.component === k);
      return [k, { changed: of(diff.changed), added: of(diff.added), removed: of(diff.removed) }];
    });
}

function groupCounts(g: Group): string {
  const replaced = g.changed.filter((c) => c.replacement).length;
  const counts = (["added", "removed", "changed"] as const).map((k) => `${g[k].length} ${k}`);
  // Only the counts that are not 0.
  return [plural(replaced, "replacement"), ...counts].filter((p) => !p.startsWith("0 ")).join(", ");
}

/** Cut at a line end to at most `maxChars`, ending with `notice` of the full length. */
export function truncate(
  markdown: string,
  maxChars: number | undefined,
  notice: (chars: number) => string,
): string {
  if (maxChars === undefined || markdown.length <= maxChars) return markdown;
  const note = notice(markdown.length);
  const cut = markdown.lastIndexOf("\n", Math.max(0, maxChars - note.length));
  return `${markdown.slice(0, Math.max(cut, 0))}${note}`;
}

/** Deterministic PR-comment Markdown: summary, replacements, then changes grouped by component. */
export function renderMarkdown(diff: SynthDiff, options: RenderOptions = {}): string {
  const max = options.maxValueChars ?? 160;
  const lines = [summaryLine(diff), ""];
  const stacks =
    diff.base === diff.head
      ? `Stack ${code(diff.head)}: base → head.`
      : `Stack ${code(diff.base)} (base) → ${code(diff.head)} (head).`;
  const renamed = diff.renamed
    ? ` Resource names containing ${code(diff.renamed.from)} were matched as ${code(diff.renamed.to)}.`
    : "";
  lines.push(`${stacks}${renamed} Secrets show as ${code("[secret]")}.`, "");
  const replaced = diff.changed.filter((c) => c.replacement);
  if (replaced.length) {
    lines.push(
      "> [!WARNING]",
      "> **Replacements**: these resources differ in fields that make AWS delete and recreate them.",
    );
    for (const c of replaced) {
      const why = c.fields.filter((f) => f.replaces).map((f) => code(f.path));
      lines.push(`> - **${code(c.key)}** because of ${why.join(", ")}`);
    }
    lines.push("");
  }
  const grouped = groups(diff);
  if (!grouped.length) lines.push("No differences.", "");
  for (const [component, g] of grouped) {
    const title = component === STACK_ROOT ? "Stack-level resources" : code(component);
    lines.push(`### ${title} (${groupCounts(g)})`, "");
    const ordered = [...g.changed].sort(
      (a, b) => Number(b.replacement) - Number(a.replacement) || a.key.localeCompare(b.key),
    );
    for (const c of ordered) {
      lines.push(c.replacement ? `- **replaced ${code(c.key)}**` : `- changed ${code(c.key)}`);
      lines.push(...c.fields.map((f) => fieldLine(f, max)));
    }
    for (const r of g.added) lines.push(`- added ${code(r.key)}`);
    for (const r of g.removed) lines.push(`- removed ${code(r.key)}`);
    lines.push("");
  }
  return truncate(
    `${lines.join("\n").trimEnd()}\n`,
    options.maxChars,
    (n) =>
      `\n\n_… truncated: the full diff has ${n} characters; see the workflow's synth-diff artifact._\n`,
  );
}
