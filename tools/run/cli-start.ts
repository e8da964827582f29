// The Pulumi CLI's start of this program, without the CLI: the nodejs language host runs `node
// <nodeargs> <@pulumi/pulumi/cmd/run> --monitor … --project … --stack … --pwd <dir of main>
// [--dry-run] <main>` in `main`'s directory, config in PULUMI_CONFIG (pulumi/pulumi
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go: execRuntime, constructArguments;
// pkg/engine/project.go getPwdMain). Our engine: mock-engine.ts, after the nodeargs.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { readStackConfig } from "../../synth/stack-files";

/** Reads `runtime.options` and `main` as the language host does (typescript defaults to true). */
export function nodeRuntime(root: string) {
  const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
    main?: string;
    runtime: string | { name: string; options?: { nodeargs?: string; typescript?: boolean } };
  };
  const options = typeof project.runtime === "string" ? {} : (project.runtime.options ?? {});
  return {
    main: project.main ?? ".",
    nodeargs: options.nodeargs ?? "",
    typescript: options.typescript ?? true,
  };
}

/** nodeargs as words: the host's shell-style split (github.com/google/shlex), minus quoting. */
export function splitNodeargs(nodeargs: string): string[] {
  if (/["'\\]/.test(nodeargs)) {
    throw new Error(
      `Pulumi.yaml runtime.options.nodeargs: quotes and escapes are not handled here (got ${JSON.stringify(nodeargs)}); use plain words`,
    );
  }
  return nodeargs.split(/\s+/).filter(Boolean);
}

/** The program's start for `stack` under the mocks, as `pulumi preview` (a dry run) would do it. */
export function cliStart(root: string, stack: string) {
  const runtime = nodeRuntime(root);
  const config = readStackConfig(stack, root);
  const main = path.resolve(root, runtime.main);
  const run = require.resolve("@pulumi/pulumi/cmd/run", { paths: [root] });
  return {
    cwd: path.dirname(main),
    args: [
      ...splitNodeargs(runtime.nodeargs),
      ...["--require", path.join(root, "tools", "run", "mock-engine.ts"), run],
      ...["--monitor", "mock", "--project", config.project, "--stack", stack],
      ...["--pwd", path.dirname(main), "--dry-run", path.basename(main)],
    ],
    env: {
      PULUMI_CONFIG: JSON.stringify(config.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys),
      ...(runtime.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    },
  };
}
