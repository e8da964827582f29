// Bench child: `node dist/tools/bench/split.js <stack>` synthesizes as tools/synth/main.ts does and
// reports Node's startup, module loading and evaluation (registering until disconnect).
import { moduleLoadTimer, report } from "./child";
import { enableFastLoad } from "../run/fast-load";

const bootMs = performance.now(); // since the process started: Node's own bootstrap
const stack = process.argv[2] ?? "prod2";
const timer = moduleLoadTimer();
enableFastLoad();
const start = performance.now();
// Synchronously at the top level, exactly as tools/synth/main.ts requires it.
const { synthStack } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../../synth/synth-stack") as typeof import("../../synth/synth-stack");
const loaded = performance.now();
const requireModuleMs = timer.ms();

report(
  synthStack(stack).then((result) => {
    const evalMs = performance.now() - loaded;
    // Modules first required while the program ran (for example @pulumi/aws's iam, ec2 and kms).
    const evalModuleMs = timer.ms() - requireModuleMs;
    return {
      stack,
      resources: result.resources.length,
      bootMs,
      moduleLoadMs: loaded - start + evalModuleMs,
      evaluateMs: evalMs - evalModuleMs,
      lazyModuleMs: evalModuleMs,
    };
  }),
);
