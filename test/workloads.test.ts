import { byType, committedSynth, one, rejectedConfig, synthStackWith } from "./stack-harness";
import type { SynthResult } from "../synth/record";

let prod2: SynthResult;
let prod: SynthResult;

beforeAll(async () => {
  prod2 = committedSynth("prod2");
  prod = committedSynth("prod");
});

const webIdentityRoles = (r: SynthResult) =>
  byType(r, "aws:iam/role:Role")
    .map((role) => ({ name: role.name, trust: JSON.parse(role.inputs.assumeRolePolicy as string) }))
    .filter(({ trust }) =>
      trust.Statement.some((s: { Action: string }) => s.Action === "sts:AssumeRoleWithWebIdentity"),
    );

describe("IRSA", () => {
  test("every web-identity role pins :sub and :aud and trusts the cluster's OIDC provider", () => {
    const cluster = one(prod2, "eks:index:Cluster");
    expect(cluster.inputs.createOidcProvider).toBe(true);
    const roles = webIdentityRoles(prod2);
    expect(roles.length).toBeGreaterThan(0);
    for (const { trust } of roles) {
      for (const statement of trust.Statement) {
        expect(statement.Principal.Federated).toMatch(
          /^arn:aws:iam::111122223333:oidc-provider\/oidc\.eks\.us-west-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/,
        );
        const conditions = statement.Condition.StringEquals as Record<string, string>;
        const keys = Object.keys(conditions).map((k) => k.split(":").pop());
        expect(keys.sort()).toEqual(["aud", "sub"]);
        expect(Object.values(conditions)).toContain("sts.amazonaws.com");
      }
    }
  });

  test("a workload role from config gets exactly its statements, for its one service account", () => {
    const role = one(prod2, "aws:iam/role:Role", "prod2-workloads-irsa-api-server");
    expect(role.inputs.name).toBe("eks-blueprint-prod2-api-server");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    const sub = Object.entries(trust.Statement[0].Condition.StringEquals).find(([k]) =>
      k.endsWith(":sub"),
    );
    expect(sub?.[1]).toBe("system:serviceaccount:api:api-server");
    const permissions = one(
      prod2,
      "aws:iam/rolePolicy:RolePolicy",
      "prod2-workloads-irsa-api-server-permissions",
    );
    expect(JSON.parse(permissions.inputs.policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::example-assets/*"] },
      ],
    });
  });

  test("a singleton's role exists only in the stack that owns it, tagged for the coexistence check", () => {
    const owned = one(prod, "aws:iam/role:Role", "prod-workloads-irsa-push-sender");
    expect(owned.inputs.tags).toMatchObject({ "eks-blueprint:singleton": "push-sender" });
    expect(
      JSON.parse(
        one(prod, "aws:iam/rolePolicy:RolePolicy", "prod-workloads-irsa-push-sender-permissions")
          .inputs.policy as string,
      ).Statement[0].Resource,
    ).toEqual(["arn:aws:sqs:us-west-2:111122223333:push-notifications"]);
    expect(byType(prod2, "aws:iam/role:Role").map((r) => r.name)).not.toContain(
      "prod2-workloads-irsa-push-sender",
    );
  });
});

describe("security groups for pods", () => {
  test("prod2 gets the group, its SecurityGroupPolicy, the CNI switch and the VPC resource controller policy", () => {
    const sg = one(prod2, "aws:ec2/securityGroup:SecurityGroup", "prod2-workloads-api-server");
    expect(sg.inputs.name).toBe("eks-blueprint-prod2-api-server");
    const policy = one(prod2, "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy");
    expect(policy.inputs).toMatchObject({
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: "api-server", namespace: "api" },
      spec: { podSelector: { matchLabels: { app: "api-server" } } },
    });
    const database = byType(prod2, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find(
      (r) => r.inputs.referencedSecurityGroupId === "sg-0a1b2c3d4e5f60718",
    );
    expect(database?.inputs).toMatchObject({ fromPort: 3306, toPort: 3306, ipProtocol: "tcp" });
    // One writer of the VPC CNI's configuration: the vpc-cni EKS add-on, network policy and pod ENI together.
    const cni = one(prod2, "aws:eks/addon:Addon", "prod2-core-vpc-cni");
    expect(JSON.parse(cni.inputs.configurationValues as string)).toMatchObject({
      enableNetworkPolicy: "true",
      env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
    });
    expect(
      one(
        prod2,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "prod2-cluster-cluster-AmazonEKSVPCResourceController",
      ).inputs,
    ).toEqual({
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
      role: "eks-blueprint-prod2-cluster",
    });
  });

  test("prod, with no pod security groups, gets none of it", () => {
    expect(byType(prod, "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy")).toEqual([]);
    expect(byType(prod, "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
    const cni = JSON.parse(
      one(prod, "aws:eks/addon:Addon", "prod-core-vpc-cni").inputs.configurationValues as string,
    );
    expect(cni.env?.ENABLE_POD_ENI).toBeUndefined();
    expect(JSON.stringify(prod.resources)).not.toContain("AmazonEKSVPCResourceController");
  });

  test("a sibling group is referenced by name and resolves to its id", async () => {
    const result = await synthStackWith("prod2", (c) => {
      const groups = c["eks-blueprint:podSecurityGroups"] as Record<string, unknown>;
      groups.worker = {
        namespace: "api",
        podSelector: { app: "worker" },
        ingress: [{ from: "podSecurityGroup", group: "api-server", protocol: "tcp", port: 8080 }],
      };
    });
    const { createHash } = await import("node:crypto");
    const apiServerId = `sg-${createHash("sha256").update("prod2-workloads-api-server").digest("hex").slice(0, 17)}`;
    const fromApi = byType(
      result,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ).find((r) => r.name === "prod2-workloads-worker-ingress-tcp-8080-api-server");
    // The mocks give a security group the id sg-<sha256(logical name)>, so this is api-server's.
    expect(fromApi?.inputs.referencedSecurityGroupId).toBe(apiServerId);
    expect(fromApi?.inputs).toMatchObject({ fromPort: 8080, toPort: 8080, ipProtocol: "tcp" });
  });

  test.each([
    [
      "a non-Nitro node group",
      (c: Record<string, unknown>) => {
        (
          c["eks-blueprint:nodeGroups"] as Record<string, { instanceTypes: string[] }>
        ).general.instanceTypes = ["m4.large", "m6i.large"];
      },
      "eks-blueprint:nodeGroups.general.instanceTypes:",
    ],
    [
      "a Fargate profile selecting the pods",
      (c: Record<string, unknown>) => {
        c["eks-blueprint:fargateProfiles"] = { api: { selectors: [{ namespace: "api" }] } };
      },
      "eks-blueprint:podSecurityGroups.api-server.namespace:",
    ],
    [
      "a reference to an undeclared group",
      (c: Record<string, unknown>) => {
        const groups = c["eks-blueprint:podSecurityGroups"] as Record<
          string,
          { ingress?: unknown[] }
        >;
        groups["api-server"].ingress = [
          { from: "podSecurityGroup", group: "nope", protocol: "tcp", port: 80 },
        ];
      },
      'eks-blueprint:podSecurityGroups.api-server.ingress[0].group: not a pod security group declared before this one (got "nope"); name one of the groups declared above it (none)',
    ],
  ])("%s is a config error naming the key, with nothing registered", async (_name, mutate, key) => {
    const { message, registered } = await rejectedConfig("prod2", mutate);
    expect(message).toContain(key);
    expect(registered).toEqual([]);
  });
});
