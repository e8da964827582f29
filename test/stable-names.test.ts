import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessEntryPositions, adminAccessEntries } from "../components/cluster/cluster-settings";
import { renames } from "../components/renames";
import { IrsaRole } from "../components/access/irsa";
import { updateSummary } from "../policy/rehearse/rehearse";
import { synthesize } from "../synth/synthesize";
import { synthProgram } from "./day2-context";
import { stackNames } from "../stacks/stack-names";
import { committedSynth, RawConfig, synthStackWith } from "./stack-harness";
import { deleteBeforeReplaceFalse } from "./stack-suites";

const ADMIN = "arn:aws:iam::111122223333:role/platform-admin";
const BREAK_GLASS = "arn:aws:iam::111122223333:role/break-glass";
const DB_RULE = {
  to: "securityGroup",
  securityGroupId: "sg-0a1b2c3d4e5f60718",
  protocol: "tcp",
  port: 3306,
  description: "central MySQL",
};
const CACHE_RULE = { to: "cidr", cidr: "10.20.64.0/20", protocol: "tcp", port: 6379 };

/** prod2 with two admins, two egress rules and a role with two managed policies, first entries given. */
function lists(first: boolean) {
  return (c: RawConfig) => {
    c["eks-blueprint:adminRoleArns"] = [...(first ? [BREAK_GLASS] : []), ADMIN];
    const sg = (c["eks-blueprint:podSecurityGroups"] as Record<string, Record<string, unknown>>)[
      "api-server"
    ];
    sg.egress = [...(first ? [CACHE_RULE] : []), DB_RULE];
    const role = (c["eks-blueprint:irsaRoles"] as Record<string, Record<string, unknown>>)[
      "api-server"
    ];
    role.managedPolicyArns = [
      ...(first ? ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"] : []),
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    ];
  };
}

test("removing the first entry of each list deletes that entry alone and replaces nothing", async () => {
  // One after the other: the mocks harness records one program at a time.
  const before = await synthStackWith("prod2", lists(true));
  const after = await synthStackWith("prod2", lists(false));
  expect(updateSummary("prod2", before.resources, after.resources)).toEqual({
    created: [],
    imported: [],
    // The admins are the cluster component's accessEntries input: one key fewer.
    updated: ["eks:index:Cluster::prod2-cluster"],
    replaced: [],
    deleted: [
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod2-workloads-irsa-api-server-AmazonSQSReadOnlyAccess",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::prod2-workloads-api-server-egress-tcp-6379-cidr-10.20.64.0-20",
    ],
  });
});

test("the access entry keys are the role names, so the second admin keeps its key", () => {
  expect(Object.keys(adminAccessEntries("aws", [BREAK_GLASS, ADMIN]))).toEqual([
    "admin-break-glass",
    "admin-platform-admin",
  ]);
  expect(Object.keys(adminAccessEntries("aws", [ADMIN]))).toEqual(["admin-platform-admin"]);
});

test("pulumi-eks's access entry children get an alias to their position-based names", async () => {
  const transform = renames(
    "Cluster",
    "prod-cluster",
    accessEntryPositions("prod-cluster", [ADMIN]),
  );
  const at = (type: string, name: string) =>
    transform({ type, name, props: {}, opts: {}, custom: true });
  expect(await at("eks:index:Cluster", "prod-cluster")).toBeUndefined();
  expect(await at("aws:eks/accessEntry:AccessEntry", "prod-cluster-admin-platform-admin")).toEqual({
    props: {},
    opts: { aliases: [{ name: "prod-cluster-admin-0" }] },
  });
  expect(
    await at(
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "prod-cluster-admin-platform-admin-clusterAdmin",
    ),
  ).toEqual({ props: {}, opts: { aliases: [{ name: "prod-cluster-admin-0-clusterAdmin" }] } });
  expect(await at("aws:eks/cluster:Cluster", "prod-cluster")).toBeUndefined();
});

describe("IrsaRole", () => {
  const trust = {
    oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.test/id/A",
    oidcIssuer: "oidc.test/id/A",
    namespace: "orders",
    serviceAccount: "orders-api",
  };

  test("without roleName the IAM role is autonamed, so two stacks never collide", async () => {
    const { resources } = await synthProgram(() => new IrsaRole("orders-api", trust));
    const role = resources.find((r) => r.type === "aws:iam/role:Role");
    expect(role?.inputs.name).toBeUndefined();
  });

  test("each managed policy attachment is named after the policy, with its former name as alias", async () => {
    const { resources } = await synthProgram(
      () =>
        new IrsaRole("orders-api", {
          ...trust,
          managedPolicyArns: [
            "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
          ],
        }),
    );
    expect(
      resources
        .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((r) => [r.name, r.aliases]),
    ).toEqual([
      [
        "orders-api-AmazonEBSCSIDriverPolicy",
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment::orders-api-managed-1"],
      ],
      [
        "orders-api-AmazonSQSReadOnlyAccess",
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment::orders-api-managed-0"],
      ],
    ]);
  });

  test("two policies of the same name are refused before anything registers", async () => {
    const attempt = synthesize({ project: "eks-blueprint", stack: "t", config: {} }, () => {
      new IrsaRole("orders-api", {
        ...trust,
        managedPolicyArns: [
          "arn:aws:iam::111122223333:policy/team-a/Read",
          "arn:aws:iam::111122223333:policy/team-b/Read",
        ],
      });
      return new aws.s3.Bucket("never");
    });
    await expect(attempt).rejects.toThrow(
      'IrsaRole orders-api:\n  - managedPolicyArns[1]: a second policy with the same name; attachments are named after the policy (got "arn:aws:iam::111122223333:policy/team-b/Read"); attach each policy once, and give policies of the same name distinct names',
    );
  });
});

test("a rename keeps the provider's delete-before-replace choice: no explicit false goes back", async () => {
  const transform = renames("IrsaRole", "orders-api", new Map([["orders-api-ReadOnly", 0]]));
  const type = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
  await transform({
    type: "eks-blueprint:index:IrsaRole",
    name: "orders-api",
    props: {},
    opts: {},
    custom: false,
  });
  // As the SDK's callback server hands options over: unset flags read as false.
  const handed: pulumi.CustomResourceOptions = { deleteBeforeReplace: false, protect: false };
  const result = await transform({
    type,
    name: "orders-api-ReadOnly",
    props: {},
    opts: handed,
    custom: true,
  });
  expect(result?.opts).toEqual({ aliases: [{ name: "orders-api-managed-0" }] });
});

test.each(stackNames())(
  "no resource of %s overrides the provider with deleteBeforeReplace: false",
  (stack) => {
    expect(deleteBeforeReplaceFalse(committedSynth(stack).resources)).toEqual([]);
  },
);

test("renames give the engine's full-chain URNs: a moved add-on and its release under an app's blueprint", async () => {
  const chain = "my:index:App$eks-blueprint:index:EksBlueprint$eks-blueprint:index:Platform";
  const urn = (types: string, name: string) => `urn:pulumi:s::proj::${types}::${name}`;
  const platform = urn(chain, "x-platform");
  const bundle = urn(`${chain}$eks-blueprint:index:AddonBundle`, "x-platform-addons");
  const server = urn(
    `${chain}$eks-blueprint:index:AddonBundle$eks-blueprint:index:MetricsServer`,
    "x-platform-addons-metrics-server",
  );
  const transform = renames("Platform", "x-platform");
  const at = (type: string, name: string, parent: string, custom = false) =>
    transform({
      type,
      name,
      props: {},
      opts: { parent: new pulumi.DependencyResource(parent) },
      custom,
    });
  const resolved = (v: pulumi.Input<string>) =>
    new Promise((resolve) => pulumi.output(v).apply(resolve));
  expect(
    await at("eks-blueprint:index:Platform", "x-platform", urn("my:index:App", "x")),
  ).toBeUndefined();
  expect(
    await at("eks-blueprint:index:AddonBundle", "x-platform-addons", platform),
  ).toBeUndefined();
  const moved = await at(
    "eks-blueprint:index:MetricsServer",
    "x-platform-addons-metrics-server",
    bundle,
  );
  expect(moved?.opts.aliases).toEqual([
    {
      name: "x-platform-metrics-server",
      type: "eks-blueprint:index:MetricsServer",
      parent: platform,
    },
  ]);
  const release = await at(
    "kubernetes:helm.sh/v3:Release",
    "x-platform-addons-metrics-server",
    server,
    true,
  );
  const [alias] = (release?.opts.aliases ?? []) as pulumi.Alias[];
  expect(alias.name).toBe("x-platform-metrics-server");
  expect(await resolved(alias.parent as pulumi.Input<string>)).toBe(
    urn(`${chain}$eks-blueprint:index:MetricsServer`, "x-platform-metrics-server"),
  );
});
