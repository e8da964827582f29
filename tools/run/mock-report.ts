// What tools/run/mock-engine.ts reads from the run script's arguments and prints at exit, apart
// from the preload itself so that tests and the bench can use it without installing the mocks.
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

/** The resource count from a run's stdout; throws when the run printed no report. */
export function parseReport(stdout: string): number {
  const line = stdout.split("\n").find((l) => l.startsWith(REPORT_PREFIX));
  if (!line)
    throw new Error(`the program printed no ${REPORT_PREFIX.trim()} line:\n${stdout.slice(-2000)}`);
  return (JSON.parse(line.slice(REPORT_PREFIX.length)) as { resources: number }).resources;
}
