// tools/cost/main.ts in process: the committed prod2 synth priced in the region its file sets, on
// the day asked; and the bad input a user can give, each refused naming what would be valid.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main, readSynth, stackRegion } from "../tools/cost/main";
import { UsageError } from "../tools/run/args";
import { committedConfig, committedSynth } from "./stack-harness";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cost-main-"));
  writeFileSync(path.join(dir, "prod2.json"), JSON.stringify(committedSynth("prod2")));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function printed(argv: string[]): Promise<string> {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((s) => !!out.push(`${s}`));
  try {
    await main(argv);
  } finally {
    spy.mockRestore();
  }
  return out.join("");
}

test("a synth file is priced in its stack's region on the day asked, the same bytes each time", async () => {
  const argv = ["prod2", "--synth", path.join(dir, "prod2.json"), "--on", "2026-12-07"];
  const first = await printed(argv);
  expect(first.split("\n")[0]).toMatch(
    new RegExp(
      `^\\*\\*prod2\\*\\* \\(${committedConfig("prod2")["aws:region"]}, as of 2026-12-07\\): `,
    ),
  );
  expect(await printed(argv)).toBe(first);
});

test.each([
  [
    ["prod2", "--on", "7 Dec"],
    '--on: not a date (got "7 Dec"); use YYYY-MM-DD, such as 2026-12-01',
  ],
  [
    ["prod2", "--region", "oregon"],
    '--region: not an AWS region (got "oregon"); use one such as us-east-1',
  ],
  [["prod3"], 'stack "prod3" has no Pulumi.prod3.yaml; use one of'],
])("%j is refused", async (argv, message) => {
  await expect(main(argv)).rejects.toThrow(message);
});

test("a synth file of another stack, or none, is refused saying how to make one", () => {
  const file = path.join(dir, "prod2.json");
  expect(() => readSynth(file, "prod")).toThrow(
    new UsageError(`${file}: the synth of stack prod2, not prod`),
  );
  expect(() => readSynth(path.join(dir, "none.json"), "prod")).toThrow(
    /none\.json: no such file \(a synth file\); make it with `npm run synth -- <stack> --out <file>`/,
  );
});

test("a stack without aws:region is refused naming the command that sets it", () => {
  expect(() => stackRegion({}, "staging")).toThrow(
    "aws:region: not set in Pulumi.staging.yaml, so the stack has no region to price in; set it (pulumi config set aws:region us-west-2 -s staging)",
  );
});
