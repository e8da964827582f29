/** An error stops the program that found it; a warning is reported. */
export type Severity = "error" | "warning";

/** What a check found: policy rules, deploy rehearsal, coexistence check and workflow lint. */
export interface Finding {
  rule: string;
  /** What it is about: `type::name`, a config key, `file:line:column`, or a stack's side of a pair. */
  subject: string;
  /** For a check of two stacks, the second stack's side. @default none */
  other?: string;
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
  /** @default "error" */
  severity?: Severity;
}

export interface RuleInfo {
  id: string;
  /** What must hold, in one line. */
  title: string;
  /** A documentation URL or an upstream file. */
  source?: string;
  /** More lines shown under the rule (the rehearsal's smoke check). @default none */
  notes?: string[];
}

export const severityOf = (f: Finding): Severity => f.severity ?? "error";
export const errorCount = (findings: readonly Finding[]) =>
  findings.filter((f) => severityOf(f) === "error").length;

const bySubject = (a: Finding, b: Finding) =>
  a.subject.localeCompare(b.subject) || a.message.localeCompare(b.message);

/**
 * Findings by rule, errors first, then in the order of `rules`: its title and source, one line per
 * finding. `sides` names the two stacks of a pairwise check.
 */
export function renderFindings(
  findings: readonly Finding[],
  rules: readonly RuleInfo[],
  sides?: [string, string],
): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.rule, [...(groups.get(f.rule) ?? []), f]);
  const rank = (id: string) => rules.findIndex((r) => r.id === id);
  const order = [...groups.keys()].sort(
    (a, b) =>
      Number(groups.get(a)?.some((f) => severityOf(f) === "error") !== true) -
        Number(groups.get(b)?.some((f) => severityOf(f) === "error") !== true) ||
      rank(a) - rank(b) ||
      a.localeCompare(b),
  );
  return order.flatMap((id, i) => {
    const found = [...(groups.get(id) ?? [])].sort(bySubject);
    const rule = rules.find((r) => r.id === id);
    const what = (f: Finding) =>
      sides && f.other !== undefined
        ? `${sides[0]}: ${f.subject || "-"}; ${sides[1]}: ${f.other || "-"}`
        : f.subject;
    return [
      ...(i > 0 ? [""] : []),
      `[${severityOf(found[0])}] ${id}: ${rule?.title ?? ""}`.trimEnd(),
      ...(rule?.source ? [`  source: ${rule.source}`] : []),
      ...(rule?.notes ?? []).map((n) => `  ${n}`),
      ...found.map((f) => `  - ${what(f) ? `${what(f)}: ` : ""}${f.message}`),
    ];
  });
}
