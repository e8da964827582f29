import { workflowFiles } from "../workflows/lint";
import { stackNames } from "../../stacks/stack-names";
import { readStackFiles, ROOT } from "../../synth/stack-files";
import { synthStack } from "../../synth/synth-stack";
import { SynthError } from "../../synth/synthesize";
import type { SynthRecord } from "../../synth/record";
import { rehearse, RehearsalReport } from "../../policy/rehearse/rehearse";
import { allRules } from "../../policy/rehearse/rules";
import type { ProjectFile, RehearsalInput, Rule } from "../../policy/rehearse/types";

/** Records from a synth JSON file; older files lack `dependsOn`. */
export const asRecords = (resources: readonly unknown[]): SynthRecord[] =>
  (resources as readonly SynthRecord[]).map((r) => ({ ...r, dependsOn: r.dependsOn ?? [] }));

/** Rehearses a stack of `dir`: files, mocked synth and every rule (which explain bad config). */
export async function rehearseStack(
  stack: string,
  opts: {
    base?: readonly unknown[];
    /** What each base release rendered: only the deployed state holds it (`--base-state`). */
    baseRendered?: RehearsalInput["baseRendered"];
    destroy?: boolean;
    dir?: string;
    rules?: Rule[];
    /** This stack's synth, when one is already made from the same files. */
    head?: SynthRecord[];
  } = {},
): Promise<RehearsalReport & { input: RehearsalInput }> {
  const { project, config: stackConfig } = readStackFiles<ProjectFile>(stack, opts.dir);
  const head =
    opts.head ??
    (await synthStack(stack, opts.dir).then(
      (r) => r.resources,
      (e: unknown) => (e instanceof SynthError ? e.resources : Promise.reject<never>(e)),
    ));
  const input: RehearsalInput = {
    stack,
    project,
    stackConfig,
    stacks: stackNames(opts.dir),
    workflows: workflowFiles(opts.dir ?? ROOT),
    head,
    ...(opts.base ? { base: asRecords(opts.base) } : {}),
    ...(opts.baseRendered ? { baseRendered: opts.baseRendered } : {}),
    destroy: opts.destroy ?? false,
  };
  return { ...rehearse(input, opts.rules ?? allRules), input };
}
