import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { workflowFiles } from "../workflows/lint";
import { ROOT } from "../../synth/stack-files";
import { synthStack } from "../../synth/synth-stack";
import { SynthError } from "../../synth/synthesize";
import type { SynthRecord } from "../../synth/record";
import { rehearse, RehearsalReport } from "../../policy/rehearse/rehearse";
import { allRules } from "../../policy/rehearse/rules";
import type { ProjectFile, RehearsalInput, Rule } from "../../policy/rehearse/types";

/** `Pulumi.yaml` and the `config:` map of `Pulumi.<stack>.yaml`, as the CLI reads them. */
export function readRehearsalFiles(stack: string, dir: string = ROOT) {
  const project = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as ProjectFile;
  const file = parse(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as {
    config?: Record<string, unknown>;
  } | null;
  return { project, stackConfig: file?.config ?? {}, workflows: workflowFiles(dir) };
}

/** Records from a synth JSON file; files written before dependencies were recorded have none. */
export const asRecords = (resources: readonly unknown[]): SynthRecord[] =>
  resources.map((r) => {
    const record = r as SynthRecord;
    return { ...record, dependsOn: record.dependsOn ?? [] };
  });

/**
 * Rehearses a committed stack: its files, its synth under the shared mocks and every rule. A
 * program that refuses its config registers nothing; the config rules then say why.
 */
export async function rehearseStack(
  stack: string,
  opts: {
    base?: readonly unknown[];
    destroy?: boolean;
    dir?: string;
    rules?: Rule[];
    /** This stack's synth, when one is already made from the same files. */
    head?: SynthRecord[];
  } = {},
): Promise<RehearsalReport & { input: RehearsalInput }> {
  const { project, stackConfig, workflows } = readRehearsalFiles(stack, opts.dir);
  let head = opts.head;
  if (!head) {
    try {
      head = (await synthStack(stack, opts.dir)).resources;
    } catch (e) {
      if (!(e instanceof SynthError)) throw e;
      head = e.resources;
    }
  }
  const input: RehearsalInput = {
    stack,
    project,
    stackConfig,
    workflows,
    head,
    ...(opts.base ? { base: asRecords(opts.base) } : {}),
    destroy: opts.destroy ?? false,
  };
  return { ...rehearse(input, opts.rules ?? allRules), input };
}
