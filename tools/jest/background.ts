// Child processes jest's global setup starts in band once its synths are made, each for the one
// test that reads it, which the sequencer runs last: they run beside the other suites instead of
// holding up jest. Out of band (or without the global setup) the test starts its own.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ROOT } from "../../synth/stack-files";
import { cliStart } from "../run/cli-start";
import { type Ran, runProcess } from "../run/processes";

/** prod2: its config reaches the most of the program (Fargate, pod security groups, peers). */
export const BACKGROUND_STACK = "prod2";

/**
 * prod, the stack `pulumi preview` runs on today. The CLI's start (stack traces with source maps
 * per resource) costs about twice the synth's per resource, so the smaller stack proves the path.
 */
export const CLI_STACK = "prod";

/** The run's output file, when it writes one. */
export type BackgroundRun = Ran & { out?: string };

/** By the test file that reads it. */
export const BACKGROUND: Record<string, () => Promise<BackgroundRun>> = {
  /** The program started as the Pulumi CLI starts it (tools/run/cli-start.ts), caches as it has. */
  "pulumi-runtime.test.ts": () => {
    const start = cliStart(ROOT, CLI_STACK);
    return runProcess(process.execPath, start.args, start.cwd, {
      PATH: process.env.PATH,
      ...start.env,
    });
  },
  /** The modules the synth's loading leaves deferred, with the deferral and without: two lines. */
  "fast-load.test.ts": async () => {
    const load = (mode: string) =>
      runProcess(
        process.execPath,
        ["--require", "./tools/run/register.cjs", "test/fixtures/deferred-loads.cjs", mode],
        ROOT,
      );
    const runs = await Promise.all([load("defer"), load("plain")]);
    return {
      code: Math.max(...runs.map((r) => r.code)),
      stdout: runs.map((r) => r.stdout).join(""),
      stderr: runs.map((r) => r.stderr).join(""),
    };
  },
  /** A consumer's program on mocks that echo the inputs: which outputs it misses. */
  "provider-outputs.test.ts": () =>
    runProcess(
      process.execPath,
      ["--require", "./tools/run/register.cjs", "test/fixtures/echo-mocks.cjs"],
      ROOT,
    ),
  /** The README's `npm run synth -- prod2 --out <file>`, as npm runs it, in a process of its own. */
  "synth.test.ts": async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "eks-readme-synth-")), "prod2.json");
    const args = ["--require", "./tools/run/register.cjs", "tools/synth/main.ts"];
    return {
      ...(await runProcess(process.execPath, [...args, BACKGROUND_STACK, "--out", out], ROOT)),
      out,
    };
  },
};

/** Set by the sequencer: the BACKGROUND tests of this run, comma-separated. */
export const BACKGROUND_WANTED = "EKS_BLUEPRINT_BACKGROUND";

const started = new Map<string, Promise<BackgroundRun>>();

/** The run for `test`, started on the first call. Never rejects: a failed start is exit 127. */
export function backgroundRun(test: string): Promise<BackgroundRun> {
  const run = BACKGROUND[test];
  if (!run) throw new Error(`tools/jest/background.ts: no background run for ${test}`);
  if (!started.has(test)) {
    const failed = (e: unknown): BackgroundRun => ({ code: 127, stdout: "", stderr: String(e) });
    started.set(test, Promise.resolve().then(run).catch(failed));
  }
  return started.get(test) as Promise<BackgroundRun>;
}
