import { readFileSync } from "node:fs";
import * as path from "node:path";
import { backgroundRun } from "../tools/jest/background";
import { DEFERRED, deferredDirs, deferredModule } from "../tools/run/fast-load";

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
// loads what the synth loads (test/fixtures/deferred-loads.cjs, with and without the deferral,
// started by jest's global setup in band: tools/jest/background.ts), and no DEFERRED module may be
// in its module cache.
test("with the deferral on, loading @pulumi/pulumi and @pulumi/awsx leaves every deferred module unloaded", async () => {
  const run = await backgroundRun(path.basename(__filename));
  expect([run.code, run.stderr]).toEqual([0, ""]);
  const [deferred, plain] = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as string[]);
  expect(deferred).toEqual([]);
  // The control: without the deferral, every one of them loads.
  expect(plain).toEqual(deferredDirs());
});
