// Kubernetes and Helm resources are created through the cluster's API from the deploy runner
// outside the VPC (docs/ci.md). tools/workflows/endpoint-reach.ts checks the real range before
// `pulumi up`; offline, the stack must at least open the public endpoint to some range.
import { clusterJobsOffDeployRunner } from "../../workflows";
import { defineRule, type Finding, type RehearsalInput, type Rule } from "../types";

const KEY = "eks-blueprint:endpointPublicAccessCidrs";

export const publicEndpointForDeployRunner = defineRule({
  id: "public-endpoint-for-deploy-runner",
  phase: "config",
  title:
    "with the public endpoint off, the API answers only inside the cluster's VPC, which the first `up` creates and no runner is in",
  source:
    "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html (Cluster private endpoint)",
  smokeCheck: "pulumi-up-succeeds",
  check({ stack, stackConfig }) {
    const cidrs = stackConfig[KEY];
    if (Array.isArray(cidrs) && cidrs.length > 0) return [];
    const message = `Pulumi.${stack}.yaml opens the public API endpoint to no range (got ${JSON.stringify(cidrs ?? [])}), so the deploy runner cannot create any Kubernetes or Helm resource; list the deploy runner's egress range (docs/ci.md)`;
    return [{ subject: KEY, message }];
  },
});

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
