import { publicEndpointForDeployRunner } from "../policy/rehearse/rules/deploy-path";
import type { RehearsalInput } from "../policy/rehearse/types";

const input = (stackConfig: Record<string, unknown>): RehearsalInput => ({
  stack: "prod2",
  project: { name: "eks-blueprint" },
  stackConfig,
  head: [],
});

test.each([
  ["unset", {}, "[]"],
  ["empty", { "eks-blueprint:endpointPublicAccessCidrs": [] }, "[]"],
])("public-endpoint-for-deploy-runner trips when the CIDR list is %s", (_, config, got) => {
  expect(publicEndpointForDeployRunner.check(input(config))).toEqual([
    {
      rule: "public-endpoint-for-deploy-runner",
      subject: "eks-blueprint:endpointPublicAccessCidrs",
      message: `Pulumi.prod2.yaml opens the public API endpoint to no range (got ${got}), so the deploy runner cannot create any Kubernetes or Helm resource; list the deploy runner's egress range (docs/ci.md)`,
    },
  ]);
});

test("public-endpoint-for-deploy-runner passes a stack that lists the runner's range", () => {
  expect(
    publicEndpointForDeployRunner.check(
      input({ "eks-blueprint:endpointPublicAccessCidrs": ["198.51.100.0/24"] }),
    ),
  ).toEqual([]);
});

test("public-endpoint-for-deploy-runner names a smoke check that exists", () => {
  expect(publicEndpointForDeployRunner.smokeCheck).toBe("pulumi-up-succeeds");
});
