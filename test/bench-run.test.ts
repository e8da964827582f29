import { section } from "../tools/bench/run";

// tools/bench/run.ts: a bench takes minutes, so each section says when it starts and ends (issue 24).
test("a section prints a line as it starts and one with its time and figure as it ends", () => {
  const lines: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
  try {
    const result = section(
      "scaling",
      () => 42,
      (n) => `${n} ms per extra cluster`,
    );
    expect(result).toBe(42);
  } finally {
    log.mockRestore();
  }
  expect(lines).toEqual([
    "bench: scaling …",
    expect.stringMatching(/^bench: scaling: \d+\.\d s, 42 ms per extra cluster$/),
  ]);
});
