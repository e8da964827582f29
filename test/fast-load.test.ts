import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DEFERRED, deferredModule } from "../tools/run/fast-load";

// tools/run/fast-load.ts defers requires it finds by the requiring file and the request; when
// @pulumi/* moves one, the deferral silently stops and the synth slows: this fails instead.
test.each(DEFERRED.map((d) => [d.from, d.request]))("%s still requires %s", (from, request) => {
  const text = readFileSync(path.join(__dirname, "..", "node_modules", from), "utf8");
  expect(text).toContain(`require("${request}")`);
});

test("a deferred module loads on first use, and only then", () => {
  let loads = 0;
  const m = deferredModule(() => (loads++, { answer: 42 }), true, false) as { answer: number };
  expect(loads).toBe(0);
  expect((m as { __esModule?: boolean }).__esModule).toBe(true);
  expect(loads).toBe(0);
  expect(m.answer).toBe(42);
  expect(loads).toBe(1);
});

// The deferral hooks Node's CommonJS loader (Module._load, parent.filename): a child process
// loads what the synth loads, and what is deferred must not be in its module cache.
test("with the deferral on, loading @pulumi/pulumi and @pulumi/awsx leaves the deferred modules unloaded", () => {
  const loaded = (defer: boolean) => {
    const script = `
      if (${defer}) require("./tools/run/fast-load.ts").deferUnusedModules();
      require("@pulumi/pulumi");
      require("@pulumi/awsx");
      const names = ["typescript/lib/typescript.js", "@npmcli/arborist", "pulumi/automation/index.js", "awsx/classic/index.js"];
      const files = Object.keys(require.cache);
      console.log(JSON.stringify(names.filter((n) => files.some((f) => f.split(require("node:path").sep).join("/").includes(n)))));`;
    const out = execFileSync(
      process.execPath,
      ["--require", "./tools/run/register.cjs", "-e", script],
      {
        cwd: path.join(__dirname, ".."),
        encoding: "utf8",
      },
    );
    return JSON.parse(out) as string[];
  };
  expect(loaded(true)).toEqual([]);
  // The control: without it, all four load.
  expect(loaded(false)).toHaveLength(4);
});
