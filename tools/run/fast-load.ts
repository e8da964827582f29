// How our programs start fast (bench/README.md has the figures): Node's on-disk V8 code cache
// (module.enableCompileCache, Node >= 22.8) and deferred loading of the modules @pulumi/* require
// eagerly but a synth never uses (0.4 s of a prod2 synth). The deferral reaches into Node's
// CommonJS loader and names files of @pulumi/*: test/fast-load.test.ts fails when either moves.
// EKS_BLUEPRINT_COMPILE_CACHE=0 and EKS_BLUEPRINT_LAZY_LOAD=0 turn them off;
// EKS_BLUEPRINT_COMPILE_CACHE=<dir> moves the cache.
import Module from "node:module";
import * as path from "node:path";

/**
 * A stand-in for a module that requires the real one the first time anything touches it. jest
 * uses it too, for two modules in every test file (tools/jest/lazy.cjs).
 *
 * `esModule` is what `__esModule` reads as before then, so TypeScript's __importStar and
 * __importDefault helpers keep their semantics without loading the module; `callable` makes the
 * stand-in a function, for a module that exports one.
 */
export function deferredModule(load: () => object, esModule: boolean, callable: boolean): object {
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

/** The parts of Node's CommonJS loader (lib/internal/modules/cjs/loader.js) that @types/node omits. */
interface CjsModule {
  filename: string | null;
}
interface CjsLoader {
  _load(request: string, parent: CjsModule | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: object): string;
}
const loader = Module as unknown as CjsLoader;

/** `module.enableCompileCache`'s result (nodejs/node doc/api/module.md, "Module compile cache"). */
interface CompileCacheResult {
  status: number;
  message?: string;
  directory?: string;
}
type EnableCompileCache = (directory?: string) => CompileCacheResult;

/**
 * Turns on Node's module compile cache in `directory` and returns the directory it uses, or
 * undefined where this Node has none (before 22.8: modules then load plainly, without a cache).
 * Node keeps the cache per Node version and architecture, checks each entry against the module's
 * source, and never throws: a directory it cannot write just leaves the cache off
 * (https://nodejs.org/api/module.html#moduleenablecompilecachedirectory). @types/node 20 does
 * not declare the function, hence the lookup.
 */
export function enableCompileCache(
  directory: string,
  runtime: { enableCompileCache?: EnableCompileCache } = Module as never,
): string | undefined {
  return runtime.enableCompileCache?.(directory).directory;
}

/**
 * Modules that @pulumi/* require when loaded but use only for features the synth never reaches.
 * Each is required on first use of any property instead. `esModule` is what `__esModule` reads
 * as before then, so TypeScript's __importStar/__importDefault helpers keep their semantics.
 */
export const DEFERRED: { from: string; request: string; esModule?: true; callable?: true }[] = [
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
  if (cache === "0") return;
  const root = path.resolve(
    __dirname,
    "../..",
    __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "",
  );
  enableCompileCache(
    cache || path.join(root, "node_modules", ".cache", "eks-blueprint", "compile"),
  );
}

/**
 * Runs a command-line entry point the way the synth does: fast loading first, its exit code, and
 * an error as one line (a config error's message is the whole report).
 */
export function runCli(entry: (argv: string[]) => Promise<number>): void {
  enableFastLoad();
  entry(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
