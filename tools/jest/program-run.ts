// The program started as the Pulumi CLI starts it (tools/run/cli-start.ts), for
// test/pulumi-runtime.test.ts. In band, jest's global setup starts it once it is done, so the child
// runs beside the other suites (the sequencer runs that test last) instead of holding up jest.
import { spawn } from "node:child_process";
import { ROOT } from "../../synth/stack-files";
import { cliStart } from "../run/cli-start";

/** prod, the smaller committed stack: the start path is the same for every stack. */
export const CLI_STACK = "prod";

/** How the run ended: its exit status and output. */
export interface ProgramRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

let started: Promise<ProgramRun> | undefined;

/**
 * The run, started on the first call, in the clone's own caches (node_modules/.cache/eks-blueprint)
 * as `pulumi preview` uses them. Never rejects: a failed spawn is a null status and its message.
 */
export function programRun(): Promise<ProgramRun> {
  return (started ??= new Promise((resolve) => {
    const start = cliStart(ROOT, CLI_STACK);
    const env = { PATH: process.env.PATH, ...start.env };
    const child = spawn(process.execPath, start.args, { cwd: start.cwd, env });
    const run: ProgramRun = { status: null, stdout: "", stderr: "" };
    child.stdout.on("data", (d: Buffer) => (run.stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (run.stderr += d.toString()));
    child.on("error", (e) => resolve({ ...run, stderr: `${run.stderr}${e.message}` }));
    child.on("close", (status) => resolve({ ...run, status }));
  }));
}
