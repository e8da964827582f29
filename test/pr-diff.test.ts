// tools/pr-diff: the PR comment from a git ref. The orchestration runs on a tiny git repository
// whose `synth` and `rehearse` scripts are stand-ins (the real ones have their own tests): base
// from the ref, head from the working tree, every Pulumi.<stack>.yaml, and each way a stack can go.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMENT_LIMIT, diffBudget, helmBudget, renderComment } from "../tools/pr-diff/comment";
import { stackNames } from "../stacks/stack-names";
import { UsageError } from "../tools/run/args";
import { npmRun, prDiff, prDiffArgs, type ScriptRunner } from "../tools/pr-diff/main";
import { runProcess } from "../tools/run/processes";

// `npm run synth -- <stack> --out <file>`: a bucket per name in resources.json; BROKEN-<stack> fails.
const SYNTH = `const fs = require("node:fs");
const [stack, , out] = process.argv.slice(2);
if (fs.existsSync("BROKEN-" + stack)) { console.error("config: broken"); process.exit(1); }
const names = JSON.parse(fs.readFileSync("resources.json", "utf8"))[stack] ?? [];
const resources = names.map((name) => ({ type: "aws:s3/bucket:Bucket", name, parent: null, inputs: { bucket: name } }));
fs.writeFileSync(out, JSON.stringify({ stack, resources }));
`;
// `npm run rehearse -- <stack> --no-order --base <file>`: BLOCK-<stack> is a blocker.
const REHEARSE = `const fs = require("node:fs");
const [stack, , , base] = process.argv.slice(2);
const before = JSON.parse(fs.readFileSync(base, "utf8")).resources.length;
console.log("rehearsal of " + stack + ": " + before + " before");
process.exit(fs.existsSync("BLOCK-" + stack) ? 1 : 0);
`;

// The scripts as npm would run them (`node synth.js <args>` in the checkout), without npm's start.
const runScript: ScriptRunner = (dir, script, args) => {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return runProcess("sh", ["-c", `${scripts[script]} "$@"`, script, ...args], dir);
};

function tinyRepo(): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-repo-"));
  const write = (file: string, text: string) => fs.writeFileSync(path.join(repo, file), text);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: repo,
    });
  const scripts = { synth: "node synth.js", rehearse: "node rehearse.js" };
  write("package.json", JSON.stringify({ name: "tiny", private: true, scripts }));
  write("synth.js", SYNTH);
  write("rehearse.js", REHEARSE);
  for (const f of ["Pulumi.yaml", "Pulumi.a.yaml", "Pulumi.b.yaml", "Pulumi.d.yaml"]) write(f, "");
  write("resources.json", JSON.stringify({ a: ["logs"], b: ["logs"], d: ["logs"] }));
  write("BROKEN-b", "");
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "base");
  git("tag", "base");
  // The change: a gets a bucket, b's base was broken, c is new, d no longer synthesizes.
  write("resources.json", JSON.stringify({ a: ["logs", "data"], b: ["logs"], c: ["logs"] }));
  write("Pulumi.c.yaml", "");
  fs.rmSync(path.join(repo, "BROKEN-b"));
  write("BROKEN-d", "");
  git("add", ".");
  git("commit", "-qm", "head");
  write("BLOCK-a", ""); // uncommitted: the working tree is the head
  return repo;
}

describe("npm run pr-diff on a repository", () => {
  const repo = tinyRepo();
  const outDir = path.join(repo, "out");
  let result: Awaited<ReturnType<typeof prDiff>>;
  const logged: string[] = [];
  beforeAll(async () => {
    const hasTool = () => false;
    const log = (l: string) => logged.push(l);
    result = await prDiff({ repo, base: "base", outDir, hasTool, log, runScript });
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
  const part = (stack: string) =>
    result.comment.split(/^## Stack /m).find((p) => p.startsWith(`\`${stack}\``)) ?? "";

  test("by default a script runs as `npm run --silent <script> -- <args>` in its checkout", async () => {
    const out = path.join(repo, "npm-run.json");
    const ran = await npmRun(repo, "synth", ["a", "--out", out]);
    expect([ran.code, ran.stdout, ran.stderr]).toEqual([0, "", ""]);
    expect((JSON.parse(fs.readFileSync(out, "utf8")) as { stack: string }).stack).toBe("a");
  });

  test("every Pulumi.<stack>.yaml is a stack, in order, and the blocked ones are named", () => {
    expect(stackNames(repo)).toEqual(["a", "b", "c", "d"]);
    expect(result.comment.match(/^## Stack `(\w)`$/gm)).toEqual(
      ["a", "b", "c", "d"].map((s) => `## Stack \`${s}\``),
    );
    expect(result.blocked).toEqual(["a", "d"]);
    expect(result.comment).toMatch(
      /^## Synth diff and update rehearsal\n\nBase `base` \(`[0-9a-f]{12}`\) → head `[0-9a-f]{12}` with uncommitted changes, 4 stacks; \*\*blocked: `a`, `d`\*\*\.\n/,
    );
  });

  test("the rehearsal of the head runs against the base's synth, and the diff follows it", () => {
    expect(part("a")).toContain("### Rehearsal (base → head)\n\nrehearsal of a: 1 before\n");
    expect(part("a")).toContain("### Synth diff\n\n**1 added, 0 removed, 0 changed");
  });

  test("a base that does not synthesize, and a stack new in the change, start from empty", () => {
    expect(part("b")).toContain(
      "> The base did not synthesize (exit 1: config: broken); the rehearsal and the diff start from an empty stack.",
    );
    expect(part("c")).toContain(
      "> `Pulumi.c.yaml` is new in this change; the rehearsal and the diff start from an empty stack.",
    );
    expect(part("c")).toContain("rehearsal of c: 0 before");
  });

  test("a head that does not synthesize shows why and skips what needs its synth", () => {
    expect(part("d")).toContain(
      "### Synth (head)\n\nThe head does not synthesize (exit 1):\n\n```\nconfig: broken\n```",
    );
    expect(part("d")).toContain("### Synth diff\n\n_Skipped: the head does not synthesize._");
  });

  test("a section whose tool or input is missing prints as skipped, with the reason", () => {
    expect(part("a")).toContain(
      "### Helm render (base → head)\n\n_Skipped: `helm` is not installed here (not found on PATH)._\n\n### Cost (base → head, monthly)\n\n_Skipped: `Pulumi.a.yaml` sets no `aws:region` to price in._\n\n### Synth diff",
    );
    expect(part("d")).toContain(
      "### Cost (base → head, monthly)\n\n_Skipped: the head does not synthesize._",
    );
  });

  test("the Helm render comes after the rehearsal and before the synth diff", () => {
    const titles = (stack: string) => part(stack).match(/^### (Synth|Rehearsal|Helm render) .*$/gm);
    expect([titles("a"), titles("d")]).toEqual([
      ["### Rehearsal (base → head)", "### Helm render (base → head)", "### Synth diff"],
      [
        "### Synth (head)",
        "### Rehearsal (base → head)",
        "### Helm render (base → head)",
        "### Synth diff",
      ],
    ]);
  });

  test("--out-dir keeps each side's synth (the base's empty where it had none) and the comment", () => {
    expect(fs.readdirSync(outDir).sort()).toEqual([
      "base-a.json",
      "base-b.json",
      "base-c.json",
      "base-d.json",
      "comment.md",
      "head-a.json",
      "head-b.json",
      "head-c.json",
    ]);
    expect(fs.readFileSync(path.join(outDir, "comment.md"), "utf8")).toBe(result.comment);
    expect(logged).toContainEqual(expect.stringMatching(/^pr-diff: synth head a: \d+\.\d s$/));
  });

  test("a ref the repository lacks says how to get it", async () => {
    await expect(prDiff({ repo, base: "nope" })).rejects.toThrow(
      'base ref "nope": no such commit in',
    );
  });
});

test.each([
  [["main"], { base: "main" }],
  [["main", "--out-dir", "synth"], { base: "main", outDir: "synth" }],
])("arguments %j", (argv, args) => {
  expect(prDiffArgs(argv)).toEqual(args);
});

const USAGE = "usage: npm run pr-diff -- <base-ref> [--out-dir <dir>]";
test.each([
  [
    ["main", "--outt", "x"],
    `unknown flag --outt (did you mean --out-dir?); valid flags: --out-dir\n${USAGE}`,
  ],
  [[], USAGE],
  [["main", "--out-dir"], `--out-dir: needs a value\n${USAGE}`],
])("arguments %j are refused", (argv, message) => {
  expect(() => prDiffArgs(argv)).toThrow(new UsageError(message));
});

test("each stack's diff and Helm render get a share of GitHub's 65,536 characters", () => {
  expect([1, 2, 3, 60].map(diffBudget)).toEqual([20000, 20000, 16000, 1000]);
  expect([1, 2, 3, 60].map(helmBudget)).toEqual([8000, 8000, 5333, 1000]);
});

test("the whole comment stays under GitHub's limit, saying where the rest is", () => {
  const big = { title: "Rehearsal (base → head)", result: { body: "x".repeat(70_000) } };
  const comment = renderComment({
    base: { ref: "main", commit: "a".repeat(40) },
    head: { commit: "b".repeat(40), dirty: false },
    stacks: [{ stack: "prod", notes: [], sections: [big] }],
    blocked: [],
  });
  expect(comment.length).toBeLessThanOrEqual(65_536);
  expect(comment.length).toBeGreaterThan(COMMENT_LIMIT);
  expect(comment).toMatch(/run `npm run pr-diff -- <base>` for all of it\._\n$/);
});
