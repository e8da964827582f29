// tools/run/args.ts: every tool's command line. An unknown flag is refused, naming the valid ones,
// before anything runs or is written; a missing input file is named with how to make it.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs as benchArgs } from "../tools/bench/cases";
import { main as coexist } from "../tools/coexist/main";
import { main as cost } from "../tools/cost/main";
import { main as costRefresh } from "../tools/cost/refresh";
import { main as diff } from "../tools/diff/main";
import { main as adopt } from "../tools/adopt/main";
import { parseArgs as rehearseArgs } from "../tools/rehearse/main";
import { main as deployOrder } from "../tools/workflows/deploy-order";
import { main as endpointReach } from "../tools/workflows/endpoint-reach";
import { main as checkAddonVersions } from "../tools/workflows/check-addon-versions";
import { inputFile, parseArgs, stackFile, UsageError } from "../tools/run/args";
import { ROOT } from "../synth/stack-files";
import { runProcess } from "../tools/run/processes";

const SYNTH = {
  usage: "usage: npm run synth -- <stack> [--out <file.json>]",
  values: ["--out"],
  positionals: [1, 1],
} as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "eks-args-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run <tool> -- <args>`, as the script starts it (package.json "scripts"). */
const asNpmRunsIt = (tool: string, ...args: string[]) =>
  runProcess(
    process.execPath,
    ["--require", "./tools/run/register.cjs", `tools/${tool}/main.ts`, ...args],
    ROOT,
  );

// The three programs start at once, each a Node start of its own; their tests await them.
const ran = (() => {
  const own = mkdtempSync(path.join(tmpdir(), "eks-args-npm-"));
  const [out, base] = [path.join(own, "x.json"), path.join(own, "main-prod2.json")];
  return {
    own,
    out,
    base,
    synth: asNpmRunsIt("synth", "prod2", "--outt", out),
    adopt: asNpmRunsIt("adopt", "prod2", "--record", "r.json"),
    rehearse: asNpmRunsIt("rehearse", "prod2", "--base", base),
  };
})();
afterAll(() => rmSync(ran.own, { recursive: true, force: true }));

describe("parseArgs", () => {
  test("reads values, inline values, switches and positionals", () => {
    const args = parseArgs(["prod2", "--out=x.json"], SYNTH);
    expect([args.positionals, args.value("--out")]).toEqual([["prod2"], "x.json"]);
    const more = parseArgs(["--base", "b.json", "prod", "--destroy"], {
      usage: "u",
      values: ["--base"],
      switches: ["--destroy"],
      positionals: [1, 1],
    });
    expect([more.positionals, more.value("--base"), more.has("--destroy")]).toEqual([
      ["prod"],
      "b.json",
      true,
    ]);
  });

  test.each([
    [
      "a misspelt flag",
      ["prod2", "--outt", "x.json"],
      `unknown flag --outt (did you mean --out?); valid flags: --out\n${SYNTH.usage}`,
    ],
    ["a flag without its value", ["prod2", "--out"], `--out: needs a value\n${SYNTH.usage}`],
    [
      "a value flag followed by a flag",
      ["prod2", "--out", "--x"],
      `--out: needs a value\n${SYNTH.usage}`,
    ],
    ["no stack", [], SYNTH.usage],
    ["two stacks", ["prod", "prod2"], SYNTH.usage],
  ])("refuses %s", (_, argv, message) => {
    expect(() => parseArgs(argv, SYNTH)).toThrow(new UsageError(message));
  });

  test("a tool without flags says so", () => {
    expect(() => parseArgs(["--x"], { usage: "usage: npm run docs:addons" })).toThrow(
      "unknown flag --x; it takes no flags\nusage: npm run docs:addons",
    );
  });
});

describe("every tool refuses an unknown flag", () => {
  test.each<[string, () => unknown, string]>([
    ["rehearse", () => rehearseArgs(["prod2", "--destory"]), "did you mean --destroy?"],
    ["bench", () => benchArgs(["--run", "3"]), "valid flags: --runs, --test-runs"],
    ["check-addon-versions", () => checkAddonVersions(["--printt"]), "did you mean --print?"],
    ["coexist", () => coexist(["prod", "prod2", "--quick"]), "unknown flag --quick"],
    ["cost", () => cost(["prod2", "--synt", "x.json"]), "did you mean --synth?"],
    ["cost refresh", () => costRefresh(["x.json", "--printt"]), "did you mean --print?"],
    ["adopt", () => adopt(["prod2", "--record", "r.json"]), "unknown flag --record"],
    ["deploy-order", () => deployOrder(["--base", ".", "--heads", ".", "prod"]), "--heads"],
    ["endpoint-reach", () => endpointReach(["Pulumi.prod2.yaml", "1.2.3.4", "--v"]), "--v"],
  ])("%s", async (_, run, message) => {
    // A UsageError: runMain prints its message alone and exits 2.
    const refused = (async () => run())();
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(message);
    await expect(refused).rejects.toThrow(/^unknown flag --\w+[^]*\nusage: /);
  });

  test("diff", () => {
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((s) => !!err.push(`${s}`));
    let code: number;
    try {
      code = diff(["a.json", "b.json", "--maxchars", "2000"]);
    } finally {
      spy.mockRestore(); // in band, jest's own reporter writes through it
    }
    expect([code, err.join("")]).toEqual([
      2,
      "unknown flag --maxchars (did you mean --max-chars?); valid flags: --max-chars\nusage: npm run diff -- <base.json> <head.json> [--max-chars N]\n",
    ]);
  });

  test("synth, as npm runs it: exit 2, the message alone, nothing written", async () => {
    const r = await ran.synth;
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      `unknown flag --outt (did you mean --out?); valid flags: --out\n${SYNTH.usage}\n`,
    ]);
    expect(existsSync(ran.out)).toBe(false);
  });

  test("adopt, as npm runs it (runMain): exit 2, the message alone", async () => {
    const r = await ran.adopt;
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(
      /^unknown flag --record \(did you mean --records\?\)[^\n]*\nusage: [^\n]*\n$/,
    );
  });
});

describe("a missing input file is named, with how to make it", () => {
  test("a stack without its config file", () => {
    // A name no Pulumi.<stack>.yaml has: adding a stack (say staging) changes nothing here.
    const stacks = readdirSync(ROOT)
      .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
      .sort();
    const absent = "no-such-stack";
    expect(stacks).not.toContain(absent);
    expect(() => stackFile(ROOT, absent)).toThrow(
      `stack "${absent}" has no Pulumi.${absent}.yaml; use one of ${stacks.join(", ")}, or add that file to make it a stack (README.md, "Adding a stack")`,
    );
  });

  test("any input", () => {
    const file = path.join(dir, "base.json");
    expect(() => inputFile(file, "a synth file", "make it with X")).toThrow(
      `${path.relative(process.cwd(), file)}: no such file (a synth file); make it with X`,
    );
  });

  test("rehearse --base, as npm runs it: exit 2, the synth command to make it", async () => {
    const r = await ran.rehearse;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`npm run synth -- prod2 --out ${ran.base}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("adopt without its records", () => {
    const records = path.join(dir, "records.json");
    const run = () =>
      adopt(["prod2", "--records", records, "--gateway", records, "--out", path.join(dir, "o")]);
    expect(run).toThrow(/records\.json: no such file .*make it with `(aws route53|pulumi stack)/);
    expect(existsSync(path.join(dir, "o"))).toBe(false);
  });
});
