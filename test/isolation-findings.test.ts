// Each finding of the isolation review, judged by the simulator before its fix and after: the same
// probe on the same resource, once with the fix taken out of prod2's synth, once as committed.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { policyDocument, podIdentityTrustPolicy } from "../components/access/irsa-policy";
import { nodeRoleGuard, secretsKeyPolicy, vpcCniGuard } from "../components/access/guards";
import { albControllerPolicy } from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import { karpenterControllerPolicy } from "../components/addons/karpenter/policy";
import { veleroPolicy } from "../components/addons/velero/velero-bucket";
import { isolationMatrix, type IsolationMatrix } from "../policy/coexist/isolation";
import type { CoexistStack } from "../policy/coexist/records";
import { MOCK_ACCOUNT } from "../synth/mocks";
import { inline, reach } from "./coexist-fixtures";
import { coexistSide, committedMatrix, committedSide } from "./stack-harness";

let prod: CoexistStack;
let prod2: CoexistStack;
let committed: IsolationMatrix;
beforeAll(async () => {
  prod = committedSide("prod");
  prod2 = committedSide("prod2");
  committed = await committedMatrix();
});

const ACCOUNT = MOCK_ACCOUNT;
const OTHER_ACCOUNT = "999988887777";

/** One verdict of the simulator: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied". */
async function verdict(
  policy: object,
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  extra: { resourcePolicy?: object; principal?: string } = {},
): Promise<string> {
  const r = await runSimulation(
    {
      request: {
        principal: extra.principal ?? `arn:aws:iam::${ACCOUNT}:role/probe`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [{ name: "probe", policy }],
      ...(extra.resourcePolicy ? { resourcePolicy: extra.resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return r.resultType === "error" ? `error ${JSON.stringify(r.errors)}` : r.overallResult;
}

test("after: prod2's roles reach nothing of prod, and prod's nothing of prod2", () => {
  expect(committed.problems).toEqual([]);
});

test("node role, as a hostNetwork pod holds it: every parameter and any cluster's Pod Identity before; neither after", async () => {
  const before = await isolationMatrix(prod, inline(prod2, "node", policyDocument()));
  expect(reach(before, "node")).toEqual([
    "may ssm:GetParameter on prod's parameter /eks-blueprint-prod/app/db",
    "may ssm:GetParameters on prod's parameter /eks-blueprint-prod/app/db",
    "may eks-auth:AssumeRoleForPodIdentity on prod's cluster eks-blueprint-prod",
  ]);
  expect(reach(committed, "node")).toEqual([]);
});

test("vpc-cni: ENI writes in prod's VPC before; none after, its own ENIs still writable", async () => {
  const before = await isolationMatrix(prod, inline(prod2, "vpc-cni", policyDocument()));
  expect(reach(before, "vpc-cni")).toEqual([
    "may ec2:AssignPrivateIpAddresses on prod's a pod ENI",
    "may ec2:UnassignPrivateIpAddresses on prod's a pod ENI",
    "may ec2:DeleteNetworkInterface on prod's a pod ENI",
    "may ec2:ModifyNetworkInterfaceAttribute on prod's a pod ENI",
    "may ec2:AttachNetworkInterface on prod's a pod ENI",
    "may ec2:DetachNetworkInterface on prod's a pod ENI",
    "may ec2:CreateTags on prod's a pod ENI",
    "may ec2:CreateNetworkInterface on prod's public subnet",
    "may ec2:CreateNetworkInterface on prod's private subnet",
    "may ec2:AttachNetworkInterface on prod's instance of node group eks-blueprint-prod-general",
    "may ec2:DetachNetworkInterface on prod's instance of node group eks-blueprint-prod-general",
  ]);
  const own = committed.cells.find(
    (c) => c.role === "eks-blueprint-prod2-vpc-cni" && c.kind === "network interface",
  );
  expect(own && [own.crossAllowed, own.ownAsExpected, own.ownProbes]).toEqual([0, 6, 6]);
});

test("Velero: a same-named bucket in another account was readable; only this account's now", async () => {
  const input = { partition: "aws", accountId: ACCOUNT, bucket: "eks-blueprint-prod2-velero-x" };
  const other = "eks-blueprint-prod-velero-111122223333";
  const after = veleroPolicy({ ...input, restoreFromBucket: other });
  const before = policyDocument(...after.Statement.map(({ Condition: _condition, ...s }) => s));
  const lookalike = { "s3:ResourceAccount": OTHER_ACCOUNT };
  const object = `arn:aws:s3:::${other}/backups/x`;
  expect(await verdict(before, "s3:GetObject", object, lookalike)).toBe("Allowed");
  expect(await verdict(after, "s3:GetObject", object, lookalike)).toBe("ImplicitlyDenied");
  expect(await verdict(after, "s3:GetObject", object, { "s3:ResourceAccount": ACCOUNT })).toBe(
    "Allowed",
  );
});

test("Velero restore into prod2: a named exception, with the EBS CSI driver able to use prod's snapshots", async () => {
  const withVelero = (c: Record<string, unknown>, restoreFrom?: string) => {
    (c["eks-blueprint:addons"] as Record<string, unknown>).velero = {
      ...(restoreFrom ? { restoreFrom } : {}),
    };
  };
  const source = await coexistSide("prod", (c) => withVelero(c));
  const target = await coexistSide("prod2", (c) => withVelero(c, "eks-blueprint-prod"));
  const m = await isolationMatrix(source, target);
  expect(m.problems).toEqual([]);
  expect(m.exceptions.map((e) => [e.role, e.detail])).toEqual([
    [
      "eks-blueprint-prod2-ebs-csi-driver",
      "ec2:CreateVolume on prod's snapshot of claim prometheus-db",
    ],
    [
      "eks-blueprint-prod2-velero",
      "s3:GetObject on prod's object in bucket eks-blueprint-prod-velero-111122223333",
    ],
    [
      "eks-blueprint-prod2-velero",
      "s3:ListBucket on prod's bucket eks-blueprint-prod-velero-111122223333",
    ],
  ]);
  // Before: without the restore statement on the EBS CSI role, prod's snapshots were denied to it.
  const withoutRestore = {
    ...target,
    synth: {
      ...target.synth,
      resources: target.synth.resources.filter((r) => !r.name.endsWith("-restore-snapshots")),
    },
  };
  const before = await isolationMatrix(source, withoutRestore);
  expect(before.exceptions.map((e) => e.role)).not.toContain("eks-blueprint-prod2-ebs-csi-driver");
});

test("Karpenter: another cluster's tag keys on its launches were allowed; refused now", async () => {
  const after = karpenterControllerPolicy({
    clusterName: "eks-blueprint-prod2",
    partition: "aws",
    region: "us-west-2",
    accountId: ACCOUNT,
    vpcId: "vpc-0abc",
    nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/eks-blueprint-prod2-karpenter-node`,
    queueArn: `arn:aws:sqs:us-west-2:${ACCOUNT}:eks-blueprint-prod2`,
  });
  const before = policyDocument(
    ...after.Statement.filter((s) => s.Sid !== "DenyOtherClustersTagKeys"),
  );
  const instance = `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0123456789abcdef0`;
  const own = {
    "aws:RequestTag/kubernetes.io/cluster/eks-blueprint-prod2": "owned",
    "aws:RequestTag/eks:eks-cluster-name": "eks-blueprint-prod2",
    "aws:RequestTag/karpenter.sh/nodepool": "general",
    "ec2:CreateAction": "RunInstances",
  };
  const keys = [
    "kubernetes.io/cluster/eks-blueprint-prod2",
    "eks:eks-cluster-name",
    "karpenter.sh/nodepool",
  ];
  const foreign = {
    ...own,
    "aws:RequestTag/eks:cluster-name": "eks-blueprint-prod",
    "aws:TagKeys": [...keys, "eks:cluster-name"],
  };
  expect(await verdict(before, "ec2:CreateTags", instance, foreign)).toBe("Allowed");
  expect(await verdict(after, "ec2:CreateTags", instance, foreign)).toBe("ExplicitlyDenied");
  expect(await verdict(after, "ec2:CreateTags", instance, { ...own, "aws:TagKeys": keys })).toBe(
    "Allowed",
  );
});

test("Pod Identity trust: EKS acting for another account could assume it before; not after", async () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/eks-blueprint-prod2-leaderboard`;
  const subject = {
    namespace: "game",
    serviceAccount: "leaderboard",
    clusterNames: ["eks-blueprint-prod2"],
  };
  const tags = {
    "aws:RequestTag/eks-cluster-name": "eks-blueprint-prod2",
    "aws:RequestTag/kubernetes-namespace": "game",
    "aws:RequestTag/kubernetes-service-account": "leaderboard",
  };
  const assume = (trust: object, sourceAccount: string) =>
    verdict(
      policyDocument(),
      "sts:AssumeRole",
      role,
      { ...tags, "aws:SourceAccount": sourceAccount },
      {
        resourcePolicy: trust,
        principal: "pods.eks.amazonaws.com",
      },
    );
  const before = podIdentityTrustPolicy(subject);
  const after = podIdentityTrustPolicy({ ...subject, accountId: ACCOUNT });
  expect(await assume(before, OTHER_ACCOUNT)).toBe("Allowed");
  expect(await assume(after, OTHER_ACCOUNT)).toBe("ImplicitlyDenied");
  expect(await assume(after, ACCOUNT)).toBe("Allowed");
  expect(
    prod2.synth.resources
      .filter((r) => String(r.inputs.assumeRolePolicy).includes("pods.eks.amazonaws.com"))
      .every((r) => String(r.inputs.assumeRolePolicy).includes(`"aws:SourceAccount":"${ACCOUNT}"`)),
  ).toBe(true);
});

test("the secrets key: no policy left IAM unable to grant it; the explicit one keeps root and IAM", async () => {
  const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0000`;
  const admin = policyDocument({ Effect: "Allow", Action: "*", Resource: "*" });
  expect(await verdict(admin, "kms:Decrypt", key)).toBe("ImplicitlyDenied");
  const resourcePolicy = secretsKeyPolicy("aws", ACCOUNT);
  expect(await verdict(admin, "kms:Decrypt", key, {}, { resourcePolicy })).toBe("Allowed");
  expect(await verdict(policyDocument(), "kms:Decrypt", key, {}, { resourcePolicy })).toBe(
    "ImplicitlyDenied",
  );
});

describe("widening one condition of a fix is caught", () => {
  const vpc = { partition: "aws", region: "us-west-2", accountId: ACCOUNT };

  test("the ec2:Vpc Deny on any VPC instead of prod2's", async () => {
    const vpcId = String(
      prod2.synth.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")?.inputs
        .vpcId,
    );
    const widened = vpcCniGuard({ ...vpc, vpcId, clusterName: "eks-blueprint-prod2" }).map((s) =>
      s.Sid === "DenyEniWritesOutsideClusterVpc"
        ? { ...s, Condition: { ArnNotLike: { "ec2:Vpc": "arn:aws:ec2:*:*:vpc/*" } } }
        : s,
    );
    const m = await isolationMatrix(prod, inline(prod2, "vpc-cni", policyDocument(...widened)));
    expect(reach(m, "vpc-cni")).toContain("may ec2:DeleteNetworkInterface on prod's a pod ENI");
  });

  test("the node role's parameter Deny on /* instead of /aws/service/*", async () => {
    const widened = nodeRoleGuard("aws", "eks-blueprint-prod2").map((s) =>
      s.Sid === "DenyParametersBeyondAwsService"
        ? { ...s, NotResource: "arn:aws:ssm:*:*:parameter/*" }
        : s,
    );
    const m = await isolationMatrix(prod, inline(prod2, "node", policyDocument(...widened)));
    expect(reach(m, "node")).toEqual([
      "may ssm:GetParameter on prod's parameter /eks-blueprint-prod/app/db",
      "may ssm:GetParameters on prod's parameter /eks-blueprint-prod/app/db",
    ]);
  });

  test("the ALB controller's listener tag condition back to StringEqualsIfExists", async () => {
    const vpcId = "vpc-any";
    const scoped = albControllerPolicy({ ...vpc, clusterName: "eks-blueprint-prod2", vpcId });
    const widened = policyDocument(
      ...scoped.Statement.map((s) => {
        const eq = s.Condition?.StringEquals;
        const keyed = eq && "aws:ResourceTag/elbv2.k8s.aws/cluster" in eq && !s.Condition?.Null;
        return keyed ? { ...s, Condition: { StringEqualsIfExists: eq } } : s;
      }),
    );
    const m = await isolationMatrix(prod, inline(prod2, "aws-load-balancer-controller", widened));
    const alb = "an Ingress's ALB (older controller)";
    expect(reach(m, "aws-load-balancer-controller").filter((r) => r.startsWith("may "))).toEqual([
      `may elasticloadbalancing:DeleteListener on prod's listener 443 of ${alb}`,
      `may elasticloadbalancing:ModifyListener on prod's listener 443 of ${alb}`,
      `may elasticloadbalancing:CreateRule on prod's listener 443 of ${alb}`,
      `may elasticloadbalancing:AddListenerCertificates on prod's listener 443 of ${alb}`,
      `may elasticloadbalancing:RemoveListenerCertificates on prod's listener 443 of ${alb}`,
      `may elasticloadbalancing:ModifyRule on prod's rule of listener 443 of ${alb}`,
      `may elasticloadbalancing:DeleteRule on prod's rule of listener 443 of ${alb}`,
      `may elasticloadbalancing:SetRulePriorities on prod's rule of listener 443 of ${alb}`,
    ]);
  });
});

test("a role that may pass any role to EC2 reaches prod's roles; Karpenter passes only its nodes'", async () => {
  const passAny = policyDocument({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" });
  const m = await isolationMatrix(prod, inline(prod2, "fluent-bit", passAny));
  expect(reach(m, "fluent-bit")).toContain(
    "may iam:PassRole on prod's role eks-blueprint-prod-node",
  );
  expect(reach(committed, "fluent-bit")).toEqual([]);
});
