import { section } from "../tools/bench/run";
import { printed } from "./printed";

// tools/bench/run.ts: a bench takes minutes, so each section says when it starts and ends (issue 24).
test("a section prints a line as it starts and one with its time and figure as it ends", () => {
  const { logs: lines } = printed(() =>
    expect(
      section(
        "scaling",
        () => 42,
        (n) => `${n} ms per extra cluster`,
      ),
    ).toBe(42),
  );
  expect(lines).toEqual([
    "bench: scaling …",
    expect.stringMatching(/^bench: scaling: \d+\.\d s, 42 ms per extra cluster$/),
  ]);
});
