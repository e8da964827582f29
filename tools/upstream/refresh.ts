// `npm run upstream:refresh`: downloads the upstream files the tests check against (files.ts) at
// our pins' refs into test/fixtures/upstream/, rewriting sources.json and SOURCES.md; run it when a
// pin moves. Needs github.com; each ref resolves to a commit first, so its files all come from one.
import * as fs from "node:fs";
import * as path from "node:path";
import { albControllerIamPolicy } from "../../components/addons/catalog";
import { charts } from "../../components/addons/registry";
import { ROOT } from "../../synth/stack-files";
import {
  fetchNamed,
  gitBlobId,
  rawUrl,
  sourcesMarkdown,
  upstreamFiles,
  type UpstreamFile,
  type VendoredFile,
} from "./files";
import { parseArgs } from "../run/args";
import { runCli } from "../run/fast-load";

const OUT = path.join(ROOT, "test", "fixtures", "upstream");

/** The commit a tag, branch or commit names (GitHub REST "Get a commit", sha media type). */
async function resolveCommit(repo: string, ref: string): Promise<string> {
  const url = `https://api.github.com/repos/${repo}/commits/${ref}`;
  const res = await fetchNamed(url, { headers: { Accept: "application/vnd.github.sha" } });
  if (!res.ok) throw new Error(`${url}: GitHub answered ${res.status} (resolving ${repo}@${ref})`);
  return (await res.text()).trim();
}

/** The file's bytes at a commit, or undefined where upstream has no such file. */
async function download(f: UpstreamFile, commit: string): Promise<Buffer | undefined> {
  const res = await fetchNamed(rawUrl(f, commit));
  if (res.status === 404 && !f.required) return undefined;
  if (!res.ok) throw new Error(`${rawUrl(f, commit)}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function main(argv: string[]): Promise<number> {
  parseArgs(argv, { usage: "usage: npm run upstream:refresh" });
  const files = upstreamFiles({ charts, albPolicyUrl: albControllerIamPolicy.upstream });
  const commits = new Map<string, string>();
  const downloaded: [VendoredFile, Buffer][] = [];
  for (const f of files) {
    const key = `${f.repo}@${f.ref}`;
    if (!commits.has(key)) commits.set(key, await resolveCommit(f.repo, f.ref));
    const commit = commits.get(key)!;
    const bytes = await download(f, commit);
    if (!bytes) continue;
    const { required: _, ...vendored } = f;
    downloaded.push([{ ...vendored, commit, gitBlob: gitBlobId(bytes) }, bytes]);
    console.log(`${f.file} <- ${key} (${commit.slice(0, 12)})`);
  }
  // All arrived: replace now, so a failed run leaves old files whole and dropped ones don't linger.
  for (const dir of ["charts", "iam"])
    fs.rmSync(path.join(OUT, dir), { recursive: true, force: true });
  for (const [f, bytes] of downloaded) {
    fs.mkdirSync(path.dirname(path.join(OUT, f.file)), { recursive: true });
    fs.writeFileSync(path.join(OUT, f.file), bytes);
  }
  const vendored = downloaded.map(([f]) => f);
  fs.writeFileSync(path.join(OUT, "sources.json"), `${JSON.stringify(vendored, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT, "SOURCES.md"), sourcesMarkdown(vendored));
  return 0;
}

runCli(main);
