// The CrossGuard pack (`npm run build && pulumi preview --policy-pack policy`) over the synth's
// rules. Importing @pulumi/policy starts the analyzer's gRPC server: nothing else imports this.
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

/** CrossGuard's props are the inputs. */
const toPolicyResource = (
  r: Pick<CrossGuardResource, "type" | "name" | "props" | "opts">,
): PolicyResource => ({
  type: r.type,
  name: r.name,
  inputs: r.props,
  protect: r.opts.protect,
});

const policyOf = (rule: Rule) => ({
  name: rule.id,
  description: `${rule.description} (${rule.link})`,
  enforcementLevel: rule.enforcement,
});

function resourcePolicy(rule: Rule): ResourceValidationPolicy {
  return {
    ...policyOf(rule),
    validateResource: (args, reportViolation) => {
      for (const message of checkResource(
        rule,
        toPolicyResource(args),
        contextFor(args.urn, NO_FACTS),
      )) {
        reportViolation(message);
      }
    },
  };
}

/**
 * Stack policies see outputs, which for the remote components (@pulumi/eks, @pulumi/awsx) are not
 * the inputs the rules read: there they judge the AWS resources the components create.
 */
const judgedInStackPolicy = (r: CrossGuardResource) => !/^(eks|awsx):/.test(r.type);

function stackPolicy(rule: Rule): StackValidationPolicy {
  return {
    ...policyOf(rule),
    validateStack: (args, reportViolation) => {
      const facts = stackFacts(args.resources.map(toPolicyResource));
      for (const r of args.resources.filter(judgedInStackPolicy)) {
        for (const message of checkResource(rule, toPolicyResource(r), contextFor(r.urn, facts))) {
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
