// The orders team's unit test of its platform, as any consumer would write it: the library and its
// test kit, `eks-blueprint/testing`, come from the installed package (its `exports`), jest runs it,
// and no cloud account is involved. The realistic mocks answer every resource with the outputs
// AWS would give (subnet ids, the cluster's OIDC issuer, role ARNs) and record each registration.
import { expect, test } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { EksBlueprint, type NodeGroupSpec, addons } from "eks-blueprint";
import { createMocks, MOCK_ACCOUNT, type Registration } from "eks-blueprint/testing";

const registrations: Registration[] = [];
pulumi.runtime.setMocks(createMocks(registrations, "us-west-2"), "orders-platform", "test");

const nodeGroups: Record<string, NodeGroupSpec> = {
  general: { architecture: "arm64", instanceTypes: ["m7g.large"], minSize: 2, maxSize: 6 },
  batch: {
    instanceTypes: ["c6i.2xlarge", "c5.2xlarge"],
    capacityType: "SPOT",
    minSize: 0,
    maxSize: 10,
    taints: [{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }],
  },
};
const selection: addons.AddonSelection = {
  awsLoadBalancerController: {},
  clusterAutoscaler: {},
  metricsServer: { replicas: 2 },
};

const ofType = (type: string) => registrations.filter((r) => r.type === type);
const inputsOf = (type: string, name: string) => {
  const found = ofType(type).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, got ${found.length}`);
  return found[0].inputs;
};

test("a cluster with two node groups and three add-ons", async () => {
  const platform = new EksBlueprint("orders", {
    clusterName: "orders-test",
    kubernetesVersion: "1.35",
    region: "us-west-2",
    network: { cidrBlock: "10.40.0.0/16", availabilityZones: 2, natGateways: "Single" },
    nodeGroups,
    addons: selection,
    protect: false,
  });
  // Every registration, awaited: the SDK's own way to let a program finish under mocks.
  await pulumi.runtime.disconnect();

  expect(inputsOf("eks:index:Cluster", "orders-cluster")).toMatchObject({
    name: "orders-test",
    version: "1.35",
  });
  // Two managed node groups, each as specified, in the private subnets the mocks gave the VPC.
  const groups = ofType("eks:index:ManagedNodeGroup");
  expect(groups.map((g) => g.inputs.nodeGroupNamePrefix).sort()).toEqual([
    "orders-test-batch-",
    "orders-test-general-",
  ]);
  const general = groups.find((g) => g.inputs.nodeGroupNamePrefix === "orders-test-general-");
  expect(general?.inputs).toMatchObject({ amiType: "AL2023_ARM_64_STANDARD" });
  const batch = groups.find((g) => g.inputs.nodeGroupNamePrefix === "orders-test-batch-");
  expect(batch?.inputs).toMatchObject({
    capacityType: "SPOT",
    instanceTypes: ["c6i.2xlarge", "c5.2xlarge"],
    scalingConfig: { minSize: 0, maxSize: 10 },
    taints: [{ key: "workload", value: "batch", effect: "NO_SCHEDULE" }],
  });
  const vpc = ofType("awsx:ec2:Vpc")[0].state;
  for (const group of groups) expect(group.inputs.subnetIds).toEqual(vpc.privateSubnetIds);

  // The three add-ons, each a Helm release; the two with AWS permissions run as their own role.
  const releases = ofType("kubernetes:helm.sh/v3:Release");
  expect(releases.map((r) => r.inputs.chart).sort()).toEqual([
    "aws-load-balancer-controller",
    "cluster-autoscaler",
    "metrics-server",
  ]);
  const roleArns = ofType("aws:iam/role:Role").map((r) => r.state.arn);
  for (const chart of ["aws-load-balancer-controller", "cluster-autoscaler"]) {
    // Each chart puts its service account's annotations where its values schema says.
    const values = JSON.stringify(releases.find((r) => r.inputs.chart === chart)?.inputs.values);
    const arn = /"eks\.amazonaws\.com\/role-arn":"([^"]+)"/.exec(values)?.[1];
    expect(arn).toMatch(new RegExp(`^arn:aws:iam::${MOCK_ACCOUNT}:role/`));
    expect(roleArns).toContain(arn);
  }
  // What the stack would export, from the mocks' realistic outputs.
  const issuer = await new Promise<string>((resolve) => platform.cluster.oidcIssuer.apply(resolve));
  expect(issuer).toMatch(/^oidc\.eks\.us-west-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
});
