import { configuredCidrs, endpointReachProblems } from "../tools/workflows/endpoint-reach";

test.each([
  ["inside the /24", ["198.51.100.0/24"], "198.51.100.7"],
  ["the /32 of a NAT gateway's Elastic IP", ["203.0.113.10/32"], "203.0.113.10"],
  ["in the second of two ranges", ["198.51.100.0/24", "203.0.113.8/29"], "203.0.113.14"],
])("an address %s reaches the public endpoint", (_, cidrs, address) => {
  expect(endpointReachProblems(cidrs, address)).toEqual([]);
});

test("a GitHub-hosted runner's address outside the stack's range is refused, naming both", () => {
  expect(endpointReachProblems(["198.51.100.0/24"], "20.42.7.3")).toEqual([
    'eks-blueprint:endpointPublicAccessCidrs: does not include this runner\'s egress address 20.42.7.3 (got ["198.51.100.0/24"]); run the job on the deploy runner (repository variable DEPLOY_RUNNER) or list its egress range',
  ]);
});

test("an empty list means private only, which no runner outside the VPC reaches", () => {
  expect(endpointReachProblems([], "198.51.100.7")).toEqual([
    "eks-blueprint:endpointPublicAccessCidrs: empty, so the public endpoint is off and only the cluster's own VPC reaches the API (got []); list the deploy runner's egress range",
  ]);
});

test("an answer that is not an address (an HTML error page) is refused", () => {
  expect(endpointReachProblems(["198.51.100.0/24"], "<html>")).toEqual([
    'egress address: not an IPv4 address (got "<html>"); pass the runner\'s public address',
  ]);
});

test("the CIDRs are read from the stack config's namespaced key, and absent means []", () => {
  const yaml = [
    "config:",
    "  aws:region: us-west-2",
    "  eks-blueprint:endpointPublicAccessCidrs:",
    "    - 198.51.100.0/24 # deploy runner",
  ].join("\n");
  expect(configuredCidrs(yaml)).toEqual(["198.51.100.0/24"]);
  expect(configuredCidrs("config:\n  aws:region: us-west-2\n")).toEqual([]);
});
