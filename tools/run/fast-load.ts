// Fast starts: Node's V8 code cache on disk (module.enableCompileCache, Node >= 22.8) and deferring
// modules @pulumi/* require eagerly but a synth never uses (0.4 s of a prod2 synth). The deferral
// relies on Node's CommonJS loader and @pulumi/* file names: test/fast-load.test.ts catches moves.
// EKS_BLUEPRINT_COMPILE_CACHE=0|<dir> (off, or where) and EKS_BLUEPRINT_LAZY_LOAD=0 (off).
import Module from "node:module";
import * as path from "node:path";
import { runMain } from "./args";

/**
 * A stand-in requiring the real module on first touch; till then `__esModule` is `esModule`, for
 * TypeScript's import helpers; `callable`: it is a function.
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

/** Node's CommonJS loader parts (lib/internal/modules/cjs/loader.js) that @types/node omits. */
type CjsModule = { filename: string | null };
interface CjsLoader {
  _load(request: string, parent: CjsModule | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: object): string;
}
const loader = Module as unknown as CjsLoader;

const CODE_PATHS = "@pulumi/pulumi/runtime/closure/codePaths.js";
/** Modules @pulumi/* require at load for features a synth never reaches: loaded on first use. */
export const DEFERRED: { from: string; request: string; esModule?: true; callable?: true }[] = [
  // TypeScript's compiler (8.9 MB): only to serialize functions (pulumi.runtime.serializeFunction).
  { from: "@pulumi/pulumi/typescript-shim.js", request: "typescript" },
  // npm's Arborist and its registry client: only to find the packages a serialized function uses.
  { from: CODE_PATHS, request: "@npmcli/arborist", esModule: true },
  { from: CODE_PATHS, request: "normalize-package-data", callable: true },
  // The Automation API (pulumi.automation) drives the CLI; a program does not use it.
  { from: "@pulumi/pulumi/index.js", request: "./automation", esModule: true },
  // awsx.classic (and the AWS SDK's ECS client with it); our program uses only awsx.ec2.
  { from: "@pulumi/awsx/index.js", request: "./classic", esModule: true },
];

/** The package directory of each DEFERRED module, as `node_modules/<path>/`. */
export const deferredDirs = (): string[] =>
  DEFERRED.map(({ from, request }) =>
    request.startsWith("./")
      ? `node_modules/${path.posix.join(path.posix.dirname(from), request)}/`
      : `node_modules/${request}/`,
  );

/** Makes every DEFERRED require return a deferredModule, if the module is installed. */
export function deferUnusedModules(): void {
  const load = loader._load;
  const suffixes = DEFERRED.map((d) => ({ ...d, from: path.join("node_modules", d.from) }));
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
  const compiled = __dirname.includes(`${path.sep}dist${path.sep}`);
  const root = path.resolve(__dirname, "../..", compiled ? ".." : "");
  // Node >= 22.8 (not in @types/node 20); never throws, and an unwritable directory leaves the
  // cache off (nodejs.org/api/module.html#moduleenablecompilecachedirectory).
  (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache?.(
    cache || path.join(root, "node_modules", ".cache", "eks-blueprint", "compile"),
  );
}

/** Runs a CLI entry like the synth: fast loading, then `runMain` (an error as its message alone). */
export function runCli(entry: (argv: string[]) => Promise<number>): void {
  enableFastLoad();
  runMain(entry, (code) => process.exit(code));
}
