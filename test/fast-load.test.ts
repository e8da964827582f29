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
// loads what the synth loads, and no DEFERRED module may be in its module cache.
test("with the deferral on, loading @pulumi/pulumi and @pulumi/awsx leaves every deferred module unloaded", () => {
  const dirs = DEFERRED.map(({ from, request }) =>
    request.startsWith("./")
      ? `node_modules/${path.posix.join(path.posix.dirname(from), request)}/`
      : `node_modules/${request}/`,
  );
  const loaded = (defer: boolean): string[] => {
    const script = `
      if (${defer}) require("./tools/run/fast-load.ts").deferUnusedModules();
      require("@pulumi/pulumi");
      require("@pulumi/awsx");
      const files = Object.keys(require.cache).map((f) => f.split(require("node:path").sep).join("/"));
      const dirs = ${JSON.stringify(dirs)};
      console.log(JSON.stringify(dirs.filter((d) => files.some((f) => f.includes(d)))));`;
    const options = { cwd: path.join(__dirname, ".."), encoding: "utf8" } as const;
    const args = ["--require", "./tools/run/register.cjs", "-e", script];
    return JSON.parse(execFileSync(process.execPath, args, options)) as string[];
  };
  expect(loaded(true)).toEqual([]);
  // The control: without the deferral, every one of them loads.
  expect(loaded(false)).toEqual(dirs);
});
