// Offline synth: `npm run synth -- <stack> [--out <file.json>]`.
//
// Most of a synth's wall time is Node loading @pulumi/* (bench/README.md has the figures), so
// before anything else is required this entry point makes loading cheaper without changing what
// runs: Node's own on-disk V8 code cache (module.enableCompileCache, Node >= 22.8) and deferred
// loading of modules @pulumi/* require eagerly but the synth never uses. `npm run synth` runs this
// file from its source, where tools/run/register.cjs has turned the compile cache on already (the
// call here is then a no-op; it matters for `node dist/tools/synth/main.js`); `pulumi up` gets the
// compile cache from the same register and never the deferral. EKS_BLUEPRINT_COMPILE_CACHE=0 and
// EKS_BLUEPRINT_LAZY_LOAD=0 turn them off; EKS_BLUEPRINT_COMPILE_CACHE=<dir> moves the cache.
import { mkdirSync, writeFileSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { deferredModule } from "../run/deferred-module";

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

async function main(argv: string[]): Promise<number> {
  // Required only now, after enableFastLoad, and synchronously, so that Node's stat cache (on while
  // the entry module's top level runs) serves every nested require.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { synthJson, synthStack } =
    require("../../synth/synth-stack") as typeof import("../../synth/synth-stack");
  const { renderTree } = require("./tree") as typeof import("./tree");
  const { evaluatePolicies, formatViolations, isProductionStack, mandatoryCount } =
    require("../../policy/rules") as typeof import("../../policy/rules");
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

if (require.main === module) runCli(main);
