// `npm run pr-diff -- <base-ref> [--out-dir <dir>]`: the PR comment, the one producer of it (the
// pull-request workflow posts what this prints), from a git ref and with no credentials. For every
// stack (the root Pulumi.<stack>.yaml files): the synth of the base (the ref's files, `git
// archive`d into a temporary directory that shares this checkout's node_modules) and of the head
// (this working tree), the rehearsal of the head with the base's synth as --base, the Helm render
// of every release the change touches (helm-section.ts), the cost delta (cost-section.ts) and the
// synth diff; a section whose tool is not installed here prints as skipped, with the reason.
// Markdown on stdout, progress on stderr; `--out-dir` keeps the synth files and comment.md. Exit 1
// when a rehearsal finds blockers or the head does not synthesize, 2 when it cannot run at all.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { stackNames } from "../../stacks/stack-names";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../../synth/stack-files";
import { diffFiles } from "../diff/main";
import { parseArgs } from "../run/args";
import { inParallel, type Ran, runProcess, tail } from "../run/processes";
import {
  diffBudget,
  fenced,
  helmBudget,
  renderComment,
  type Section,
  type StackComment,
  toolSection,
} from "./comment";
import { COST_TITLE, costSection } from "./cost-section";
import { HELM_SECTION, type ToolRunner } from "./helm-section";

const USAGE = "usage: npm run pr-diff -- <base-ref> [--out-dir <dir>]";

/** The arguments, read as every tool reads its own (tools/run/args.ts). */
export function prDiffArgs(argv: readonly string[]): { base: string; outDir?: string } {
  const args = parseArgs(argv, { usage: USAGE, values: ["--out-dir"], positionals: [1, 1] });
  const outDir = args.value("--out-dir");
  return { base: args.positionals[0], ...(outDir ? { outDir } : {}) };
}

function git(repo: string, args: string[]): string {
  const r = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

function commitOf(repo: string, ref: string): string {
  const r = spawnSync("git", ["-C", repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (r.status !== 0) {
    throw new Error(
      `base ref ${JSON.stringify(ref)}: no such commit in ${repo}; fetch it first (git fetch origin ${ref})`,
    );
  }
  return r.stdout.toString().trim();
}

/** The commit's files in `dir`, with the checkout's node_modules (the base runs on the head's). */
function archive(repo: string, commit: string, dir: string): void {
  const tar = `${dir}.tar`;
  git(repo, ["archive", "--format=tar", "-o", tar, commit]);
  fs.mkdirSync(dir);
  const r = spawnSync("tar", ["-xf", tar, "-C", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar -xf ${tar}: ${r.stderr || r.error?.message}`);
  fs.rmSync(tar);
  const modules = path.join(repo, "node_modules");
  if (fs.existsSync(modules)) fs.symlinkSync(modules, path.join(dir, "node_modules"), "dir");
}

/** Runs a package script of the checkout in `dir` with `args`. */
export type ScriptRunner = (dir: string, script: string, args: string[]) => Promise<Ran>;

/** `npm run <script> -- <args>` in `dir`, its own package.json's. */
export const npmRun: ScriptRunner = (dir, script, args) =>
  runProcess("npm", ["run", "--silent", script, "--", ...args], dir);

/** Whether `tool` is an executable on PATH. */
function onPath(tool: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface PrDiffOptions {
  /** The checkout whose working tree is the head. @default the repository root */
  repo?: string;
  /** A branch, tag or commit the repository has. */
  base: string;
  /** Where to keep the synth files and comment.md. @default a temporary directory, removed */
  outDir?: string;
  /** Whether a tool is installed here. @default {@link onPath} */
  hasTool?: (tool: string) => boolean;
  /** Progress lines. @default stderr */
  log?: (line: string) => void;
  /** How the synth and rehearse scripts run. @default {@link npmRun} */
  runScript?: ScriptRunner;
  /** How a tool section's program (`helm`) runs. @default {@link runProcess} */
  runTool?: ToolRunner;
}

/** Synthesizes, rehearses and diffs every stack; the comment and the stacks that block. */
export async function prDiff(
  options: PrDiffOptions,
): Promise<{ comment: string; blocked: string[] }> {
  const repo = path.resolve(options.repo ?? ROOT);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const runScript = options.runScript ?? npmRun;
  const stacks = stackNames(repo);
  if (stacks.length === 0) throw new Error(`${repo}: no Pulumi.<stack>.yaml, so no stacks`);
  const base = { ref: options.base, commit: commitOf(repo, options.base) };
  const head = {
    commit: git(repo, ["rev-parse", "HEAD"]),
    dirty: git(repo, ["status", "--porcelain"]) !== "",
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-"));
  const out = path.resolve(options.outDir ?? path.join(work, "synth"));
  fs.mkdirSync(out, { recursive: true });
  const file = (side: string, stack: string) => path.join(out, `${side}-${stack}.json`);
  const timed = async (what: string, run: () => Promise<Ran>) => {
    const start = performance.now();
    const ran = await run();
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    log(`pr-diff: ${what}: ${seconds} s${ran.code === 0 ? "" : `, exit ${ran.code}`}`);
    return ran;
  };
  try {
    const baseDir = path.join(work, "base");
    archive(repo, base.commit, baseDir);
    const baseStacks = new Set(stackNames(baseDir));
    const synth = (side: "base" | "head", stack: string) => async () =>
      side === "base" && !baseStacks.has(stack)
        ? undefined
        : timed(`synth ${side} ${stack}`, () =>
            runScript(side === "base" ? baseDir : repo, "synth", [
              stack,
              "--out",
              file(side, stack),
            ]),
          );
    const synths = await inParallel(stacks.flatMap((s) => [synth("base", s), synth("head", s)]));
    const blocked: string[] = [];
    const parts = stacks.map((stack, i) => {
      const [baseRun, headRun] = [synths[2 * i], synths[2 * i + 1]];
      const notes: string[] = [];
      if (!baseRun || baseRun.code !== 0) {
        const why = baseRun
          ? `The base did not synthesize (exit ${baseRun.code}: ${tail(baseRun).split("\n").pop()})`
          : `\`Pulumi.${stack}.yaml\` is new in this change`;
        notes.push(`${why}; the rehearsal and the diff start from an empty stack.`);
        log(`pr-diff: ${stack}: ${why}`);
        fs.writeFileSync(file("base", stack), `${JSON.stringify({ stack, resources: [] })}\n`);
      }
      return { stack, notes, headRun: headRun as Ran };
    });
    const rehearsals = await inParallel(
      parts.map(
        ({ stack, headRun }) =>
          async () =>
            headRun.code !== 0
              ? undefined
              : timed(`rehearse ${stack}`, () =>
                  runScript(repo, "rehearse", [stack, "--no-order", "--base", file("base", stack)]),
                ),
      ),
    );
    const helm: Section[] = [];
    for (const [i, { stack }] of parts.entries()) {
      if (!rehearsals[i]) continue;
      const start = performance.now();
      const context = {
        baseFile: file("base", stack),
        headFile: file("head", stack),
        workDir: path.join(work, "helm", stack),
        runTool: options.runTool ?? runProcess,
        maxChars: helmBudget(stacks.length),
      };
      helm[i] = await toolSection(HELM_SECTION, options.hasTool ?? onPath, context);
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      log(
        `pr-diff: helm render ${stack}: ${"skipped" in helm[i].result ? "skipped" : `${seconds} s`}`,
      );
    }
    const comments: StackComment[] = parts.map(({ stack, notes, headRun }, i) => {
      const rehearsal = rehearsals[i];
      if (!rehearsal) {
        blocked.push(stack);
        const skipped = { skipped: "the head does not synthesize" };
        const failure = `The head does not synthesize (exit ${headRun.code}):\n\n${fenced(tail(headRun))}`;
        const sections: Section[] = [
          { title: "Synth (head)", result: { body: failure } },
          { title: "Rehearsal (base → head)", result: skipped },
          { title: HELM_SECTION.title, result: skipped },
          { title: COST_TITLE, result: skipped },
          { title: "Synth diff", result: skipped },
        ];
        return { stack, notes, sections };
      }
      if (rehearsal.code !== 0) blocked.push(stack);
      const rehearsed =
        rehearsal.code <= 1
          ? rehearsal.stdout
          : `The rehearsal did not run (exit ${rehearsal.code}):\n\n${fenced(tail(rehearsal))}`;
      const diff = diffFiles(file("base", stack), file("head", stack), diffBudget(stacks.length));
      const sections: Section[] = [
        { title: "Rehearsal (base → head)", result: { body: rehearsed } },
        helm[i],
        costSection({
          stack,
          baseFile: file("base", stack),
          headFile: file("head", stack),
          ...(baseStacks.has(stack) ? { baseDir } : {}),
          headDir: repo,
        }),
        { title: "Synth diff", result: { body: diff } },
      ];
      return { stack, notes, sections };
    });
    const comment = renderComment({ base, head, stacks: comments, blocked });
    if (options.outDir) fs.writeFileSync(path.join(out, "comment.md"), comment);
    return { comment, blocked };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    const { comment, blocked } = await prDiff(prDiffArgs(argv));
    process.stdout.write(comment);
    if (blocked.length > 0) console.error(`pr-diff: blocked: ${blocked.join(", ")}`);
    return blocked.length > 0 ? 1 : 0;
  } catch (e) {
    console.error(`pr-diff: ${(e as Error).message}`);
    return 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((c) => (process.exitCode = c));
