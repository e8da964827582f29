import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { cliStart, nodeRuntime, splitNodeargs } from "../tools/run/cli-start";
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
  // prod, the smaller committed stack: the start path is the same for every stack.
  const start = cliStart(root, "prod");
  // The clone's own caches (node_modules/.cache/eks-blueprint), as `pulumi preview` uses them;
  // test/run-transpile.test.ts tests the cache.
  const r = spawnSync(process.execPath, start.args, {
    cwd: start.cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...start.env },
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const resources = parseReport(r.stdout);
  const synth = committedSynth("prod");
  expect(resources).toBe(synth.resources.length);
  expect(resources).toBeGreaterThan(100);
}, 60000);
