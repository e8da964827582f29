// What a program prints while `run` runs: console.log and console.error lines, captured, and
// the console restored even when `run` throws (in band, jest reports through this console).
export function printed(run: () => void): { logs: string[]; errors: string[] } {
  const out = { logs: [] as string[], errors: [] as string[] };
  const capture = (lines: string[]) => (m: unknown) => void lines.push(String(m));
  const log = jest.spyOn(console, "log").mockImplementation(capture(out.logs));
  const err = jest.spyOn(console, "error").mockImplementation(capture(out.errors));
  try {
    run();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return out;
}
