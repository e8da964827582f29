// The committed stacks' synths, made once per jest run (global-setup.cjs) for test/stack-harness.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stackNames } from "../../stacks/stack-names";
import { synthStack } from "../../synth/synth-stack";
import type { SynthResult } from "../../synth/record";

const DIR_VARIABLE = "EKS_BLUEPRINT_COMMITTED_SYNTHS";

/** Synthesizes every committed stack into a new directory and names it in the environment. */
export async function writeCommittedSynths(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "eks-blueprint-jest-"));
  for (const stack of stackNames())
    writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(await synthStack(stack)));
  process.env[DIR_VARIABLE] = dir;
}

/** Removes what {@link writeCommittedSynths} wrote. */
export function removeCommittedSynths(): void {
  const dir = process.env[DIR_VARIABLE];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** The committed stack's synth, a fresh copy on every call (a test may change it). */
export function committedSynth(stack: string): SynthResult {
  const dir = process.env[DIR_VARIABLE];
  if (!dir) {
    throw new Error(
      `${DIR_VARIABLE} is not set: the committed synths are written by jest's globalSetup (package.json "jest", tools/jest/global-setup.cjs)`,
    );
  }
  return JSON.parse(readFileSync(path.join(dir, `${stack}.json`), "utf8")) as SynthResult;
}
