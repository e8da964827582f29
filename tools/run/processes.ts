// Child processes the tools run and wait for: their exit code and output, a few at a time.
import { spawn } from "node:child_process";

/** A finished command: its exit code (127: it could not start) and what it printed. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without npm_*: ours would leak into a nested npm and make it act on the root. */
export const withoutNpm = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));

/** `command args` in `cwd`; never rejects. */
export function runProcess(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = withoutNpm(process.env),
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The last lines of what a failed run printed, errors first. */
export const tail = (r: Ran): string =>
  (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-15).join("\n");

/** Runs the tasks `limit` at a time (two cores: each a Node process loading @pulumi/*). */
export async function inParallel<T>(tasks: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
