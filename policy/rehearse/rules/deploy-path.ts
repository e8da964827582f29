/**
 * The deploy path: every Kubernetes and Helm resource is created through the
 * cluster's API endpoint, from the deploy runner outside the cluster's VPC (docs/ci.md, "Reaching
 * the cluster"). Which runner and which range is checked for real by the step before every
 * `pulumi up` (tools/workflows/endpoint-reach.ts) and by tools/workflows/lint.ts; offline, the stack must at
 * least open the public endpoint to some range.
 */
import { clusterJobsOffDeployRunner } from "../../workflows";
import type { Finding, RehearsalInput, Rule } from "../types";

const KEY = "eks-blueprint:endpointPublicAccessCidrs";

export const publicEndpointForDeployRunner: Rule = {
  id: "public-endpoint-for-deploy-runner",
  phase: "config",
  title:
    "with the public endpoint off, the API answers only inside the cluster's VPC, which the first `up` creates and no runner is in",
  source:
    "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html (Cluster private endpoint)",
  smokeCheck: "pulumi-up-succeeds",
  check({ stack, stackConfig }: RehearsalInput): Finding[] {
    const cidrs = stackConfig[KEY];
    if (Array.isArray(cidrs) && cidrs.length > 0) return [];
    return [
      {
        rule: "public-endpoint-for-deploy-runner",
        subject: KEY,
        message: `Pulumi.${stack}.yaml opens the public API endpoint to no range (got ${JSON.stringify(cidrs ?? [])}), so the deploy runner cannot create any Kubernetes or Helm resource; list the deploy runner's egress range (docs/ci.md)`,
      },
    ];
  },
};

export const deployJobsOnDeployRunner: Rule = {
  id: "deploy-jobs-on-deploy-runner",
  phase: "config",
  title:
    "a job that runs Pulumi reaches the cluster's API only from a runner whose egress range the endpoint allows",
  source:
    "https://docs.github.com/en/actions/using-github-hosted-runners/using-github-hosted-runners/about-github-hosted-runners (standard runners take addresses from shared, changing ranges); https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
  smokeCheck: "pulumi-up-succeeds",
  check({ workflows = [] }: RehearsalInput): Finding[] {
    return workflows
      .flatMap(({ path, content }) => clusterJobsOffDeployRunner(path, content))
      .map((f) => ({ ...f, rule: "deploy-jobs-on-deploy-runner" }));
  },
};

export const deployPathRules: Rule[] = [publicEndpointForDeployRunner, deployJobsOnDeployRunner];
