import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "../policy/pack";
import { rules } from "../policy/rules";
import { CLUSTER_NAME } from "./policy-fixtures";

const args = packArgs();

const policy = (name: string) => {
  const p = args.policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p;
};
const urn = (stack: string, type: string, name: string) =>
  `urn:pulumi:${stack}::eks-blueprint::${type}::${name}`;

test("the pack has one policy per rule, with the rule's id and enforcement level", () => {
  expect(PACK_NAME).toBe("eks-blueprint");
  expect(args.policies.map((p) => [p.name, p.enforcementLevel])).toEqual(
    rules.map((r) => [r.id, r.enforcement]),
  );
});

test("a resource policy runs the rule on args.props and args.opts.protect, production from the URN's stack", () => {
  const validate = (policy("production-protected") as ResourceValidationPolicy).validateResource;
  if (typeof validate !== "function") throw new Error("expected one validateResource function");
  const run = (stack: string, protect: boolean) => {
    const report = jest.fn();
    const type = "aws:kms/key:Key";
    const args = {
      type,
      name: "secrets",
      urn: urn(stack, type, "secrets"),
      props: {},
      opts: { protect },
    };
    void validate(args as unknown as Parameters<typeof validate>[0], report);
    return report.mock.calls.map((c) => c[0]);
  };
  expect(run("prod2", false)).toEqual([
    "not protected in production stack prod2: a mistaken delete would take the cluster down",
  ]);
  expect(run("prod2", true)).toEqual([]);
  expect(run("dev", false)).toEqual([]);
});

test("a stack policy gathers facts from every resource and reports against the offending URN", () => {
  const { validateStack } = policy("externaldns-owner-is-cluster") as StackValidationPolicy;
  const resource = (type: string, name: string, props: Record<string, unknown>) => ({
    type,
    name,
    urn: urn("prod", type, name),
    props,
    opts: { protect: false },
  });
  const release = resource("kubernetes:helm.sh/v3:Release", "external-dns", {
    chart: "external-dns",
    values: { txtOwnerId: "eks-blueprint-prod2" },
  });
  const report = jest.fn();
  void validateStack(
    {
      resources: [resource("aws:eks/cluster:Cluster", "c", { name: CLUSTER_NAME }), release],
    } as unknown as Parameters<typeof validateStack>[0],
    report,
  );
  expect(report.mock.calls).toEqual([
    [
      `values.txtOwnerId is "eks-blueprint-prod2", not the cluster name (${CLUSTER_NAME})`,
      release.urn,
    ],
  ]);
});

test("stack policies judge the AWS resources remote components create, not the components", () => {
  const { validateStack } = policy("nodes-private-subnets") as StackValidationPolicy;
  const report = jest.fn();
  const type = "eks:index:ManagedNodeGroup";
  // Outputs of the component carry no subnetIds; judging them would be a false alarm.
  const component = {
    type,
    name: "general",
    urn: urn("prod", type, "general"),
    props: {},
    opts: { protect: false },
  };
  const vpc = {
    type: "awsx:ec2:Vpc",
    name: "network",
    urn: urn("prod", "awsx:ec2:Vpc", "network"),
    props: { publicSubnetIds: ["subnet-public"] },
    opts: { protect: true },
  };
  const awsType = "aws:eks/nodeGroup:NodeGroup";
  const child = {
    type: awsType,
    name: "general",
    urn: urn("prod", awsType, "general"),
    props: { subnetIds: ["subnet-public"] },
    opts: { protect: false },
  };
  void validateStack(
    { resources: [vpc, component, child] } as unknown as Parameters<typeof validateStack>[0],
    report,
  );
  expect(report.mock.calls).toEqual([
    ["subnetIds include public subnets subnet-public", child.urn],
  ]);
});
