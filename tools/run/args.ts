// Every tool's command line, read one way: a flag it does not know is refused, naming the ones it
// does (`--outt x.json` would otherwise run without writing the file), before anything runs.
import { existsSync } from "node:fs";
import * as path from "node:path";
import { noStackFile, stackNames } from "../../stacks/stack-names";

export interface CliSpec {
  /** The usage line, `usage: npm run synth -- <stack> [--out <file.json>]`. */
  usage: string;
  /** Flags that take a value (`--out <file>` or `--out=<file>`). @default none */
  values?: readonly string[];
  /** Flags that take none (`--destroy`). @default none */
  switches?: readonly string[];
  /** How many arguments that are not flags, at least and at most. @default [0, 0] */
  positionals?: readonly [number, number];
}

/** A command line the tool cannot run: print the message (no stack trace) and exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface Args {
  positionals: string[];
  /** A value flag's value, if given. */
  value(flag: string): string | undefined;
  /** Whether a switch was given. */
  has(flag: string): boolean;
}

/** The flags a spec takes, as the refusal lists them. */
const flagList = (spec: CliSpec): string[] => [...(spec.values ?? []), ...(spec.switches ?? [])];

/** How many characters two flags share after their dashes, from the start. */
function sharedStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n - Math.min(n, /^-*/.exec(a)?.[0].length ?? 0);
}

function unknownFlag(spec: CliSpec, flag: string): UsageError {
  const known = flagList(spec);
  const near = known.find((k) => sharedStart(flag, k) >= 3);
  const hint = near ? ` (did you mean ${near}?)` : "";
  const valid = known.length > 0 ? `valid flags: ${known.join(", ")}` : "it takes no flags";
  return new UsageError(`unknown flag ${flag}${hint}; ${valid}\n${spec.usage}`);
}

/** Reads `argv` against `spec`; throws a UsageError for an unknown flag or a wrong count. */
export function parseArgs(argv: readonly string[], spec: CliSpec): Args {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.values?.includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!value || (eq < 0 && value.startsWith("--"))) {
        throw new UsageError(`${flag}: needs a value\n${spec.usage}`);
      }
      values.set(flag, value);
    } else if (spec.switches?.includes(flag) && eq < 0) {
      switches.add(flag);
    } else {
      throw unknownFlag(spec, flag);
    }
  }
  const [min, max] = spec.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) throw new UsageError(spec.usage);
  return { positionals, value: (f) => values.get(f), has: (f) => switches.has(f) };
}

/**
 * `file`, when it exists; else an error saying which file is missing and how to make it (`make`,
 * such as "make it with `npm run synth -- prod2 --out out/main-prod2.json`").
 */
export function inputFile(file: string, what: string, make: string): string {
  if (!existsSync(file)) throw new UsageError(`${shown(file)}: no such file (${what}); ${make}`);
  return file;
}

/** A file's name as the user would type it here: relative to the working directory. */
const shown = (file: string) => path.relative(process.cwd(), file) || file;

/** Refuses `stack` when `root` has no `Pulumi.<stack>.yaml`: a stack is its config file. */
export function stackFile(root: string, stack: string): void {
  const stacks = stackNames(root);
  if (!stacks.includes(stack)) throw new UsageError(noStackFile(stack, stacks));
}

/**
 * Runs a tool's `main` with its arguments, synchronously up to its first await (the synth's
 * requires rely on it): its exit code; a thrown error as its message alone, no stack trace (2 for
 * a usage error, 1 otherwise). `done` ends the process with the code.
 */
export function runMain(
  main: (argv: string[]) => number | Promise<number>,
  done: (code: number) => void = (code) => void (process.exitCode = code),
): void {
  const fail = (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    done(err instanceof UsageError ? err.exitCode : 1);
  };
  try {
    Promise.resolve(main(process.argv.slice(2))).then(done, fail);
  } catch (err) {
    fail(err);
  }
}
