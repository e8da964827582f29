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
