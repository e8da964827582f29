import * as path from "node:path";
import { nodeRuntime, splitNodeargs } from "../tools/run/cli-start";
import { CLI_STACK, backgroundRun } from "../tools/jest/background";
import { flagValue, parseReport, programResources } from "../tools/run/mock-report";
import { committedSynth } from "./stack-harness";

// `pulumi preview` runs the TypeScript sources through the runtime options in Pulumi.yaml, with
// no build step (issue 15). Here the program starts exactly that way, with the shared mocks
// preloaded in place of the engine, and must register what the offline synth records.
const root = path.join(__dirname, "..");

test("Pulumi.yaml runs index.ts through tools/run/register.cjs, with ts-node off", () => {
  expect(nodeRuntime(root)).toEqual({
    main: "index.ts",
    nodeargs: "--enable-source-maps --require ./tools/run/register.cjs",
    typescript: false,
  });
});

test.each([
  ["--require ./tools/run/register.cjs", ["--require", "./tools/run/register.cjs"]],
  ["  --max-old-space-size=4096\t-r x ", ["--max-old-space-size=4096", "-r", "x"]],
  ["", []],
])("nodeargs %j splits into %j", (nodeargs, words) => {
  expect(splitNodeargs(nodeargs)).toEqual(words);
});

test("nodeargs with quotes is refused rather than split unlike the language host", () => {
  expect(() => splitNodeargs(`--title "a b"`)).toThrow(
    'Pulumi.yaml runtime.options.nodeargs: quotes and escapes are not handled here (got "--title \\"a b\\""); use plain words',
  );
});

test.each([
  ["given", ["run.js", "--project", "p", "--stack", "prod2"], "prod2"],
  ["absent", ["run.js", "--project", "p"], undefined],
])("the mock engine reads --stack when it is %s", (_, argv, value) => {
  expect(flagValue(argv, "stack")).toBe(value);
});

test("the stack the run script registers is not counted as a program resource", () => {
  const r = (type: string) => ({ type, name: "n", custom: true, inputs: {} });
  expect(programResources([r("pulumi:pulumi:Stack"), r("aws:s3/bucket:Bucket")])).toBe(1);
});

test("the program started as the Pulumi CLI starts it registers the synth's resources", async () => {
  // Started by jest's global setup in band (tools/jest/background.ts), else now.
  const run = await backgroundRun(path.basename(__filename));
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const resources = parseReport(run.stdout);
  expect(resources).toBe(committedSynth(CLI_STACK).resources.length);
  expect(resources).toBeGreaterThan(100);
});
