import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CASES, parseArgs } from "../tools/bench/cases";

// tools/bench/cases.ts: the bench measures the commands people type (issue 15).
const root = path.join(__dirname, "..");
const byKey = (key: string) => CASES.find((c) => c.key === key);

test("the README synth case is the README's command, run through npm", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  expect(readme).toContain("npm run synth -- prod2");
  expect(byKey("readmeSynth")).toMatchObject({
    command: "npm",
    args: ["run", "synth", "--", "prod2"],
  });
});

test("the bare synth it is held against is the compiled program, without npm", () => {
  expect(byKey("prod2")).toMatchObject({ args: ["dist/tools/synth/main.js", "prod2"] });
  expect(byKey("prod2")?.command).toBeUndefined();
});

test("the preview start loads Pulumi.yaml's nodeargs, then the mock engine, then the run script", () => {
  const args = byKey("previewWarm")?.args ?? [];
  expect(args.slice(0, 4)).toEqual([
    "--enable-source-maps",
    "--require",
    "./tools/run/register.cjs",
    "--require",
  ]);
  expect(path.relative(root, args[4])).toBe(path.join("tools", "run", "mock-engine.ts"));
  expect(args.slice(-4)).toEqual(["--pwd", root, "--dry-run", "index.ts"]);
});

test("the first preview start gets empty caches on every run", () => {
  const env = byKey("previewFirst")?.env;
  expect(typeof env).toBe("function");
  const [a, b] = [1, 2].map(() => (env as () => Record<string, string>)());
  expect(a.EKS_BLUEPRINT_TS_CACHE).not.toBe(b.EKS_BLUEPRINT_TS_CACHE);
  expect(a.EKS_BLUEPRINT_COMPILE_CACHE).not.toBe(b.EKS_BLUEPRINT_COMPILE_CACHE);
});

test.each([
  ["nothing", [], 3],
  ["--test-runs 5", ["--test-runs", "5"], 5],
  ["--no-tests", ["--no-tests"], 0],
])("with %s the bench runs npm test that many times", (_, argv, testRuns) => {
  expect(parseArgs(argv).testRuns).toBe(testRuns);
});

test.each([
  ["--runs", ["--runs", "0"], "--runs: not an integer of at least 1 (got 0)"],
  ["--test-runs", ["--test-runs", "x"], "--test-runs: not an integer of at least 0 (got x)"],
])("a bad %s is refused", (_, argv, message) => {
  expect(() => parseArgs(argv)).toThrow(message);
});
