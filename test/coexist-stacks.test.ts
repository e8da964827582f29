// The coexistence check end to end, on the real compositions: the committed prod and prod2 pass,
// and each deliberately broken config pair fails naming its rule. The committed stacks are
// synthesized once (beforeAll); each broken pair synthesizes only the stack it breaks.
import { policyDocument } from "../components/access/irsa-policy";
import { isolationMatrix } from "../policy/coexist/isolation";
import { CoexistStack, Finding, RuleId, weightedRecordsOf } from "../policy/coexist/records";
import { checkCoexistence, coexistReport, main } from "../tools/coexist/main";
import { UsageError } from "../tools/run/args";
import { inline } from "./coexist-fixtures";
import { coexistSide, committedSide, RawConfig } from "./stack-harness";
import { declaredPairs } from "./stack-suites";

const addons = (c: RawConfig) =>
  (c["eks-blueprint:addons"] ??= {}) as Record<string, Record<string, unknown>>;
const singletons = (c: RawConfig) =>
  c["migration:singletons"] as Record<string, { owned: boolean }>;

let prod: CoexistStack;
let prod2: CoexistStack;
beforeAll(async () => {
  prod = committedSide("prod");
  prod2 = committedSide("prod2");
});

// What `npm run coexist -- <a> <b>` checks, for every declared pair, on the global setup's synths.
test.each(declaredPairs())(
  "the declared peers %s and %s coexist: no collision, no cross-cluster write",
  async (a, b) => {
    const [sideA, sideB] = [committedSide(a), committedSide(b)];
    expect(checkCoexistence(sideA, sideB)).toEqual([]);
    expect((await isolationMatrix(sideA, sideB)).problems).toEqual([]);
  },
);

/** The check fails on the pair, and the rule is in its findings and in the printed table. */
function brokenOn(a: CoexistStack, b: CoexistStack, rule: RuleId): Finding[] {
  const findings = checkCoexistence(a, b);
  expect(findings.map((f) => f.rule)).toContain(rule);
  expect(coexistReport(a, b, findings)).toContain(`\n[error] ${rule}: `);
  return findings.filter((f) => f.rule === rule);
}

test("the committed prod and prod2 pass: no collisions", () => {
  const findings = checkCoexistence(prod, prod2);
  expect(findings).toEqual([]);
  expect(coexistReport(prod, prod2, findings).split("\n")).toEqual([
    "## Coexistence of prod (cluster eks-blueprint-prod) and prod2 (cluster eks-blueprint-prod2)",
    "",
    "no collisions: prod and prod2 can run side by side (13 rules checked: cluster-name, physical-name, external-dns-owner, vpc-cidr, autoscaler-discovery, log-group, metric-label, cluster-key, set-identifier, weighted-record, weights-zero, singleton-owner, singleton-resources)",
  ]);
});

test("prod2 owns one weighted record per hostname: its own set identifier and weight", () => {
  expect(prod2.migration.hostnames.length).toBeGreaterThan(0);
  const records = weightedRecordsOf(prod2.synth).map((r) => [r.name, r.setIdentifier, r.weight]);
  expect(records.sort()).toEqual(
    [...prod2.migration.hostnames]
      .sort()
      .map((h) => [h, "eks-blueprint-prod2", prod2.migration.weight]),
  );
});

// The weight moving only its records, seen as an update: test/traffic-records.test.ts.
test("moving traffic is config: `migration:weight 10` on prod2 still coexists with prod", async () => {
  const moved = await coexistSide("prod2", (c) => (c["migration:weight"] = 10));
  expect(weightedRecordsOf(moved.synth).map((r) => r.weight)).toEqual(
    prod2.migration.hostnames.map(() => 10),
  );
  expect(checkCoexistence(prod, moved)).toEqual([]);
});

describe("broken config pairs", () => {
  let sameName: Promise<CoexistStack> | undefined;
  const prod2NamedProd = () =>
    (sameName ??= coexistSide(
      "prod2",
      (c) => (c["eks-blueprint:clusterName"] = "eks-blueprint-prod"),
    ));

  test("same cluster name", async () => {
    expect(brokenOn(prod, await prod2NamedProd(), "cluster-name")).toEqual([
      {
        rule: "cluster-name",
        subject: "eks-blueprint-prod",
        other: "eks-blueprint-prod",
        message:
          'both stacks name their EKS cluster "eks-blueprint-prod", and every physical name derives from it',
      },
    ]);
  });

  test("same ExternalDNS owner id (it derives from the cluster name, so only that can make it collide)", async () => {
    expect(brokenOn(prod, await prod2NamedProd(), "external-dns-owner")).toEqual([
      {
        rule: "external-dns-owner",
        subject: 'txtOwnerId "eks-blueprint-prod"',
        other: 'txtOwnerId "eks-blueprint-prod"',
        message: `both ExternalDNS instances own records as "eks-blueprint-prod": each would rewrite and delete the other's records`,
      },
    ]);
  });

  test("overlapping VPC CIDRs", async () => {
    const b = await coexistSide("prod2", (c) => (c["eks-blueprint:vpcCidr"] = "10.10.128.0/17"));
    expect(brokenOn(prod, b, "vpc-cidr")).toEqual([
      {
        rule: "vpc-cidr",
        subject: "10.10.0.0/16",
        other: "10.10.128.0/17",
        message: "the VPC CIDRs overlap: the VPCs cannot be peered during the move",
      },
    ]);
  });

  test("a singleton owned by both stacks", async () => {
    const name = Object.keys(prod2.migration.singletons)[0];
    const b = await coexistSide("prod2", (c) => (singletons(c)[name].owned = true));
    const [finding] = brokenOn(prod, b, "singleton-owner");
    expect(finding.message).toBe(`singleton ${name} is owned by both stacks: it would run twice`);
  });

  test("weights 0 and 0", async () => {
    const a = await coexistSide("prod", (c) => (c["migration:weight"] = 0));
    expect(brokenOn(a, prod2, "weights-zero").map((f) => [f.subject, f.other])).toEqual([
      ["eks-blueprint-prod=0", "eks-blueprint-prod2=0"],
    ]);
  });

  test("autoscaler discovery widened to every cluster's groups reaches the other cluster", async () => {
    const b = await coexistSide("prod2", (c) => {
      const ca = (addons(c).clusterAutoscaler ??= { enabled: true });
      ca.values = { autoDiscovery: { tags: ["k8s.io/cluster-autoscaler/enabled"] } };
    });
    const found = brokenOn(prod, b, "autoscaler-discovery");
    expect(found.map((f) => f.subject)).toEqual(["node group eks-blueprint-prod-general"]);
    expect(found[0].message).toBe(
      "prod2's cluster-autoscaler discovers prod's node group eks-blueprint-prod-general (its Auto Scaling group carries every tag of the filter) and would resize it",
    );
  });

  // No rule reads IAM; the isolation matrix, which the CLI prints and fails on, judges each role.
  test("an autoscaler role whose policy is not scoped by the cluster tag reaches the other cluster", async () => {
    const unscoped = policyDocument({
      Effect: "Allow",
      Action: "autoscaling:SetDesiredCapacity",
      Resource: "*",
    });
    const b = inline(prod2, "cluster-autoscaler", unscoped);
    expect(checkCoexistence(prod, b)).toEqual([]);
    const { problems } = await isolationMatrix(prod, b);
    expect(problems.filter((p) => !p.detail.startsWith("positive control: "))).toEqual([
      {
        stack: "prod2",
        role: "eks-blueprint-prod2-cluster-autoscaler",
        detail: expect.stringMatching(
          /^may autoscaling:SetDesiredCapacity on prod's Auto Scaling group of node group eks-blueprint-prod-general /,
        ),
      },
    ]);
  });
});

test("between the two halves of a singleton move the check reports exactly what the runbook says", async () => {
  const name = Object.keys(prod.migration.singletons)[0];
  const a = await coexistSide("prod", (c) => (singletons(c)[name].owned = false));
  expect(checkCoexistence(a, prod2)).toEqual([
    {
      rule: "singleton-owner",
      subject: `not owned (namespace ${prod.migration.singletons[name].namespace})`,
      other: `not owned (namespace ${prod.migration.singletons[name].namespace})`,
      message: `singleton ${name} is owned by neither stack: it runs nowhere`,
    },
  ]);
});

test.each([[["prod"]], [["prod", "prod"]]])(
  "the CLI refuses %j: two different stacks",
  async (argv) => {
    // A UsageError (toThrow compares the class too): runCli prints the message, exit 2.
    await expect(main(argv)).rejects.toThrow(
      new UsageError("usage: npm run coexist -- <stack A> <stack B>   (for example: prod prod2)"),
    );
  },
);
