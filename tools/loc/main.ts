/**
 * `npm run loc [-- <ref>]`: lines of TypeScript per folder of the program (components, stacks,
 * synth, policy, tools), split into code, comment and blank lines. With a git ref, the same for
 * that commit and the difference. A line with any code on it is code.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as ts from "typescript";
import { parseArgs, runMain } from "../run/args";

export const FOLDERS = ["components", "stacks", "synth", "policy", "tools"];
const SOURCE = /\.(ts|cts|mts|cjs|mjs|js)$/;

export interface Count {
  code: number;
  comment: number;
  blank: number;
}

/** Classifies each line of one source file with TypeScript's own scanner. */
export function countLines(text: string): Count {
  const lines = text.split("\n");
  const kind: ("code" | "comment" | undefined)[] = lines.map(() => undefined);
  const lineOf: number[] = []; // the line of each character
  for (let i = 0, line = 0; i < text.length; i++) {
    lineOf.push(line);
    if (text[i] === "\n") line++;
  }
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    ts.LanguageVariant.Standard,
    text,
  );
  // Brace depth inside each open template literal's `${…}`: its `}` resumes the template.
  const templates: number[] = [];
  const next = (): ts.SyntaxKind => {
    let t = scanner.scan();
    if (t === ts.SyntaxKind.OpenBraceToken && templates.length) templates[templates.length - 1]++;
    if (t === ts.SyntaxKind.CloseBraceToken && templates.length) {
      if (templates[templates.length - 1] === 0) {
        t = scanner.reScanTemplateToken(false);
        if (t === ts.SyntaxKind.TemplateTail) templates.pop();
      } else templates[templates.length - 1]--;
    }
    if (t === ts.SyntaxKind.TemplateHead) templates.push(0);
    return t;
  };
  for (let t = next(); t !== ts.SyntaxKind.EndOfFileToken; t = next()) {
    if (t === ts.SyntaxKind.WhitespaceTrivia || t === ts.SyntaxKind.NewLineTrivia) continue;
    const isComment =
      t === ts.SyntaxKind.SingleLineCommentTrivia || t === ts.SyntaxKind.MultiLineCommentTrivia;
    for (let l = lineOf[scanner.getTokenStart()]; l <= lineOf[scanner.getTokenEnd() - 1]; l++) {
      if (!isComment) kind[l] = "code";
      else if (kind[l] === undefined) kind[l] = "comment";
    }
  }
  const count: Count = { code: 0, comment: 0, blank: 0 };
  kind.forEach((k, i) => {
    if (k) count[k]++;
    else if (i < lines.length - 1 || lines[i] !== "") count.blank++;
  });
  return count;
}

const git = (...args: string[]) =>
  execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 << 20 });

/** Counts per folder at `ref`, or in the working tree (tracked and untracked files) without one. */
export function countFolders(ref?: string): Map<string, Count> {
  const files = (
    ref
      ? git("ls-tree", "-r", "--name-only", ref, "--", ...FOLDERS)
      : git("ls-files", "--cached", "--others", "--exclude-standard", "--", ...FOLDERS)
  )
    .split("\n")
    .filter((f) => SOURCE.test(f) && !f.endsWith(".d.ts") && !f.endsWith(".d.cts"));
  const totals = new Map(FOLDERS.map((f) => [f, { code: 0, comment: 0, blank: 0 }]));
  for (const file of files) {
    let text: string;
    try {
      text = ref ? git("show", `${ref}:${file}`) : readFileSync(file, "utf8");
    } catch {
      continue; // deleted in the working tree
    }
    const c = countLines(text);
    const t = totals.get(file.split("/")[0]);
    if (!t) continue;
    t.code += c.code;
    t.comment += c.comment;
    t.blank += c.blank;
  }
  return totals;
}

const sum = (m: Map<string, Count>): Count =>
  [...m.values()].reduce(
    (a, c) => ({ code: a.code + c.code, comment: a.comment + c.comment, blank: a.blank + c.blank }),
    { code: 0, comment: 0, blank: 0 },
  );
const all = (c: Count) => c.code + c.comment + c.blank;

export function report(now: Map<string, Count>, before?: Map<string, Count>): string {
  const rows = [...now.entries(), ["total", sum(now)] as const];
  const was = before && new Map([...before.entries(), ["total", sum(before)]]);
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  const cell = (n: number, b?: number) => (b === undefined ? String(n) : `${n} (${signed(n - b)})`);
  const header = "| folder | code | comment | blank | all |\n|:--|--:|--:|--:|--:|";
  return [
    header,
    ...rows.map(([folder, c]) => {
      const b = was?.get(folder);
      return `| ${folder} | ${cell(c.code, b?.code)} | ${cell(c.comment, b?.comment)} | ${cell(c.blank, b?.blank)} | ${cell(all(c), b && all(b))} |`;
    }),
  ].join("\n");
}

if (require.main === module) {
  runMain((argv) => {
    const usage = "usage: npm run loc [-- <git ref to compare with>]";
    const [ref] = parseArgs(argv, { usage, positionals: [0, 1] }).positionals;
    process.stdout.write(`${report(countFolders(), ref ? countFolders(ref) : undefined)}\n`);
    if (ref) process.stdout.write(`\n(in parentheses: the change since ${ref})\n`);
    return 0;
  });
}
