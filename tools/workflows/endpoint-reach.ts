// `node dist/tools/workflows/endpoint-reach.js Pulumi.<stack>.yaml <egress address>`: exits
// non-zero, saying why, when the cluster's public API endpoint would refuse this runner. Run before
// `pulumi` so a runner outside `endpointPublicAccessCidrs` fails in seconds, not on the first
// Kubernetes resource (docs/ci.md, "Reaching the cluster").
import { readFileSync } from "node:fs";
import { BlockList, isIP } from "node:net";
import { parse } from "yaml";
import { inputFile, parseArgs, runMain } from "../run/args";

export const CIDRS_KEY = "eks-blueprint:endpointPublicAccessCidrs";

/**
 * Why an address cannot reach the public endpoint: only `publicAccessCidrs` may, and with it off
 * only the VPC and networks connected to it
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 */
export function endpointReachProblems(cidrs: readonly string[], address: string): string[] {
  if (isIP(address) !== 4) {
    return [
      `egress address: not an IPv4 address (got ${JSON.stringify(address)}); pass the runner's public address`,
    ];
  }
  if (cidrs.length === 0) {
    return [
      `${CIDRS_KEY}: empty, so the public endpoint is off and only the cluster's own VPC reaches the API (got []); list the deploy runner's egress range`,
    ];
  }
  const allowed = new BlockList();
  for (const [network, bits] of cidrs.map((c) => c.split("/")))
    allowed.addSubnet(network, Number(bits), "ipv4");
  if (allowed.check(address, "ipv4")) return [];
  return [
    `${CIDRS_KEY}: does not include this runner's egress address ${address} (got ${JSON.stringify(cidrs)}); run the job on the deploy runner (repository variable DEPLOY_RUNNER) or list its egress range`,
  ];
}

/** The endpoint CIDRs a stack config file lists; `[]` if none (the component's default). */
export function configuredCidrs(stackConfigYaml: string): string[] {
  const config = (parse(stackConfigYaml) as { config?: Record<string, unknown> } | null)?.config;
  const cidrs = config?.[CIDRS_KEY];
  return Array.isArray(cidrs) ? cidrs.map(String) : [];
}

export function main(argv: string[]): number {
  const usage =
    "usage: node dist/tools/workflows/endpoint-reach.js Pulumi.<stack>.yaml <egress address>";
  const [configFile, address] = parseArgs(argv, { usage, positionals: [2, 2] }).positionals;
  const make = "give the stack's config file, such as Pulumi.prod2.yaml";
  const cidrs = configuredCidrs(
    readFileSync(inputFile(configFile, "a stack config", make), "utf8"),
  );
  const problems = endpointReachProblems(cidrs, address.trim());
  for (const p of problems) console.error(`::error::${configFile}: ${p}`);
  if (problems.length === 0)
    console.log(`${configFile}: ${address.trim()} reaches the API endpoint`);
  return problems.length ? 1 : 0;
}

if (require.main === module) runMain(main);
