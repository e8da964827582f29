/**
 * `npm run upstream:refresh`: downloads every upstream file the tests check against
 * (tools/upstream/files.ts says which) at the ref our pins name, into test/fixtures/upstream/,
 * and rewrites sources.json and SOURCES.md. Run it after a pin moves (a Renovate pull request):
 * the tests then check the new chart's values, schema and Chart.yaml. Needs github.com; each
 * ref is resolved to its commit first, so every file of one ref comes from the same commit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { albControllerIamPolicy } from "../../components/addons/catalog";
import { charts } from "../../components/addons/registry";
import { ROOT } from "../../synth/stack-files";
import {
  gitBlobId,
  rawUrl,
  sourcesMarkdown,
  upstreamFiles,
  type UpstreamFile,
  type VendoredFile,
} from "./files";

const OUT = path.join(ROOT, "test", "fixtures", "upstream");

/** The commit a tag, branch or commit names (GitHub REST "Get a commit", sha media type). */
async function resolveCommit(repo: string, ref: string): Promise<string> {
  const res = await fetch(`https://api.github.com/repos/${repo}/commits/${ref}`, {
    headers: { Accept: "application/vnd.github.sha" },
  });
  if (!res.ok) throw new Error(`${repo}@${ref}: GitHub answered ${res.status}`);
  return (await res.text()).trim();
}

/** The file's bytes at a commit, or undefined where upstream has no such file. */
async function download(f: UpstreamFile, commit: string): Promise<Buffer | undefined> {
  const res = await fetch(rawUrl(f, commit));
  if (res.status === 404 && !f.required) return undefined;
  if (!res.ok) throw new Error(`${rawUrl(f, commit)}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function main(): Promise<void> {
  const files = upstreamFiles({ charts, albPolicyUrl: albControllerIamPolicy.upstream });
  const commits = new Map<string, string>();
  const downloaded: [VendoredFile, Buffer][] = [];
  for (const f of files) {
    const key = `${f.repo}@${f.ref}`;
    if (!commits.has(key)) commits.set(key, await resolveCommit(f.repo, f.ref));
    const commit = commits.get(key)!;
    const bytes = await download(f, commit);
    if (!bytes) continue;
    const { file, repo, ref, path: upstreamPath } = f;
    downloaded.push([
      { file, repo, ref, path: upstreamPath, commit, gitBlob: gitBlobId(bytes) },
      bytes,
    ]);
    console.log(`${file} <- ${key} (${commit.slice(0, 12)})`);
  }
  // Everything arrived: only now replace the old files, so a failed run leaves them whole, and a
  // file upstream dropped (or a chart we unpinned) does not linger.
  for (const dir of ["charts", "iam"])
    fs.rmSync(path.join(OUT, dir), { recursive: true, force: true });
  for (const [f, bytes] of downloaded) {
    fs.mkdirSync(path.dirname(path.join(OUT, f.file)), { recursive: true });
    fs.writeFileSync(path.join(OUT, f.file), bytes);
  }
  const vendored = downloaded.map(([f]) => f);
  fs.writeFileSync(path.join(OUT, "sources.json"), `${JSON.stringify(vendored, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT, "SOURCES.md"), sourcesMarkdown(vendored));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
