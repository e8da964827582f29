import type { CoexistStack } from "../policy/coexist/records";
import { isolationMatrix, type IsolationMatrix } from "../policy/coexist/isolation";
import { composeStack } from "../stacks";
import { coexistStack } from "../tools/coexist/main";
import { committedSynth } from "../tools/jest/committed";
import { flattenConfig, readStackConfig, ROOT } from "../synth/stack-files";
import { SynthError, synthesize } from "../synth/synthesize";
import type { SynthRecord, SynthResult } from "../synth/record";
import { stackFileConfig } from "./stack-suites";

export type RawConfig = Record<string, unknown>;

export { committedSynth };

let matrix: Promise<IsolationMatrix> | undefined;
/** The committed prod × prod2 isolation matrix, computed once per run (tests only read it). */
export const committedMatrix = (): Promise<IsolationMatrix> =>
  (matrix ??= isolationMatrix(committedSide("prod"), committedSide("prod2")));

/** One side of the coexistence check from a committed stack as it is. */
export function committedSide(stack: string): CoexistStack {
  return coexistStack(stack, readStackConfig(stack).config, committedSynth(stack));
}

/** One side of the coexistence check from a committed stack's config changed by `mutate`. */
export async function coexistSide(
  stack: string,
  mutate: (c: RawConfig) => void,
): Promise<CoexistStack> {
  const config = committedConfig(stack);
  mutate(config);
  return coexistStack(stack, flattenConfig(config).config, await synthStackWith(stack, mutate));
}

const parsedConfigs = new Map<string, RawConfig>();

/** The committed `Pulumi.<stack>.yaml` config, as a mutable object (a copy: parsed once a file). */
export function committedConfig(stack: string): RawConfig {
  if (!parsedConfigs.has(stack)) parsedConfigs.set(stack, stackFileConfig(stack, ROOT));
  return structuredClone(parsedConfigs.get(stack) as RawConfig);
}

/** Synthesizes a stack's real composition with its committed config, changed by `mutate`. */
export async function synthStackWith(
  stack: string,
  mutate: (config: RawConfig) => void = () => undefined,
  compositionStack: string = stack,
): Promise<SynthResult> {
  const config = committedConfig(compositionStack);
  mutate(config);
  return synthesize({ project: "eks-blueprint", stack, ...flattenConfig(config) }, () =>
    composeStack(compositionStack),
  );
}

/** Runs a config expected to be rejected; returns the error message and what got registered. */
export async function rejectedConfig(
  stack: string,
  mutate: (config: RawConfig) => void,
): Promise<{ message: string; registered: SynthRecord[] }> {
  try {
    await synthStackWith(stack, mutate);
  } catch (e) {
    if (e instanceof SynthError) return { message: e.message, registered: e.resources };
    throw e;
  }
  throw new Error("config was accepted");
}

export { byType, one } from "./day2-context";
