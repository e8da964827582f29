// The CrossGuard pack's name and arguments over the synth's rules (policy/index.ts makes the pack).
// Types only from @pulumi/policy: its import starts the analyzer's gRPC server.
import type {
  PolicyPackArgs,
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

export const PACK_NAME = "eks-blueprint";

/** One policy per rule: a stack policy for the rules that read across resources. */
export const packArgs = (): PolicyPackArgs => ({
  description:
    "EKS Best Practices and eks-blueprint design rules; the same rules run in `npm run synth`.",
  policies: rules.map((rule) => (rule.crossResource ? stackPolicy(rule) : resourcePolicy(rule))),
});
