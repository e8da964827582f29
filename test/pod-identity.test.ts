import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrustPolicy } from "../components/access/irsa-policy";
import { PodIdentityRole, podIdentityRoleProblems } from "../components/access/pod-identity-role";
import {
  podIdentityFargateProblems,
  usesPodIdentity,
  workloadRoleProblems,
} from "../components/access/workload-role";
import { one, byType, synthProgram } from "./day2-context";

const sa = { namespace: "game", serviceAccount: "match-server" };

describe("podIdentityTrustPolicy", () => {
  test("trusts pods.eks.amazonaws.com with AssumeRole and TagSession for one service account", () => {
    expect(podIdentityTrustPolicy(sa)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
          Effect: "Allow",
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Principal: { Service: "pods.eks.amazonaws.com" },
          Condition: {
            StringEquals: {
              "aws:RequestTag/kubernetes-namespace": "game",
              "aws:RequestTag/kubernetes-service-account": "match-server",
            },
          },
        },
      ],
    });
  });

  test.each([
    [["eks-blueprint-prod"], "eks-blueprint-prod"],
    [
      ["eks-blueprint-prod2", "eks-blueprint-prod"],
      ["eks-blueprint-prod", "eks-blueprint-prod2"],
    ],
  ])("clusters %j admit eks-cluster-name %j", (clusterNames, expected) => {
    const condition = podIdentityTrustPolicy({ ...sa, clusterNames }).Statement[0].Condition!;
    expect(condition.StringEquals["aws:RequestTag/eks-cluster-name"]).toEqual(expected);
  });

  test("names no OIDC issuer: nothing in it changes when the cluster is replaced", () => {
    expect(JSON.stringify(podIdentityTrustPolicy(sa))).not.toMatch(/oidc|Federated|WebIdentity/);
  });
});

describe("workload role checks", () => {
  const base = {
    namespace: "game",
    serviceAccount: "leaderboard",
    statements: [{ actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:::table/t"] }],
  };

  test.each([
    [
      "an unknown identity",
      { ...base, identity: "kiam" as never },
      'r.identity: not a workload identity (got "kiam"); use irsa or podIdentity',
    ],
    [
      "an existing role for IRSA",
      { ...base, statements: undefined, roleArn: "arn:aws:iam::111122223333:role/shared" },
      'r.roleArn: set for an IRSA role, whose trust names this cluster\'s OIDC provider (got "arn:aws:iam::111122223333:role/shared"); set identity: podIdentity to associate an existing role, or drop roleArn',
    ],
    [
      "an existing role with permissions of ours",
      {
        ...base,
        identity: "podIdentity" as const,
        roleArn: "arn:aws:iam::111122223333:role/shared",
      },
      'r.roleArn: an existing role, so statements would not apply (got "arn:aws:iam::111122223333:role/shared"); leave the role\'s permissions to its owner, or drop roleArn to create the role here',
    ],
    [
      "a role ARN that is not one",
      {
        namespace: "game",
        serviceAccount: "leaderboard",
        identity: "podIdentity" as const,
        roleArn: "arn:aws:iam::111122223333:user/bob",
      },
      'r.roleArn: not an IAM role ARN (got "arn:aws:iam::111122223333:user/bob"); use arn:aws:iam::<account>:role/<name>',
    ],
  ])("%s is a problem", (_name, spec, expected) => {
    expect(workloadRoleProblems(spec, "r")).toEqual([expected]);
  });

  test("an existing role needs no permissions of ours", () => {
    expect(
      workloadRoleProblems(
        {
          namespace: "game",
          serviceAccount: "leaderboard",
          identity: "podIdentity",
          roleArn: "arn:aws:iam::111122223333:role/shared/leaderboard",
        },
        "r",
      ),
    ).toEqual([]);
  });

  test("permissions for an existing role are a PodIdentityRole problem too", () => {
    expect(
      podIdentityRoleProblems({
        ...sa,
        roleArn: "arn:aws:iam::111122223333:role/shared",
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      }),
    ).toEqual([
      'roleArn: an existing role, so managedPolicyArns would not apply (got "arn:aws:iam::111122223333:role/shared"); leave the role\'s permissions and trust to its owner, or drop roleArn to create it here',
    ]);
  });

  test.each([
    [{}, false],
    [{ a: { ...base } }, false],
    [{ a: { ...base }, b: { ...base, identity: "podIdentity" as const } }, true],
  ])("roles %j use Pod Identity: %s", (roles, expected) => {
    expect(usesPodIdentity(roles)).toBe(expected);
  });

  test.each([
    [{ batch: { selectors: [{ namespace: "game" }] } }, 1],
    [{ batch: { selectors: [{ namespace: "ga*" }] } }, 1],
    [{ batch: { selectors: [{ namespace: "game", labels: { fargate: "yes" } }] } }, 0],
    [{ batch: { selectors: [{ namespace: "batch-jobs" }] } }, 0],
  ])("Fargate profiles %j: %d Pod Identity problem(s)", (profiles, count) => {
    const roles = { lb: { ...base, namespace: "game", identity: "podIdentity" as const } };
    expect(
      podIdentityFargateProblems(roles, profiles, { at: "irsaRoles", profilesAt: "fargate" }),
    ).toHaveLength(count);
  });

  test("the Fargate problem names the role, the profile and the way out", () => {
    expect(
      podIdentityFargateProblems(
        { lb: { ...base, identity: "podIdentity" } },
        { batch: { selectors: [{ namespace: "game" }] } },
        { at: "eks-blueprint:irsaRoles", profilesAt: "eks-blueprint:fargateProfiles" },
      ),
    ).toEqual([
      'eks-blueprint:irsaRoles.lb.identity: podIdentity, but every pod of namespace game runs on Fargate (eks-blueprint:fargateProfiles.batch), which Pod Identity does not support (got "podIdentity"); use irsa for Fargate pods',
    ]);
  });
});

describe("PodIdentityRole", () => {
  test("creates a role with the builder's trust and associates it in the cluster", async () => {
    const r = await synthProgram(() => {
      new PodIdentityRole("lb", {
        cluster: pulumi.output("eks-blueprint-prod2"),
        namespace: "game",
        serviceAccount: "leaderboard",
        trustedClusters: ["eks-blueprint-prod2"],
        roleName: "eks-blueprint-prod2-leaderboard",
        policy: '{"Version":"2012-10-17","Statement":[]}',
      });
    });
    const role = one(r, "aws:iam/role:Role", "lb");
    expect(role.inputs.name).toBe("eks-blueprint-prod2-leaderboard");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(
      podIdentityTrustPolicy({
        namespace: "game",
        serviceAccount: "leaderboard",
        clusterNames: ["eks-blueprint-prod2"],
        accountId: "111122223333",
      }),
    );
    const association = one(
      r,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "lb-association",
    );
    expect(association.inputs).toMatchObject({
      clusterName: "eks-blueprint-prod2",
      namespace: "game",
      serviceAccount: "leaderboard",
    });
    expect(one(r, "aws:iam/rolePolicy:RolePolicy", "lb-permissions").inputs.name).toBe(
      "eks-blueprint-prod2-leaderboard-permissions",
    );
  });

  test("an existing role is only associated: no role, no policy", async () => {
    const r = await synthProgram(() => {
      new PodIdentityRole("shared", {
        cluster: "eks-blueprint-prod",
        namespace: "game",
        serviceAccount: "leaderboard",
        roleArn: "arn:aws:iam::111122223333:role/leaderboard",
      });
    });
    expect(byType(r, "aws:iam/role:Role")).toEqual([]);
    expect(byType(r, "aws:iam/rolePolicy:RolePolicy")).toEqual([]);
    expect(
      one(r, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "shared-association").inputs
        .roleArn,
    ).toBe("arn:aws:iam::111122223333:role/leaderboard");
  });

  test("bad args throw before anything registers", async () => {
    await expect(
      synthProgram(() => {
        new PodIdentityRole("bad", { cluster: "c", namespace: "Game", serviceAccount: "lb" });
      }),
    ).rejects.toThrow("namespace:");
  });
});
