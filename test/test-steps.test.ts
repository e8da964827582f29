import { existsSync } from "node:fs";
import * as path from "node:path";
import { RUN, STEPS } from "../tools/test/steps";

// tools/test/steps.ts: `npm test` got faster without dropping a check (issue 15).
const root = path.join(__dirname, "..");
const commands = Object.fromEntries(STEPS.map((s) => [s.name, s.command]));

test("npm test runs every check the sequential chain ran, and the library build", () => {
  expect(STEPS.map((s) => s.name).sort()).toEqual(
    [
      "eslint",
      "jest",
      "prettier",
      "type check and pack",
      "workflow lint",
      // Each Pulumi.<stack>.yaml's synth with its policy checks (jest's global setup), its
      // rehearsal and its declared peers' coexistence check run in jest, once.
    ].sort(),
  );
});

test("jest comes first, so it holds one of the two slots while the rest take the other", () => {
  expect(STEPS[0].name).toBe("jest");
  expect(RUN).toEqual({ maxProcesses: 2, group: true, prefix: "name" });
});

test("the consumer check runs only after the type check whose build it packs has passed", () => {
  expect(commands["type check and pack"]).toBe(
    "tsgo -p tsconfig.json --incremental false --singleThreaded && node --require ./tools/run/register.cjs tools/pack/consumer-check.ts",
  );
});

test.each(
  STEPS.flatMap((s) =>
    [...s.command.matchAll(/register\.cjs (\S+\.ts)/g)].map((m) => [s.name, m[1]]),
  ),
)("%s runs a source file that exists (%s)", (_, file) => {
  expect(existsSync(path.join(root, file))).toBe(true);
});

test("eslint and prettier keep content-keyed caches under node_modules/.cache", () => {
  expect(commands.eslint).toBe(
    "eslint --cache --cache-strategy content --cache-location node_modules/.cache/eslint/ .",
  );
  expect(commands.prettier).toBe(
    "prettier --check --cache --cache-strategy content --cache-location node_modules/.cache/prettier/cache.json .",
  );
});
