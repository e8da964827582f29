// What mock-engine.ts reads and prints, apart from the preload so tests and bench can use it.
import type { Registration } from "../../synth/mocks";

/** The line the mock engine prints last: `MOCK-ENGINE {"resources":<n>}`. */
export const REPORT_PREFIX = "MOCK-ENGINE ";

/** The value of `--<flag> <value>` among the run script's arguments. */
export function flagValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(`--${flag}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Registrations that are the program's resources: all but the stack the run script creates. */
export const programResources = (records: readonly Pick<Registration, "type">[]): number =>
  records.filter((r) => r.type !== "pulumi:pulumi:Stack").length;

export const reportLine = (records: Registration[]): string =>
  `${REPORT_PREFIX}${JSON.stringify({ resources: programResources(records) })}`;

/** The JSON after `prefix` on the last line of `stdout` starting with it; throws if none does. */
export function lastReport<T>(stdout: string, prefix: string): T {
  const line = [...stdout.split("\n")].reverse().find((l) => l.startsWith(prefix));
  if (!line)
    throw new Error(`the program printed no ${prefix.trim()} line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(prefix.length)) as T;
}

/** The resource count from a run's stdout; throws when the run printed no report. */
export const parseReport = (stdout: string): number =>
  lastReport<{ resources: number }>(stdout, REPORT_PREFIX).resources;
