// `npm run pack:check` (also in `npm test`): packs the library as npm would publish it, checks the
// tarball holds just what a consumer needs, installs it in examples/consumer (public API only),
// compiles the example, its jest test and the README's usage snippet (tsgo), synthesizes the example under
// the mocks, and runs the example's own jest test, built on `eks-blueprint/testing` as installed.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { readStackConfig, ROOT } from "../../synth/stack-files";
import { synthesize } from "../../synth/synthesize";
import type { SynthRecord } from "../../synth/record";
import { withoutNpm } from "../run/processes";

const EXAMPLE = path.join(ROOT, "examples", "consumer");
const PACK_DIR = path.join(EXAMPLE, ".pack");
const DIST = "dist/";
/** What the package ships, as source paths: the library and the realistic mocks. */
const SHIPPED = ["components/", "synth/mocks.ts"];
const shipped = (src: string) =>
  SHIPPED.some((s) => (s.endsWith("/") ? src.startsWith(s) : src === s));
// The tree's compiler (package.json "build"): a third of tsc's CPU here, where @pulumi/aws's
// declarations dominate; one thread, as `npm test` keeps both cores busy anyway.
const TSGO = path.join(
  path.dirname(require.resolve("@typescript/native-preview/package.json")),
  "bin",
  "tsgo",
);
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

/** Specifiers a built file loads: `require("x")` in .js; `from "x"` and `import("x")` in .d.ts. */
const JS_REQUIRE = /\brequire\("([^"]+)"\)/g;
const DTS_IMPORT = /^(?:import|export)\b[^;]*? from "([^"]+)"|\bimport\("([^"]+)"\)/gm;
const imports = (file: string, text: string): string[] =>
  [...text.matchAll(file.endsWith(".d.ts") ? DTS_IMPORT : JS_REQUIRE)].map((m) => m[1] ?? m[2]);

/** The package a bare specifier belongs to: `@pulumi/aws` for `@pulumi/aws/eks`. */
const packageOf = (spec: string) => /^(@[^/]+\/)?[^/]+/.exec(spec)?.[0] ?? spec;

interface PackageJson {
  main?: string;
  types?: string;
  exports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** What a packed .js or .d.ts file loads that a consumer would not have. */
function importProblems(file: string, text: string, packed: Set<string>, pkg: PackageJson) {
  const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
  const problems: string[] = [];
  for (const spec of imports(file, text)) {
    if (!spec.startsWith(".")) {
      const builtin = builtinModules.includes(spec.replace(/^node:/, ""));
      if (!builtin && !declared.has(packageOf(spec))) {
        problems.push(`${file} loads "${spec}", not in dependencies or peerDependencies`);
      }
      continue;
    }
    const target = path.posix.join(path.posix.dirname(file), spec);
    const ext = file.endsWith(".d.ts") ? ".d.ts" : ".js";
    if (![`${target}${ext}`, `${target}/index${ext}`, target].some((c) => packed.has(c))) {
      problems.push(`${file} loads "${spec}", which the tarball does not contain`);
    }
  }
  return problems;
}

/** Tarball problems; none when a consumer gets the library exactly, built, declared, loadable. */
function tarballProblems(files: string[], sources: string[], read: (file: string) => string) {
  const problems: string[] = [];
  const packed = new Set(files);
  const pkg = JSON.parse(read("package.json")) as PackageJson;
  for (const f of files) {
    const allowed =
      ["package.json", "README.md", "LICENSE"].includes(f) ||
      (f.startsWith(DIST) &&
        shipped(f.slice(DIST.length).replace(/\.(js|d\.ts)$/, ".ts")) &&
        /\.(js|d\.ts|json)$/.test(f));
    if (!allowed) problems.push(`ships ${f}, which is not part of the library`);
  }
  for (const src of sources) {
    const base = DIST + src.replace(/\.ts$/, "");
    const wanted = src.endsWith(".json") ? [DIST + src] : [`${base}.js`, `${base}.d.ts`];
    for (const w of wanted.filter((w) => !packed.has(w)))
      problems.push(`misses ${w} (from ${src})`);
  }
  const stems = new Set(sources.map((s) => s.replace(/\.ts$/, "")));
  for (const f of files.filter((f) => f.startsWith(DIST) && f.endsWith(".js"))) {
    const stem = f.slice(DIST.length).replace(/\.js$/, "");
    if (!stems.has(stem))
      problems.push(`ships ${f}, a stale build with no source file (delete dist/ and build again)`);
  }
  for (const f of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
    problems.push(...importProblems(f, read(f), packed, pkg));
  }
  const exported = Object.values(pkg.exports ?? {}).flatMap((e) => Object.values(e));
  for (const entry of [pkg.main, pkg.types, ...exported]) {
    const file = entry?.replace(/^\.\//, "");
    if (!file || !packed.has(file)) problems.push(`package.json points at ${entry}, not packed`);
  }
  return problems;
}

/** Drops `npm_*` from the env: `npm test`'s would make the example's install act on the root. */
function run(command: string, args: string[], cwd: string): string {
  const env = withoutNpm(process.env);
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

/** Packs into examples/consumer/.pack/eks-blueprint.tgz, the path the example depends on. */
function pack(): string[] {
  fs.rmSync(PACK_DIR, { recursive: true, force: true });
  fs.mkdirSync(PACK_DIR, { recursive: true });
  const [result] = JSON.parse(
    run("npm", ["pack", "--json", "--pack-destination", PACK_DIR], ROOT),
  ) as { filename: string; files: { path: string }[] }[];
  fs.renameSync(path.join(PACK_DIR, result.filename), path.join(PACK_DIR, "eks-blueprint.tgz"));
  const sources = fs
    .readdirSync(path.join(ROOT, "components"), { recursive: true, encoding: "utf8" })
    .map((f) => `components/${f.split(path.sep).join("/")}`)
    .concat(SHIPPED.filter((s) => !s.endsWith("/")))
    .filter((f) => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.endsWith(".json"));
  const files = result.files.map((f) => f.path);
  const problems = tarballProblems(files, sources, (f) =>
    fs.readFileSync(path.join(ROOT, f), "utf8"),
  );
  if (problems.length > 0) throw new Error(`the tarball is wrong:\n  ${problems.join("\n  ")}`);
  return files;
}

/** True when `version` is in a caret (`^1.2.3`) or exact range: the forms package.json uses. */
function inRange(version: string, range: string): boolean {
  const want = /^(\^?)(\d+)\.(\d+)\.(\d+)$/.exec(range);
  const have = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!want || !have) return false;
  if (!want[1]) return version === range;
  const [major, minor, patch] = have.slice(1).map(Number);
  const [wMajor, wMinor, wPatch] = want.slice(2).map(Number);
  return major === wMajor && (minor > wMinor || (minor === wMinor && patch >= wPatch));
}

/** The version of `name` that Node resolves from `dir`, walking up node_modules as it does. */
function resolvedVersion(name: string, dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, "node_modules", name, "package.json");
    if (fs.existsSync(file)) return readJson<{ version: string }>(file).version;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * A fresh install of the tarball: the library must load the program's one @pulumi/pulumi (a second
 * copy registers nothing with its engine or mocks), and resolve versions in its peer ranges.
 */
function install(): void {
  fs.rmSync(path.join(EXAMPLE, "node_modules"), { recursive: true, force: true });
  run("npm", ["install", "--no-audit", "--no-fund"], EXAMPLE);
  const installed = path.join(EXAMPLE, "node_modules", "eks-blueprint");
  if (fs.lstatSync(installed).isSymbolicLink()) {
    throw new Error("eks-blueprint is a symlink into the source tree, not the packed tarball");
  }
  const theirs = require.resolve("@pulumi/pulumi", { paths: [installed] });
  const ours = require.resolve("@pulumi/pulumi");
  if (theirs !== ours) {
    throw new Error(
      `the installed library loads its own @pulumi/pulumi (${theirs}), not the program's (${ours}); @pulumi/* must be peerDependencies`,
    );
  }
  const pkg = readJson<PackageJson>(path.join(installed, "package.json"));
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    const version = resolvedVersion(name, installed);
    if (!version || !inRange(version, range)) {
      throw new Error(`peer ${name}@${range}: the example resolves ${version ?? "nothing"}`);
    }
  }
}

/** Compiles the example, its tests and the README's snippet at once (@pulumi/aws types dominate). */
function compile(): void {
  fs.rmSync(path.join(EXAMPLE, "dist"), { recursive: true, force: true });
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const usage = readme.split(/^## /m).find((s) => s.startsWith("Using the library"));
  const snippet = usage && /^```ts\n([\s\S]*?)^```$/m.exec(usage)?.[1];
  if (!snippet) throw new Error('README.md: no ```ts block under "## Using the library"');
  const generated = ["readme-usage.ts", "tsconfig.json"].map((f) => path.join(PACK_DIR, f));
  fs.writeFileSync(generated[0], snippet);
  const tests = fs.readdirSync(path.join(EXAMPLE, "test")).map((f) => `../test/${f}`);
  const tsconfig = {
    extends: "../tsconfig.json",
    files: ["../index.ts", "readme-usage.ts", ...tests],
  };
  fs.writeFileSync(generated[1], JSON.stringify(tsconfig));
  try {
    run(process.execPath, [TSGO, "-p", PACK_DIR, "--singleThreaded"], EXAMPLE);
  } finally {
    // Gone again, so lint and prettier never see generated files.
    for (const file of generated) fs.rmSync(file, { force: true });
  }
}

const one = (resources: SynthRecord[], type: string, name?: string): SynthRecord => {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length === 1) return found[0];
  throw new Error(`expected one ${type} ${name ?? ""}, got ${found.length}`);
};

function expectEqual(what: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

/** Synthesizes the example: its cluster, Helm releases, own IRSA role (add-ons have their own). */
async function synth(): Promise<number> {
  const config = readStackConfig("dev", EXAMPLE);
  const entry = pathToFileURL(path.join(EXAMPLE, "dist", "index.js")).href;
  const { resources } = await synthesize(config, async () => (await import(entry)).default);
  const cluster = one(resources, "eks:index:Cluster");
  expectEqual("cluster name", cluster.inputs.name, "orders-dev");
  const releases = resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
  expectEqual("Helm charts", releases.map((r) => r.inputs.chart).sort(), [
    "metrics-server",
    "reloader",
  ]);
  const own = resources.filter((r) => r.type === "eks-blueprint:index:IrsaRole" && !r.parent);
  expectEqual(
    "the example's own IRSA roles",
    own.map((r) => r.name),
    ["orders-api"],
  );
  const role = one(resources, "aws:iam/role:Role", "orders-api");
  expectEqual("IRSA role parent", role.parent, "eks-blueprint:index:IrsaRole::orders-api");
  // The cluster's OIDC provider, from the mocks as a consumer gets them (`eks-blueprint/testing`).
  const testing = createRequire(path.join(EXAMPLE, "package.json"))(
    "eks-blueprint/testing",
  ) as typeof import("../../synth/mocks");
  const mocks = testing.createMocks([], config.config["aws:region"]);
  const { state } = await mocks.newResource(cluster);
  const issuer = String(state.oidcIssuer);
  expectEqual("IRSA trust policy", JSON.parse(String(role.inputs.assumeRolePolicy)), {
    Statement: [
      {
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:aud`]: "sts.amazonaws.com",
            [`${issuer}:sub`]: "system:serviceaccount:orders:orders-api",
          },
        },
        Effect: "Allow",
        Principal: { Federated: state.oidcProviderArn },
      },
    ],
    Version: "2012-10-17",
  });
  return resources.length;
}

/**
 * The example's own `npm test`: jest, resolving `eks-blueprint` and `eks-blueprint/testing` from
 * the installed tarball by its `exports`, as a consumer's test does. Returns jest's summary line.
 */
function consumerTests(): string {
  // Its transform cache beside ours (not jest's shared /tmp/jest_*), cleared with it by the bench.
  const cache = path.join(ROOT, "node_modules", ".cache", "jest-consumer");
  const jest = [
    require.resolve("jest/bin/jest"),
    "--ci",
    "--colors=false",
    "--cacheDirectory",
    cache,
  ];
  const r = spawnSync(process.execPath, jest, { cwd: EXAMPLE, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the example's jest test failed:\n${r.stdout}${r.stderr}`);
  return `jest ${/^Tests:\s+(.*)$/m.exec(r.stderr)?.[1] ?? "passed"}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const step = async <T>(label: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = Date.now();
    const result = await fn();
    console.log(`  ${label} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    return result;
  };
  console.log("consumer check: examples/consumer against the packed library");
  const files = await step("npm pack: library files only", pack);
  await step("npm install of the tarball", install);
  await step("tsgo: example and README usage compile against the package", compile);
  const count = await step("synth under the mocks: cluster, 2 Helm releases, IRSA role", synth);
  const tests = await step("jest: examples/consumer/test on eks-blueprint/testing", consumerTests);
  console.log(
    `ok: ${files.length} files packed, ${count} resources synthesized, ${tests}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(`consumer check failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
