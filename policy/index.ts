/**
 * The CrossGuard policy pack: `npm run build && pulumi preview --policy-pack policy`. Each policy
 * runs the same pure rule as the offline synth (policy/rules.ts). Importing @pulumi/policy starts
 * the analyzer's gRPC server, so nothing else imports this file.
 */
import {
  PolicyPack,
  PolicyResource as CrossGuardResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { checkResource, isProductionStack, Rule, rules, stackFacts } from "./rules";
import { stackFromUrn } from "./shapes";
import { PolicyResource, StackFacts } from "./types";

const NO_FACTS: StackFacts = { clusterNames: [], publicSubnetIds: [] };

const contextFor = (urn: string, facts: StackFacts) => {
  const stack = stackFromUrn(urn);
  return { stack, production: isProductionStack(stack), facts };
};

function resourcePolicy(rule: Rule): ResourceValidationPolicy {
  return {
    name: rule.id,
    description: `${rule.description} (${rule.link})`,
    enforcementLevel: rule.enforcement,
    validateResource: (args, reportViolation) => {
      const resource = {
        type: args.type,
        name: args.name,
        inputs: args.props,
        protect: args.opts.protect,
      };
      for (const message of checkResource(rule, resource, contextFor(args.urn, NO_FACTS))) {
        reportViolation(message);
      }
    },
  };
}

/**
 * Stack policies see outputs, not inputs. For the remote components (@pulumi/eks, @pulumi/awsx)
 * outputs are not the inputs the rules read, so there the rules judge the AWS resources the
 * components create (aws:eks/cluster:Cluster, aws:eks/nodeGroup:NodeGroup, launch templates).
 */
const judgedInStackPolicy = (r: CrossGuardResource) => !/^(eks|awsx):/.test(r.type);

function stackPolicy(rule: Rule): StackValidationPolicy {
  return {
    name: rule.id,
    description: `${rule.description} (${rule.link})`,
    enforcementLevel: rule.enforcement,
    validateStack: (args, reportViolation) => {
      const toRule = (r: CrossGuardResource): PolicyResource => ({
        type: r.type,
        name: r.name,
        inputs: r.props,
        protect: r.opts.protect,
      });
      const facts = stackFacts(args.resources.map(toRule));
      for (const r of args.resources.filter(judgedInStackPolicy)) {
        for (const message of checkResource(rule, toRule(r), contextFor(r.urn, facts))) {
          reportViolation(message, r.urn);
        }
      }
    },
  };
}

new PolicyPack("eks-blueprint", {
  description:
    "EKS Best Practices and eks-blueprint design rules; the same rules run in `npm run synth`.",
  policies: rules.map((rule) => (rule.crossResource ? stackPolicy(rule) : resourcePolicy(rule))),
});
