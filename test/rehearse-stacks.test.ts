// The committed stacks rehearse clean, every rule is traceable, and an update from today's synth
// that used to be a blocker (blockers 5, 6, 7 of issue 13) now passes.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { smokeCheckIds } from "../policy/workflows";
import { parseArgs } from "../tools/rehearse/main";
import { rehearse } from "../policy/rehearse/rehearse";
import { allRules } from "../policy/rehearse/rules";
import { stackNames } from "../stacks/stack-names";
import type { RawConfig } from "./stack-harness";
import { committedConfig, committedSynth, synthStackWith } from "./stack-harness";
import { expectDestroyFollowsProtect, expectFirstUpClean } from "./stack-suites";

test.each(stackNames())("%s rehearses its first up with 0 blockers", async (stack) => {
  await expectFirstUpClean(stack, committedSynth(stack).resources);
});

test.each(stackNames())(
  "%s's destroy rehearsal asks only for the protection its config keeps to be lifted first",
  async (stack) => {
    const head = committedSynth(stack).resources;
    await expectDestroyFollowsProtect(stack, head, committedConfig(stack));
  },
);

describe("updates that were blockers at fb96b52 now pass", () => {
  const rehearseUpdate = async (stack: string, mutate: (c: RawConfig) => void) => {
    const base = committedSynth(stack).resources;
    const head = (await synthStackWith(stack, mutate)).resources;
    const report = rehearse(
      { stack, project: { name: "eks-blueprint" }, stackConfig: {}, head, base },
      allRules.filter((r) => r.phase === "update"),
    );
    return report.findings;
  };

  test("5: new instance types for a node group", async () => {
    const findings = await rehearseUpdate("prod2", (c) => {
      (
        c["eks-blueprint:nodeGroups"] as Record<string, { instanceTypes: string[] }>
      ).general.instanceTypes = ["m7i.xlarge", "m6i.xlarge"];
    });
    expect(findings).toEqual([]);
  });
  test("6: prod from Kubernetes 1.34 to 1.35", async () => {
    const findings = await rehearseUpdate("prod", (c) => {
      c["eks-blueprint:kubernetesVersion"] = "1.35";
    });
    expect(findings).toEqual([]);
  });
  test("prod2 from Kubernetes 1.35 to 1.36, its GPU group included", async () => {
    const findings = await rehearseUpdate("prod2", (c) => {
      c["eks-blueprint:kubernetesVersion"] = "1.36";
    });
    expect(findings).toEqual([]);
  });
  test("7: a tag edit", async () => {
    const findings = await rehearseUpdate("prod2", (c) => {
      (c["eks-blueprint:tags"] as Record<string, string>).team = "platform-core";
    });
    expect(findings).toEqual([]);
  });
});

describe("every rule is traceable", () => {
  const testSources = readdirSync(__dirname)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => readFileSync(path.join(__dirname, f), "utf8"))
    .join("\n");
  const doc = readFileSync(path.join(__dirname, "..", "docs", "rehearsal.md"), "utf8");
  test.each(allRules.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    expect(rule.source).toMatch(/https:\/\/|\.ts\b/);
    // One table row per rule, as Prettier pads it: | `id` | phase | what | `smoke check` |
    const row = doc.split("\n").find((l) => l.startsWith(`| \`${id}\` `));
    expect(row?.split("|").map((c) => c.trim())).toEqual([
      "",
      `\`${id}\``,
      rule.phase,
      expect.any(String),
      `\`${rule.smokeCheck}\``,
      "",
    ]);
    expect(smokeCheckIds()).toContain(rule.smokeCheck);
    expect(testSources).toContain(`"${id}"`);
  });
  test("rule ids are unique", () => {
    const ids = allRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

test.each([
  [["prod2"], { stack: "prod2", destroy: false, order: true }],
  [
    ["prod", "--base", "b.json", "--destroy"],
    { stack: "prod", base: "b.json", destroy: true, order: true },
  ],
  [["--no-order", "prod2"], { stack: "prod2", destroy: false, order: false }],
])("rehearse %j", (argv, expected) => {
  expect(parseArgs(argv)).toEqual({ base: undefined, ...expected });
});

test.each([[[]], [["prod", "prod2"]], [["prod", "--base"]]])(
  "rehearse %j is a usage error",
  (argv) => {
    expect(() => parseArgs(argv)).toThrow(
      "usage: npm run rehearse -- <stack> [--base <synth.json>] [--destroy] [--no-order]",
    );
  },
);
