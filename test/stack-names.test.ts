// Stacks are the Pulumi.<stack>.yaml files (stacks/stack-names.ts): adding a stack is adding one
// file. A scratch copy of the project with a `staging` stack (prod2's file with its own cluster
// name and CIDR, `protect: false`, no peers) and a team onboarded in prod2 as docs/teams.md shows
// goes through the synth, the rehearsal, the coexistence check of the declared pair and the
// per-stack suites (test/stack-suites.ts), in this process, with no code change.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, parseDocument } from "yaml";
import { readMigrationConfig } from "../stacks/migration-config";
import { stackNames } from "../stacks/stack-names";
import { flattenConfig, readStackConfig, ROOT } from "../synth/stack-files";
import { synthStack } from "../synth/synth-stack";
import type { SynthResult } from "../synth/record";
import { committedSynth } from "../tools/jest/committed";
import { evaluatePolicies, isProductionStack } from "../policy/rules";
import { errorCount } from "../policy/findings";
import { isolationMatrix } from "../policy/coexist/isolation";
import { checkCoexistence, coexistStack } from "../tools/coexist/main";
import { deployPlan } from "../tools/workflows/deploy-order";
import { main as stacksCli } from "../tools/stacks/main";
import {
  declaredPairs,
  deleteBeforeReplaceFalse,
  expectDestroyFollowsProtect,
  expectFirstUpClean,
  missingDeclaredKeys,
  stackFileConfig,
} from "./stack-suites";
import { rejectedConfig } from "./stack-harness";

const scratch = () => mkdtempSync(path.join(tmpdir(), "eks-blueprint-stacks-"));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("the stacks are the Pulumi.<stack>.yaml files, sorted; not Pulumi.yaml nor other files", () => {
  const dir = scratch();
  dirs.push(dir);
  for (const f of ["Pulumi.yaml", "Pulumi.b.yaml", "Pulumi.a-1.yaml", "Pulumi.x.yml", "x.yaml"]) {
    writeFileSync(path.join(dir, f), "");
  }
  mkdirSync(path.join(dir, "Pulumi.dir.yaml.d"));
  expect(stackNames(dir)).toEqual(["a-1", "b"]);
  expect(stacksCli([], dir)).toEqual({ code: 0, out: "a-1\nb" });
  expect(stacksCli(["--json"], dir)).toEqual({ code: 0, out: '["a-1","b"]' });
  expect(stacksCli(["--lines"], dir)).toEqual({
    code: 2,
    out: "usage: npm run -s stacks [-- --json]",
  });
});

describe("migration:peers", () => {
  const context = { stack: "prod2", stacks: ["prod", "prod2", "staging"] };
  const problems = (peers: string) =>
    readMigrationConfig({ "migration:peers": peers }, context).problems;
  test("names other stacks of the project; declared, it is in the settings", () => {
    expect(readMigrationConfig({ "migration:peers": '["prod"]' }, context).settings?.peers).toEqual(
      ["prod"],
    );
    expect(readMigrationConfig({}, context).settings?.peers).toBeUndefined();
  });
  test.each([
    [
      '["prd"]',
      'migration:peers[0]: not a stack of this project (got "prd"); use prod or staging (the project\'s other Pulumi.<stack>.yaml files)',
    ],
    [
      '["prod2"]',
      'migration:peers[0]: this stack itself (got "prod2"); use prod or staging (the project\'s other Pulumi.<stack>.yaml files)',
    ],
    ["prod", 'migration:peers: not a list (got "prod"); use a list of stack names such as [prod]'],
    ['["prod","prod"]', 'migration:peers: duplicate stacks (got ["prod","prod"]); list each once'],
    [
      '["Pulumi.prod.yaml"]',
      'migration:peers[0]: not a stack name (got "Pulumi.prod.yaml"); use the <stack> of a Pulumi.<stack>.yaml file, such as prod',
    ],
  ])("%s is refused", (peers, message) => {
    expect(problems(peers)).toEqual([message]);
  });
  test("the stack config refuses an unknown peer with its other problems, before any resource", async () => {
    const { message, registered } = await rejectedConfig("prod2", (c) => {
      c["migration:peers"] = ["prd"];
      c["migration:weight"] = 300;
    });
    expect(registered).toEqual([]);
    expect(message).toMatch(
      /migration:peers\[0\]: not a stack of this project \(got "prd"\)[^]*migration:weight/,
    );
  });
});

/** `text` (a stack file) with its config changed by `edit`, comments kept. */
function edited(text: string, edit: (config: Map<string, unknown>) => void): string {
  const doc = parseDocument(text);
  const config = new Map<string, unknown>();
  edit(config);
  for (const [key, value] of config) {
    if (value === undefined) doc.deleteIn(["config", key]);
    else doc.setIn(["config", ...key.split("/")], doc.createNode(value));
  }
  return doc.toString();
}

/** docs/teams.md's onboarding example: the team under `eks-blueprint:teams`, by name. */
function docsTeam(): [string, unknown] {
  const docs = readFileSync(path.join(ROOT, "docs", "teams.md"), "utf8");
  const block = /## Onboarding a team[^]*?```yaml\n([^]*?)```/.exec(docs)?.[1] ?? "";
  const teams = (parse(block) as Record<string, Record<string, unknown>>)["eks-blueprint:teams"];
  const [name] = Object.keys(teams ?? {});
  if (!name) throw new Error("docs/teams.md: no eks-blueprint:teams example under its onboarding");
  return [name, teams[name]];
}

describe("a scratch copy with a staging stack and a team onboarded in prod2", () => {
  const dir = scratch();
  dirs.push(dir);
  const [team, teamConfig] = docsTeam();
  // Every committed stack, and staging; the committed pairs, none with staging.
  const committed = stackNames(ROOT).filter((s) => s !== "staging");
  const stacks = [...committed, "staging"].sort();
  const synths: Record<string, SynthResult> = {};
  const scratchFile = (s: string) => readFileSync(path.join(dir, `Pulumi.${s}.yaml`), "utf8");
  beforeAll(async () => {
    const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
    for (const f of ["Pulumi.yaml", ...committed.map((s) => `Pulumi.${s}.yaml`)]) {
      writeFileSync(path.join(dir, f), read(f));
    }
    writeFileSync(
      path.join(dir, "Pulumi.prod2.yaml"),
      edited(read("Pulumi.prod2.yaml"), (c) => c.set(`eks-blueprint:teams/${team}`, teamConfig)),
    );
    writeFileSync(
      path.join(dir, "Pulumi.staging.yaml"),
      edited(read("Pulumi.prod2.yaml"), (c) => {
        c.set("eks-blueprint:clusterName", "eks-blueprint-staging");
        c.set("eks-blueprint:vpcCidr", "10.40.0.0/16");
        c.set("eks-blueprint:protect", false);
        c.set("migration:peers", undefined);
      }),
    );
    // The rehearsal reads the workflows (the deploy path's rules).
    symlinkSync(path.join(ROOT, ".github"), path.join(dir, ".github"));
    // A file byte for byte the committed one has the committed synth (same config, same bytes:
    // globalSetup made it); the others are synthesized here.
    const same = (s: string) =>
      committed.includes(s) && read(`Pulumi.${s}.yaml`) === scratchFile(s);
    for (const stack of stackNames(dir)) {
      synths[stack] = same(stack) ? committedSynth(stack) : await synthStack(stack, dir);
    }
  });

  test("the list has the new stack; only the declared pairs are checked for coexistence", () => {
    expect(stackNames(dir)).toEqual(stacks);
    // prod2 declares prod; the copy, with no peers, is paired with nothing, not with its source.
    expect(declaredPairs(dir)).toContainEqual(["prod", "prod2"]);
    expect(declaredPairs(dir).flat()).not.toContain("staging");
  });

  test("every stack synthesizes with no mandatory policy violation, as `npm run synth` checks", () => {
    for (const [stack, result] of Object.entries(synths)) {
      const violations = evaluatePolicies(result, { stack, production: isProductionStack(stack) });
      expect([stack, errorCount(violations)]).toEqual([stack, 0]);
    }
    const namespaces = (stack: string) =>
      synths[stack].resources
        .filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .map((r) => (r.inputs as { metadata?: { name?: string } }).metadata?.name);
    expect(namespaces("prod2")).toContain(team);
  });

  test.each(stacks)("%s passes the per-stack suites", async (stack) => {
    const config = stackFileConfig(stack, dir);
    const head = synths[stack].resources;
    expect(missingDeclaredKeys(config, dir)).toEqual([]);
    expect(deleteBeforeReplaceFalse(head)).toEqual([]);
    await expectFirstUpClean(stack, head, dir);
    await expectDestroyFollowsProtect(stack, head, config, dir);
  });

  test("the declared pairs coexist: no collision, no cross-cluster write", async () => {
    for (const [a, b] of declaredPairs(dir)) {
      const side = (s: string) => coexistStack(s, readStackConfig(s, dir).config, synths[s]);
      expect(checkCoexistence(side(a), side(b))).toEqual([]);
      expect((await isolationMatrix(side(a), side(b))).problems).toEqual([]);
    }
  });

  test("deploy order: the stacks serving least first, prod (serving) after prod2 and staging", () => {
    const { order, zero } = deployPlan(stackNames(dir), dir, dir);
    expect(zero).toEqual([]);
    expect(order.indexOf("prod")).toBeGreaterThan(order.indexOf("prod2"));
    expect(order.indexOf("prod")).toBeGreaterThan(order.indexOf("staging"));
    expect([...order].sort()).toEqual(stacks);
  });

  test("the staging file is prod2's with the changes the test made and nothing more", () => {
    const staging = flattenConfig(stackFileConfig("staging", dir)).config;
    const prod2 = flattenConfig(stackFileConfig("prod2", ROOT)).config;
    const changed = Object.keys({ ...staging, ...prod2 }).filter((k) => staging[k] !== prod2[k]);
    expect(changed.sort()).toEqual([
      "eks-blueprint:clusterName",
      "eks-blueprint:protect",
      "eks-blueprint:vpcCidr",
      "migration:peers",
    ]);
  });
});
