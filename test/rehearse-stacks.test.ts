// The committed stacks rehearse clean, every rule is traceable, and an update from today's synth
// that used to be a blocker (blockers 5, 6, 7 of issue 13) now passes.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { smokeCheckIds } from "../policy/workflows";
import { parseArgs } from "../tools/rehearse/main";
import { rehearse } from "../policy/rehearse/rehearse";
import { allRules } from "../policy/rehearse/rules";
import { rehearseStack } from "../tools/rehearse/stack";
import { COMMITTED_STACKS } from "../tools/jest/committed";
import type { RawConfig } from "./stack-harness";
import { committedSynth, synthStackWith } from "./stack-harness";

test.each(COMMITTED_STACKS)("%s rehearses its first up with 0 blockers", async (stack) => {
  const report = await rehearseStack(stack, { head: committedSynth(stack).resources });
  expect(report.findings).toEqual([]);
  expect(report.phases).toEqual(["config", "create"]);
  // The cluster comes before everything that names it, and its VPC before it.
  const at = (key: string) => report.order.indexOf(key);
  expect(at(`awsx:ec2:Vpc::${stack}-network`)).toBeLessThan(
    at(`eks:index:Cluster::${stack}-cluster`),
  );
  expect(at(`eks:index:Cluster::${stack}-cluster`)).toBeLessThan(
    at(`aws:eks/addon:Addon::${stack}-core-kube-proxy`),
  );
});

test.each(COMMITTED_STACKS)(
  "%s's destroy rehearsal asks only for protection to be lifted first",
  async (stack) => {
    const head = committedSynth(stack).resources;
    const report = await rehearseStack(stack, { destroy: true, head });
    expect([...new Set(report.findings.map((f) => f.rule))]).toEqual(["destroy-protected-first"]);
    expect(report.findings.map((f) => f.subject)).toEqual([
      `aws:kms/key:Key::${stack}-cluster-secrets`,
      `awsx:ec2:Vpc::${stack}-network`,
      `eks:index:Cluster::${stack}-cluster`,
    ]);
    // Deleted in reverse: the gateway before the controllers that clean up after it.
    const at = (key: string) => report.order.indexOf(key);
    const release = (n: string) => `kubernetes:helm.sh/v3:Release::${stack}-platform-addons-${n}`;
    expect(at(release("istio-gateway"))).toBeLessThan(at(release("alb-controller")));
    expect(at(release("istio-gateway"))).toBeLessThan(at(release("external-dns")));
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
