import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { nodeRuntime, splitNodeargs } from "../tools/run/cli-start";
import { cacheKey, transpile } from "../tools/run/transpile.cjs";

// tools/run/transpile.cjs: the TypeScript loader every npm script and `pulumi preview` run through.

/** Runs CommonJS code as a module named `filename` and returns its exports. */
function load(code: string, filename: string): unknown {
  const m = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  m.filename = filename;
  m._compile(code, filename);
  return m.exports;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "eks-transpile-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ["export =", "export = { answer: 42 };", { answer: 42 }],
  ["an enum", "enum Size { S = 1, M }\nexport const m = Size.M;", { m: 2 }],
  [
    "a parameter property",
    "class P { constructor(readonly name: string) {} }\nexport const n = new P('x').name;",
    { n: "x" },
  ],
  [
    "types and a type-only import",
    "import type { Foo } from './nowhere';\nconst f: Foo | number = 3;\nexport default f as number;",
    { default: 3 },
  ],
])("TypeScript with %s runs as CommonJS", (_, source, exports) => {
  const file = path.join(dir, "m.ts");
  expect({ ...(load(transpile(source, file, undefined), file) as object) }).toEqual(exports);
});

test("class fields keep define semantics, as tsc emits them for target ES2022", () => {
  const file = path.join(dir, "c.ts");
  const source = [
    "class Base { constructor() { (this as any).init(); } init() {} }",
    "class Child extends Base { value?: number; override init() { this.value = 1; } }",
    "export const v = new Child().value;",
  ].join("\n");
  // With define semantics the declared field is set to undefined after super() returns.
  expect(load(transpile(source, file, undefined), file)).toEqual({ v: undefined });
});

test("a dynamic import stays import(), as tsc emits it for module node16", () => {
  const code = transpile("export const load = () => import('./x.mjs');", "/m.ts", undefined);
  expect(code).toContain("const load = ()=>import('./x.mjs');");
  expect(code).not.toContain("require(");
});

test("a file compiled once is read back from the cache, not compiled again", () => {
  const file = path.join(dir, "a.ts");
  const first = transpile("export const a: number = 1;", file, dir);
  const [bucket] = readdirSync(dir);
  const [entry] = readdirSync(path.join(dir, bucket));
  expect(readFileSync(path.join(dir, bucket, entry), "utf8")).toBe(first);
  // Proof that the second call reads the entry: it returns what the entry now holds.
  writeFileSync(path.join(dir, bucket, entry), "exports.a = 2;");
  expect(transpile("export const a: number = 1;", file, dir)).toBe("exports.a = 2;");
});

test("an unwritable cache only costs time", () => {
  const file = path.join(dir, "b.ts");
  const blocked = path.join(dir, "blocked");
  writeFileSync(blocked, "a file where the cache directory would be");
  expect(load(transpile("export const b = 2;", file, blocked), file)).toEqual({ b: 2 });
});

test.each([
  ["the text", ["x;", "/a.ts", "1.0.0"]],
  ["the path", ["export {};", "/b.ts", "1.0.0"]],
  ["the compiler version", ["export {};", "/a.ts", "1.0.1"]],
] as const)("the cache key changes with %s", (_, [source, filename, version]) => {
  const base = cacheKey("export {};", "/a.ts", "1.0.0");
  expect(base).toMatch(/^[0-9a-f]{64}$/);
  expect(cacheKey(source, filename, version)).not.toBe(base);
});

test("a program started with Pulumi.yaml's nodeargs names the .ts line that threw", () => {
  // Types and blank lines before the throw: the compiled code's line would be another one.
  const file = path.join(dir, "throws.ts");
  writeFileSync(
    file,
    "interface A {\n  x: number;\n}\n\nconst a: A = { x: 1 };\n\nthrow new Error(`boom ${a.x}`);\n",
  );
  const root = path.join(__dirname, "..");
  const r = spawnSync(process.execPath, [...splitNodeargs(nodeRuntime(root).nodeargs), file], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, EKS_BLUEPRINT_TS_CACHE: "0", EKS_BLUEPRINT_COMPILE_CACHE: "0" },
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${file}:7:7`);
});
