// Pod Identity in the committed stacks and in the coexistence check.
import { podIdentityTrustPolicy, stableJson } from "../components/access/irsa-policy";
import { SINGLETON_TAG } from "../components/access/workload-access";
import { singletonResourcesRule } from "../policy/coexist/migration-rules";
import type { SynthResult } from "../synth/record";
import { goodPair, rec } from "./coexist-fixtures";
import { byType, committedSynth, one, rejectedConfig, synthStackWith } from "./stack-harness";

let prod: SynthResult;
let prod2: SynthResult;

beforeAll(async () => {
  prod = committedSynth("prod");
  prod2 = committedSynth("prod2");
});

const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const associations = (r: SynthResult) =>
  byType(r, ASSOCIATION).map((a) => [a.name, a.inputs.namespace, a.inputs.serviceAccount]);

test("a shared service has one role and one association in each cluster, trusted by that cluster only", () => {
  for (const [r, stack] of [
    [prod, "prod"],
    [prod2, "prod2"],
  ] as const) {
    const role = one(r, "aws:iam/role:Role", `${stack}-workloads-pod-identity-leaderboard`);
    expect(role.inputs.name).toBe(`eks-blueprint-${stack}-leaderboard`);
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(
      podIdentityTrustPolicy({
        namespace: "game",
        serviceAccount: "leaderboard",
        clusterNames: [`eks-blueprint-${stack}`],
        accountId: "111122223333",
      }),
    );
    expect(
      one(r, ASSOCIATION, `${stack}-workloads-pod-identity-leaderboard-association`).inputs,
    ).toMatchObject({
      clusterName: `eks-blueprint-${stack}`,
      namespace: "game",
      serviceAccount: "leaderboard",
    });
  }
});

test("a singleton's association exists only in the stack that owns it, tagged for the coexistence check", () => {
  expect(associations(prod)).toEqual([
    ["prod-workloads-pod-identity-leaderboard-association", "game", "leaderboard"],
    ["prod-workloads-pod-identity-match-server-association", "game", "match-server"],
  ]);
  expect(associations(prod2)).toEqual([
    ["prod2-workloads-pod-identity-leaderboard-association", "game", "leaderboard"],
  ]);
  expect(
    one(prod, ASSOCIATION, "prod-workloads-pod-identity-match-server-association").inputs.tags,
  ).toMatchObject({ [SINGLETON_TAG]: "match-server" });
});

test("IRSA roles deployed before keep their logical and physical names", () => {
  expect(one(prod, "aws:iam/role:Role", "prod-workloads-irsa-push-sender").inputs.name).toBe(
    "eks-blueprint-prod-push-sender",
  );
  expect(one(prod2, "aws:iam/role:Role", "prod2-workloads-irsa-api-server").inputs.name).toBe(
    "eks-blueprint-prod2-api-server",
  );
});

const agent = (r: SynthResult) =>
  byType(r, "aws:eks/addon:Addon").filter((a) => a.inputs.addonName === "eks-pod-identity-agent");

test("the pod identity agent runs where an association is, and not where none is", async () => {
  expect(agent(prod2).map((a) => a.name)).toEqual(["prod2-core-eks-pod-identity-agent"]);
  const without = await synthStackWith("prod2", (c) => {
    const roles = c["eks-blueprint:irsaRoles"] as Record<string, unknown>;
    delete roles.leaderboard;
    delete roles["match-server"];
  });
  expect(byType(without, ASSOCIATION)).toEqual([]);
  expect(agent(without)).toEqual([]);
});

test("a Pod Identity role in a namespace Fargate runs is a config error, with nothing registered", async () => {
  const { message, registered } = await rejectedConfig("prod2", (c) => {
    c["eks-blueprint:fargateProfiles"] = { batch: { selectors: [{ namespace: "game" }] } };
  });
  expect(message).toContain(
    'eks-blueprint:irsaRoles.leaderboard.identity: podIdentity, but every pod of namespace game runs on Fargate (eks-blueprint:fargateProfiles.batch), which Pod Identity does not support (got "podIdentity"); use irsa for Fargate pods',
  );
  expect(registered).toEqual([]);
});

describe("coexistence: a singleton's Pod Identity trust", () => {
  const role = (trusted: string[] | undefined) =>
    rec("aws:iam/role:Role", "prod-workloads-pod-identity-match-server", {
      name: "eks-blueprint-prod-match-server",
      tags: { [SINGLETON_TAG]: "match-server" },
      assumeRolePolicy: stableJson(
        podIdentityTrustPolicy({
          namespace: "game",
          serviceAccount: "match-server",
          clusterNames: trusted,
          accountId: "111122223333",
        }),
      ),
    });

  test("admitting only the owning cluster passes", () => {
    expect(singletonResourcesRule(goodPair({ extra: [role(["eks-blueprint-prod"])] }))).toEqual([]);
  });

  test.each([
    [undefined, "*"],
    [["eks-blueprint-prod", "eks-blueprint-prod2"], "eks-blueprint-prod, eks-blueprint-prod2"],
    [["eks-blueprint-prod2"], "eks-blueprint-prod2"],
  ])("admitting %j is a finding", (trusted, shown) => {
    expect(
      singletonResourcesRule(goodPair({ extra: [role(trusted)] })).map((f) => f.message),
    ).toEqual([
      `prod's Pod Identity role for singleton match-server admits eks-cluster-name ${shown}, not only eks-blueprint-prod`,
    ]);
  });
});
