import { existsSync } from "node:fs";
import * as path from "node:path";
import { LANES } from "../tools/test/steps";

// tools/test/steps.ts: `npm test` got faster without dropping a check (issue 15).
const root = path.join(__dirname, "..");
const steps = LANES.flat();

test("npm test runs every check the sequential chain ran, and the library build", () => {
  expect(steps.map((s) => s.label).sort()).toEqual([
    "build the library (tsc)",
    "coexist prod prod2",
    "consumer check",
    "eslint",
    "jest",
    "prettier",
    "rehearse prod",
    "rehearse prod2",
    "synth prod",
    "synth prod2",
    "type check (tsgo)",
    "workflow lint",
  ]);
});

test("jest has a lane of its own, beside everything else", () => {
  expect(LANES.map((lane) => lane.map((s) => s.label).includes("jest"))).toEqual([true, false]);
  expect(LANES[0]).toHaveLength(1);
});

test("the consumer check runs only after the build it packs, in the same lane", () => {
  const lane = LANES.find((l) => l.some((s) => s.label === "consumer check")) ?? [];
  const labels = lane.map((s) => s.label);
  expect(steps.find((s) => s.label === "consumer check")?.needs).toBe("build the library (tsc)");
  expect(labels.indexOf("build the library (tsc)")).toBeLessThan(labels.indexOf("consumer check"));
});

test.each(steps.filter((s) => s.command === "node").map((s) => [s.label, s.args[2]]))(
  "%s runs a source file that exists (%s)",
  (_, file) => {
    expect(existsSync(path.join(root, file))).toBe(true);
  },
);

test("eslint and prettier keep content-keyed caches under node_modules/.cache", () => {
  const args = (label: string) => steps.find((s) => s.label === label)?.args.join(" ");
  expect(args("eslint")).toBe(
    "--cache --cache-strategy content --cache-location node_modules/.cache/eslint/ .",
  );
  expect(args("prettier")).toBe(
    "--check --cache --cache-strategy content --cache-location node_modules/.cache/prettier/cache.json .",
  );
});
