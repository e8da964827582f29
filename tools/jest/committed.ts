// The committed stacks' synths, made once per jest run (global-setup.cjs) for test/stack-harness.ts,
// with `npm run synth`'s policy checks: a mandatory violation stops the run here, reported as the
// synth reports it (test/synth.test.ts runs the README's command itself).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stackNames } from "../../stacks/stack-names";
import { synthStack } from "../../synth/synth-stack";
import type { SynthResult } from "../../synth/record";
import { errorCount } from "../../policy/findings";
import { evaluatePolicies, formatViolations, isProductionStack } from "../../policy/rules";

const DIR_VARIABLE = "EKS_BLUEPRINT_COMMITTED_SYNTHS";

/** Synthesizes every committed stack into a new directory and names it in the environment. */
export async function writeCommittedSynths(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "eks-blueprint-jest-"));
  const failed: string[] = [];
  for (const stack of stackNames()) {
    const result = await synthStack(stack);
    const violations = evaluatePolicies(result, { stack, production: isProductionStack(stack) });
    if (errorCount(violations) > 0) failed.push(`${stack}:\n${formatViolations(violations)}`);
    writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(result));
  }
  if (failed.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mandatory policy violations (npm run synth):\n${failed.join("\n")}`);
  }
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
