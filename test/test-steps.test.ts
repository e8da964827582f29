import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { RUN, stackSteps, STEPS } from "../tools/test/steps";
import type { RawConfig } from "./stack-harness";

// tools/test/steps.ts: `npm test` got faster without dropping a check (issue 15).
const root = path.join(__dirname, "..");
const commands = Object.fromEntries(STEPS.map((s) => [s.name, s.command]));

// The stacks as the files at the root say, read here, not by the code under test.
const stackFiles = readdirSync(root).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
const declaredPeers = (stack: string): string[] =>
  ((parse(readFileSync(path.join(root, `Pulumi.${stack}.yaml`), "utf8")) as { config: RawConfig })
    .config["migration:peers"] as string[]) ?? [];

test("npm test runs every check the sequential chain ran, and the library build", () => {
  const pairs = stackFiles.flatMap((s) => declaredPeers(s).map((p) => [s, p].sort().join(" ")));
  expect(STEPS.map((s) => s.name).sort()).toEqual(
    [
      "eslint",
      "jest",
      "pack",
      "prettier",
      "type check",
      "workflow lint",
      // Per Pulumi.<stack>.yaml, and per pair declared in migration:peers (on either side), once.
      ...stackFiles.flatMap((s) => [`synth ${s}`, `rehearse ${s}`]),
      ...[...new Set(pairs)].map((pair) => `coexist ${pair}`),
    ].sort(),
  );
});

test("a stack gets its synth and rehearsal; only declared peers get a coexistence check", () => {
  expect(stackSteps(["prod", "staging"], []).map((s) => s.command)).toEqual([
    "node --require ./tools/run/register.cjs tools/synth/main.ts prod --out out/prod.json",
    "node --require ./tools/run/register.cjs tools/synth/main.ts staging --out out/staging.json",
    "node --require ./tools/run/register.cjs tools/rehearse/main.ts prod --no-order",
    "node --require ./tools/run/register.cjs tools/rehearse/main.ts staging --no-order",
  ]);
  expect(stackSteps([], [["prod", "prod2"]])).toEqual([
    {
      name: "coexist prod prod2",
      command: "node --require ./tools/run/register.cjs tools/coexist/main.ts prod prod2",
    },
  ]);
});

test("jest comes first, so it holds one of the two slots while the rest take the other", () => {
  expect(STEPS[0].name).toBe("jest");
  expect(RUN).toEqual({ maxProcesses: 2, group: true, prefix: "name" });
});

test("the consumer check runs only after the build it packs has passed", () => {
  expect(commands.pack).toBe(
    "tsgo -p tsconfig.build.json && node --require ./tools/run/register.cjs tools/pack/consumer-check.ts",
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
