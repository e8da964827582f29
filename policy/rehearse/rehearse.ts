import { diffSynth } from "../../synth/diff";
import { recordKey } from "../../synth/record";
import { ResourceGraph } from "./graph";
import { matchToHead } from "./identity";
import { errorCount, renderFindings, severityOf } from "../findings";
import type { Finding, Phase, RehearsalInput, Rule } from "./types";

export interface RehearsalReport {
  stack: string;
  phases: Phase[];
  /** Cloud resources in the order the engine may create them (or delete them, for a destroy). */
  order: string[];
  /** The rules that ran, so the report can cite each one's source. */
  rules: Rule[];
  findings: Finding[];
  /** With a base: what `pulumi up` would do to each resource. */
  update?: UpdateSummary;
}

export interface UpdateSummary {
  created: string[];
  /** New to the state, read from the cloud by their `import` id instead of created. */
  imported: string[];
  updated: string[];
  /** Deleted and created again: a replacement-forcing field or a new parent without an alias. */
  replaced: string[];
  deleted: string[];
}

/** A move with an alias to the old name is an update in place; without one, a delete and create. */
export function updateSummary(
  stack: string,
  base: RehearsalInput["head"],
  head: RehearsalInput["head"],
): UpdateSummary {
  // A read (`.get`) is never created, updated or deleted; a managed resource read from now on is
  // let go of, or deleted when the ids differ (synth/diff.ts, READ_FIELD).
  const renamed = matchToHead(base, head).filter((r) => !r.read);
  const before = new Set(renamed.map(recordKey));
  const after = head.filter((r) => !r.read || before.has(recordKey(r)));
  const diff = diffSynth({ stack, resources: renamed }, { stack, resources: after });
  const imported = new Set(after.filter((r) => r.import).map(recordKey));
  return {
    created: diff.added.map((r) => r.key).filter((k) => !imported.has(k)),
    imported: diff.added.map((r) => r.key).filter((k) => imported.has(k)),
    updated: diff.changed.filter((c) => !c.replacement).map((c) => c.key),
    replaced: diff.changed.filter((c) => c.replacement).map((c) => c.key),
    deleted: diff.removed.map((r) => r.key),
  };
}

/** config and create always, update with a base, destroy on request. */
export function phasesOf(input: Pick<RehearsalInput, "base" | "destroy">): Phase[] {
  return [
    "config",
    "create",
    ...(input.base ? (["update"] as const) : []),
    ...(input.destroy ? (["destroy"] as const) : []),
  ];
}

/** Runs every rule of the rehearsed phases; a rule that throws is itself a blocker, never a pass. */
export function rehearse(input: RehearsalInput, rules: readonly Rule[]): RehearsalReport {
  const phases = phasesOf(input);
  const active = rules.filter((r) => phases.includes(r.phase));
  const findings: Finding[] = [];
  for (const rule of active) {
    try {
      findings.push(...rule.check(input));
    } catch (e) {
      findings.push({
        rule: rule.id,
        subject: "",
        message: `the rule could not run: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  const graph = new ResourceGraph(input.head);
  return {
    stack: input.stack,
    phases,
    order: input.destroy ? graph.deleteOrder() : graph.createOrder(),
    rules: active,
    findings,
    ...(input.base ? { update: updateSummary(input.stack, input.base, input.head) } : {}),
  };
}

/** For a terminal or a PR comment: Markdown that reads as text. */
export function formatReport(report: RehearsalReport, opts: { order?: boolean } = {}): string {
  const lines: string[] = [];
  const verb = report.phases.includes("destroy") ? "delete" : "create";
  lines.push(`rehearsal of ${report.stack}: ${report.phases.join(", ")}`);
  if (opts.order !== false) {
    lines.push("", `${verb} order (${report.order.length} resources):`);
    report.order.forEach((key, i) => lines.push(`${String(i + 1).padStart(4)}. ${key}`));
  }
  if (report.update) {
    const u = report.update;
    lines.push(
      "",
      `update: ${u.created.length} created, ${u.imported.length} imported, ${u.updated.length} updated in place, ${u.replaced.length} replaced, ${u.deleted.length} deleted`,
      ...u.imported.map((k) => `  imported: ${k}`),
      ...u.replaced.map((k) => `  replaced: ${k}`),
      ...u.deleted.map((k) => `  deleted: ${k}`),
    );
  }
  const info = report.rules.map((r) => ({ ...r, notes: [`smoke check: ${r.smokeCheck}`] }));
  const rendered = renderFindings(report.findings, info);
  if (rendered.length) lines.push("", ...rendered);
  const n = errorCount(report.findings);
  const warned = report.findings.length - n;
  const broken = new Set(
    report.findings.filter((f) => severityOf(f) === "error").map((f) => f.rule),
  ).size;
  const warnings = warned > 0 ? `, ${warned} warning${warned === 1 ? "" : "s"}` : "";
  lines.push(
    "",
    `${n} blocker${n === 1 ? "" : "s"}${warnings} (${report.rules.length} rules: ${report.rules.length - broken} passed)`,
  );
  return lines.join("\n");
}
