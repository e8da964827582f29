// The cost of a migration's phases (docs/migration.md): the stack in service and its replacement
// side by side, then the replacement alone. A phase's figure is the two estimates' totals at the
// sizes that phase runs them; a line item missing a price is counted, never guessed.
import type { Estimate, Sizes } from "./estimate";
import { dollars } from "./markdown";

export interface Phase {
  name: string;
  /** The runbook's steps it spans. */
  steps: string;
  /** Each stack's size during the phase, or absent when the stack is gone. */
  old?: keyof Sizes;
  next?: keyof Sizes;
  why: string;
}

// The autoscaler keeps a cluster without load at its minimum and grows one under load toward its
// maximum; desired is what a group starts at and what the config expects under today's load.
const PHASES: readonly Phase[] = [
  {
    name: "Both clusters up",
    steps: "1–2",
    old: "desired",
    next: "min",
    why: "the replacement runs no workload and has weight 0, so its groups stay at their minimum",
  },
  {
    name: "Weights moving",
    steps: "3–7",
    old: "desired",
    next: "desired",
    why: "both run the workloads; each at its desired size (the old one shrinks toward its minimum as its weight falls)",
  },
  {
    name: "The old cluster gone",
    steps: "8 on",
    next: "desired",
    why: "the replacement alone, at its desired size",
  },
];

interface PhaseCost {
  phase: Phase;
  monthly: number;
  /** Line items of the stacks up in the phase that have no price, left out of `monthly`. */
  missing: number;
}

export function phaseCosts(old: Estimate, next: Estimate): PhaseCost[] {
  return PHASES.map((phase) => {
    const up = [
      ...(phase.old ? [{ e: old, size: phase.old }] : []),
      ...(phase.next ? [{ e: next, size: phase.next }] : []),
    ];
    return {
      phase,
      monthly: up.reduce((sum, { e, size }) => sum + e.total[size], 0),
      missing: up.reduce((sum, { e }) => sum + e.missing, 0),
    };
  });
}

/** The phases as a Markdown table, ending in a newline. */
export function renderPhases(old: Estimate, next: Estimate): string {
  const side = (e: Estimate, size: keyof Sizes | undefined) =>
    size ? `${dollars(e.total[size])} (${size})` : "—";
  return [
    `| Phase (runbook steps) | ${old.stack} | ${next.stack} | Monthly | Line items without a price |`,
    "| --- | --- | --- | --- | --- |",
    ...phaseCosts(old, next).map(
      ({ phase, monthly, missing }) =>
        `| ${phase.name} (${phase.steps}): ${phase.why} | ${side(old, phase.old)} | ${side(next, phase.next)} | **${dollars(monthly)}** | ${missing} |`,
    ),
    "",
  ].join("\n");
}
