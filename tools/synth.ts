// Offline synth: `npm run synth -- <stack> [--out <file.json>]`.
//
// Most of a synth's wall time is Node loading @pulumi/* (bench/README.md has the figures), so
// before anything else is required this entry point makes loading cheaper without changing what
// runs: a V8 code cache (Node 20 has no module.enableCompileCache) and deferred loading of
// modules @pulumi/* require eagerly but the synth never uses. `pulumi up` runs dist/index.js and is
// untouched by either. EKS_BLUEPRINT_COMPILE_CACHE=0 and EKS_BLUEPRINT_LAZY_LOAD=0 turn them off.
import * as crypto from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

/** The parts of Node's CommonJS loader (lib/internal/modules/cjs/loader.js) that @types/node omits. */
interface CjsModule {
  exports: unknown;
  filename: string | null;
  require(id: string): unknown;
  _compile(content: string, filename: string, format?: string): unknown;
}
interface CjsLoader {
  prototype: CjsModule;
  wrap(content: string): string;
  _load(request: string, parent: CjsModule | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: object): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _extensions: object;
  _cache: object;
}
const loader = Module as unknown as CjsLoader;

/** Node's makeRequireFunction, for modules we compile ourselves. */
function requireFor(mod: CjsModule) {
  const req = (id: string) => mod.require(id);
  const resolve = (request: string, options?: object) =>
    loader._resolveFilename(request, mod, false, options);
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  return Object.assign(req, {
    resolve,
    // What Node sets: the entry module, even when this file was loaded first (node -r).
    main: process.mainModule,
    extensions: loader._extensions,
    cache: loader._cache,
  });
}

type CacheEntry = { hash: string; data: Buffer };

/** One file: a 4-byte header length, a JSON index `{file: [hash, offset, length]}`, the blobs. */
function readCache(file: string): Map<string, CacheEntry> {
  const entries = new Map<string, CacheEntry>();
  try {
    const buf = readFileSync(file);
    const headerEnd = 4 + buf.readUInt32LE(0);
    const index = JSON.parse(buf.toString("utf8", 4, headerEnd)) as Record<
      string,
      [string, number, number]
    >;
    for (const [name, [hash, offset, length]] of Object.entries(index)) {
      const start = headerEnd + offset;
      entries.set(name, { hash, data: buf.subarray(start, start + length) });
    }
  } catch {
    // No cache yet, or an unreadable one: compile from source and write a new one.
  }
  return entries;
}

function writeCache(file: string, entries: Map<string, CacheEntry>): void {
  const index: Record<string, [string, number, number]> = {};
  const blobs: Buffer[] = [];
  let offset = 0;
  for (const [name, { hash, data }] of entries) {
    if (!existsSync(name)) continue; // a file deleted since: drop its entry
    index[name] = [hash, offset, data.length];
    blobs.push(data);
    offset += data.length;
  }
  const header = Buffer.from(JSON.stringify(index));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: two synths running at once never read a half-written cache.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([length, header, ...blobs]));
  renameSync(tmp, file);
}

/**
 * Compiles every CommonJS module through vm.Script with V8 code cache, kept in one file. The key
 * is the source's SHA-1: V8's own check compares only the source's length, so a same-length edit
 * would otherwise run stale code. V8 rejects data from another V8 version or other flags; the
 * module is then compiled from source and its entry rewritten.
 */
export function enableCompileCache(file: string): void {
  const entries = readCache(file);
  const fresh: { name: string; hash: string; script: vm.Script }[] = [];
  const compile = loader.prototype._compile;
  loader.prototype._compile = function (content, filename, format) {
    if (format !== undefined && format !== "commonjs") {
      return compile.call(this, content, filename, format);
    }
    // A hashbang is only valid at the very start of a script, which wrapping moves it from.
    const source = content.startsWith("#!") ? `//${content}` : content;
    const hash = crypto.hash
      ? crypto.hash("sha1", source, "base64")
      : crypto.createHash("sha1").update(source).digest("base64");
    const entry = entries.get(filename);
    const cachedData = entry?.hash === hash ? entry.data : undefined;
    const script = new vm.Script(loader.wrap(source), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected) {
      fresh.push({ name: filename, hash, script });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (
      this: unknown,
      ...args: unknown[]
    ) => unknown;
    const req = requireFor(this);
    return wrapper.call(this.exports, this.exports, req, this, filename, path.dirname(filename));
  };
  process.once("exit", () => {
    if (fresh.length === 0) return;
    // Created at exit, so the data also holds every function compiled while the program ran.
    for (const { name, hash, script } of fresh) {
      entries.set(name, { hash, data: script.createCachedData() });
    }
    try {
      writeCache(file, entries);
    } catch {
      // A read-only checkout still synthesizes, just without the cache.
    }
  });
}

/**
 * Modules that @pulumi/* require when loaded but use only for features the synth never reaches.
 * Each is required on first use of any property instead. `esModule` is what `__esModule` reads
 * as before then, so TypeScript's __importStar/__importDefault helpers keep their semantics.
 */
const DEFERRED: { from: string; request: string; esModule?: true; callable?: true }[] = [
  // TypeScript's compiler (8.9 MB): only to serialize JavaScript functions (pulumi.runtime.serializeFunction).
  { from: "@pulumi/pulumi/typescript-shim.js", request: "typescript" },
  // npm's Arborist and its registry client: only to find the packages a serialized function uses.
  {
    from: "@pulumi/pulumi/runtime/closure/codePaths.js",
    request: "@npmcli/arborist",
    esModule: true,
  },
  {
    from: "@pulumi/pulumi/runtime/closure/codePaths.js",
    request: "normalize-package-data",
    callable: true,
  },
  // The Automation API (pulumi.automation) drives the CLI; a program does not use it.
  { from: "@pulumi/pulumi/index.js", request: "./automation", esModule: true },
  // awsx.classic (and the AWS SDK's ECS client with it); our program uses only awsx.ec2.
  { from: "@pulumi/awsx/index.js", request: "./classic", esModule: true },
];

/** A stand-in that requires the real module the first time anything touches it. */
function deferredModule(load: () => object, esModule: boolean, callable: boolean): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  // A bound function is callable and constructible yet has no non-configurable own keys.
  const stub: object = callable ? function () {}.bind(null) : {};
  return new Proxy(stub, {
    get: (_, key) =>
      key === "__esModule" && real === undefined
        ? esModule || undefined
        : Reflect.get(target(), key),
    has: (_, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    apply: (_, self, args) => Reflect.apply(target() as () => unknown, self, args),
    construct: (_, args) => Reflect.construct(target() as new () => object, args),
  });
}

/** Makes every DEFERRED require return a deferredModule, if the module is installed. */
export function deferUnusedModules(): void {
  const load = loader._load;
  const suffixes = DEFERRED.map((d) => ({
    ...d,
    from: `node_modules/${d.from}`.split("/").join(path.sep),
  }));
  loader._load = function (request, parent, isMain) {
    const d =
      parent && suffixes.find((s) => s.request === request && parent.filename?.endsWith(s.from));
    if (!d) return load.call(this, request, parent, isMain);
    try {
      loader._resolveFilename(request, parent, isMain);
    } catch {
      // Not installed: fail now, as the real require would, so a caller's fallback still runs
      // (typescript-shim.js falls back to its vendored TypeScript).
      return load.call(this, request, parent, isMain);
    }
    return deferredModule(
      () => load.call(this, request, parent, isMain) as object,
      d.esModule === true,
      d.callable === true,
    );
  };
}

/** Installs both, as the environment allows; the bench's child programs call this too. */
export function enableFastLoad(env: NodeJS.ProcessEnv = process.env): void {
  if (env.EKS_BLUEPRINT_LAZY_LOAD !== "0") deferUnusedModules();
  const cache = env.EKS_BLUEPRINT_COMPILE_CACHE;
  // Early Node 20 releases lack the constant that keeps import() working inside vm.Script.
  const importable = (vm as { constants?: typeof vm.constants }).constants
    ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // Node maps stack traces (--enable-source-maps) and breaks on the first line (--inspect-brk)
  // only for modules it compiles itself.
  const debugging =
    process.sourceMapsEnabled || process.execArgv.some((a) => a.startsWith("--inspect"));
  if (cache === "0" || debugging || !importable) return;
  const root = path.resolve(
    __dirname,
    "..",
    __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "",
  );
  const dir = cache || path.join(root, "node_modules", ".cache", "eks-blueprint");
  enableCompileCache(path.join(dir, `synth-${process.version}-${process.arch}.bin`));
}

async function main(argv: string[]): Promise<number> {
  // Required only now, after enableFastLoad, and synchronously, so that Node's stat cache (on while
  // the entry module's top level runs) serves every nested require.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { synthJson, synthStack } = require("./synth-stack") as typeof import("./synth-stack");
  const { renderTree } = require("./tree") as typeof import("./tree");
  const { evaluatePolicies, formatViolations, isProductionStack, mandatoryCount } =
    require("../policy/rules") as typeof import("../policy/rules");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const stack = argv.find(
    (a, i) => (!a.startsWith("--") && i !== outIndex + 1) || (outIndex < 0 && !a.startsWith("--")),
  );
  if (!stack || (outIndex >= 0 && !out)) {
    console.error("usage: npm run synth -- <stack> [--out <file.json>]");
    return 2;
  }
  const result = await synthStack(stack);
  console.log(`stack ${stack}\n`);
  console.log(renderTree(result.resources));
  const violations = evaluatePolicies(result, { stack, production: isProductionStack(stack) });
  console.log(`\npolicy checks (policy/rules.ts):\n${formatViolations(violations)}`);
  if (mandatoryCount(violations) > 0) {
    console.error(`\n${stack}: mandatory policy violations; nothing written`);
    return 1;
  }
  if (out) {
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, synthJson(result));
    console.log(`\nwrote ${out}`);
  }
  return 0;
}

if (require.main === module) {
  enableFastLoad();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
