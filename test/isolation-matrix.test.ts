// The isolation matrix on the real compositions: the committed prod and prod2 reach nothing of
// each other and pass every positive control; widening one condition per controller is caught;
// a deny-all policy or resources without the tags the policies key on fail the positive control.
// What the matrix cannot judge fails it: test/isolation-policies.test.ts.
import { externalDnsPolicy } from "../components/addons/external-dns";
import { karpenterControllerPolicy } from "../components/addons/karpenter/policy";
import { policyDocument, type PolicyDocument } from "../components/access/irsa-policy";
import { isolationMatrix, IsolationMatrix, isolationTable } from "../policy/coexist/isolation";
import type { CoexistStack } from "../policy/coexist/records";
import { MOCK_ACCOUNT } from "../synth/mocks";
import { coexistSide, committedMatrix, committedSide, RawConfig } from "./stack-harness";
import { inline, patchValues, reach } from "./coexist-fixtures";
import { upstreamJson } from "./upstream";

/** Both stacks with Karpenter in place of cluster-autoscaler, as a stack config would choose it. */
const withKarpenter = (c: RawConfig) => {
  (c["eks-blueprint:addons"] as Record<string, unknown>).clusterAutoscaler = { enabled: false };
  (c["eks-blueprint:addons"] as Record<string, unknown>).karpenter = {
    nodePools: { general: { limits: { cpu: "100", memory: "400Gi" } } },
  };
};

let prod: CoexistStack;
let prod2: CoexistStack;
let kProd: CoexistStack;
let kProd2: CoexistStack;
let committed: IsolationMatrix;
beforeAll(async () => {
  prod = committedSide("prod");
  prod2 = committedSide("prod2");
  kProd = await coexistSide("prod", withKarpenter);
  kProd2 = await coexistSide("prod2", withKarpenter);
  committed = await committedMatrix();
});

// kubernetes-sigs/external-dns docs/tutorials/aws.md, "IAM Policy".
const UPSTREAM_EXTERNAL_DNS = policyDocument({
  Effect: "Allow",
  Action: ["route53:ChangeResourceRecordSets"],
  Resource: ["arn:aws:route53:::hostedzone/*"],
});

/** A copy of `s` where every attachment to the role `<cluster>-<suffix>` attaches `arn`. */
function attached(s: CoexistStack, suffix: string, arn: string): CoexistStack {
  const role = `eks-blueprint-${s.stack}-${suffix}`;
  const resources = s.synth.resources.map((r) =>
    r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === role
      ? { ...r, inputs: { ...r.inputs, policyArn: arn } }
      : r,
  );
  return { ...s, synth: { ...s.synth, resources } };
}

/** The label the matrix adds to a name in UNCONFIGURED_ZONE. */
const nowhere = "in a zone no stack configures";

test("the committed stacks reach nothing of each other, and every positive control holds", () => {
  expect(committed.problems).toEqual([]);
  const prod2Cells = committed.cells.filter((c) => c.stack === "prod2");
  expect(prod2Cells.map((c) => [c.role, c.kind])).toEqual(
    expect.arrayContaining([
      ["eks-blueprint-prod2-aws-load-balancer-controller", "load balancer"],
      ["eks-blueprint-prod2-aws-load-balancer-controller", "listener"],
      ["eks-blueprint-prod2-cluster-autoscaler", "node group"],
      ["eks-blueprint-prod2-ebs-csi-driver", "volume"],
      ["eks-blueprint-prod2-ebs-csi-driver", "snapshot"],
      ["eks-blueprint-prod2-external-dns", "record (ExternalDNS)"],
      ["eks-blueprint-prod2-external-dns", "record (stack)"],
      ["eks-blueprint-prod2-fluent-bit", "log group"],
    ]),
  );
  // Every cell asked the simulator on both sides; none was allowed across.
  for (const c of committed.cells) {
    expect([c.crossAllowed, c.ownAsExpected]).toEqual([0, c.ownProbes]);
  }
  // Every probe had a control: a role's own call (the cells above) or an administrator's.
  expect(committed.size.administratorControls).toBeGreaterThan(0);
  expect(committed.notJudged.map((n) => n.role)).toEqual([
    "eks-blueprint-prod-cluster",
    "eks-blueprint-prod2-cluster",
  ]);
});

test("Karpenter on both sides: no launch into the other's subnets, no termination of its nodes", async () => {
  const m = await isolationMatrix(kProd, kProd2);
  expect(m.problems).toEqual([]);
  const cells = m.cells.filter((c) => c.role === "eks-blueprint-prod2-karpenter" && c.ownProbes);
  expect(cells.map((c) => [c.kind, c.crossAllowed, c.ownAsExpected === c.ownProbes])).toEqual([
    ["network interface", 0, true],
    ["security group (cluster)", 0, true],
    ["subnet", 0, true],
    ["instance (node group)", 0, true],
    ["instance (Karpenter)", 0, true],
    ["launch template", 0, true],
    ["launch template (Karpenter)", 0, true],
    ["role", 0, true],
  ]);
});

describe("widening one condition per controller is caught", () => {
  test("ALB controller: upstream's presence-only conditions reach prod's load balancer", async () => {
    const upstream = upstreamJson<PolicyDocument>("iam/aws-load-balancer-controller.json");
    const m = await isolationMatrix(prod, inline(prod2, "aws-load-balancer-controller", upstream));
    const alb = "an Ingress's ALB (older controller)";
    expect(reach(m, "aws-load-balancer-controller").sort()).toEqual(
      [
        "may elasticloadbalancing:DeleteLoadBalancer on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:ModifyLoadBalancerAttributes on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:SetSecurityGroups on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:SetSubnets on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:AddTags on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:RemoveTags on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:CreateListener on prod's NLB of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:DeleteTargetGroup on prod's target group of istio-ingress/istio-ingressgateway:443",
        "may elasticloadbalancing:ModifyTargetGroup on prod's target group of istio-ingress/istio-ingressgateway:443",
        "may elasticloadbalancing:ModifyTargetGroupAttributes on prod's target group of istio-ingress/istio-ingressgateway:443",
        "may elasticloadbalancing:RegisterTargets on prod's target group of istio-ingress/istio-ingressgateway:443",
        "may elasticloadbalancing:DeregisterTargets on prod's target group of istio-ingress/istio-ingressgateway:443",
        "may elasticloadbalancing:DeleteListener on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:ModifyListener on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:ModifyListenerAttributes on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:CreateRule on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:AddListenerCertificates on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may elasticloadbalancing:RemoveListenerCertificates on prod's listener 443 of istio-ingress/istio-ingressgateway",
        "may ec2:AuthorizeSecurityGroupIngress on prod's frontend security group of istio-ingress/istio-ingressgateway",
        "may ec2:AuthorizeSecurityGroupIngress on prod's backend security group of istio-ingress/istio-ingressgateway",
        "may ec2:RevokeSecurityGroupIngress on prod's frontend security group of istio-ingress/istio-ingressgateway",
        "may ec2:RevokeSecurityGroupIngress on prod's backend security group of istio-ingress/istio-ingressgateway",
        "may ec2:DeleteSecurityGroup on prod's frontend security group of istio-ingress/istio-ingressgateway",
        "may ec2:DeleteSecurityGroup on prod's backend security group of istio-ingress/istio-ingressgateway",
        "may ec2:CreateTags on prod's frontend security group of istio-ingress/istio-ingressgateway",
        "may ec2:CreateTags on prod's backend security group of istio-ingress/istio-ingressgateway",
        "may ec2:DeleteTags on prod's frontend security group of istio-ingress/istio-ingressgateway",
        "may ec2:DeleteTags on prod's backend security group of istio-ingress/istio-ingressgateway",
        "may ec2:AuthorizeSecurityGroupIngress on prod's EKS cluster security group of eks-blueprint-prod",
        "may ec2:RevokeSecurityGroupIngress on prod's EKS cluster security group of eks-blueprint-prod",
        ...["DeleteLoadBalancer ModifyLoadBalancerAttributes SetSubnets CreateListener"].flatMap(
          (x) => x.split(" ").map((y) => `may elasticloadbalancing:${y} on prod's ${alb}`),
        ),
        ...["wafv2", "waf-regional"].flatMap((svc) =>
          ["AssociateWebACL", "DisassociateWebACL"].map((y) => `may ${svc}:${y} on prod's ${alb}`),
        ),
        ...[
          "DeleteListener",
          "ModifyListener",
          "CreateRule",
          "AddListenerCertificates",
          "RemoveListenerCertificates",
        ].flatMap((y) => [
          `may elasticloadbalancing:${y} on prod's listener 443 of ${alb}`,
          `positive control: elasticloadbalancing:${y} on its own listener 443 of ${alb} should be denied, the simulator says allowed`,
        ]),
        ...["ModifyRule", "DeleteRule", "SetRulePriorities"].flatMap((y) => [
          `may elasticloadbalancing:${y} on prod's rule of listener 443 of istio-ingress/istio-ingressgateway`,
          `may elasticloadbalancing:${y} on prod's rule of listener 443 of ${alb}`,
          `positive control: elasticloadbalancing:${y} on its own rule of listener 443 of ${alb} should be denied, the simulator says allowed`,
        ]),
        `may shield:DeleteProtection on prod's Shield protection of ${alb}`,
      ].sort(),
    );
  });

  test("EBS CSI: AmazonEBSCSIDriverPolicyV2 (ebs.csi.aws.com/cluster=true) reaches prod's volume", async () => {
    const v2 = "arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicyV2";
    const m = await isolationMatrix(prod, attached(prod2, "ebs-csi-driver", v2));
    expect(reach(m, "ebs-csi-driver")).toEqual([
      "may ec2:DeleteVolume on prod's volume of claim prometheus-db",
      "may ec2:AttachVolume on prod's volume of claim prometheus-db",
      "may ec2:DetachVolume on prod's volume of claim prometheus-db",
      "may ec2:ModifyVolume on prod's volume of claim prometheus-db",
      "may ec2:CreateSnapshot on prod's volume of claim prometheus-db",
      "may ec2:CreateTags on prod's volume of claim prometheus-db",
      "may ec2:DeleteTags on prod's volume of claim prometheus-db",
      "may ec2:DeleteSnapshot on prod's snapshot of claim prometheus-db",
      "may ec2:CreateVolume on prod's snapshot of claim prometheus-db",
      "may ec2:AttachVolume on prod's instance of node group eks-blueprint-prod-general",
      "may ec2:DetachVolume on prod's instance of node group eks-blueprint-prod-general",
    ]);
  });

  test("Karpenter: upstream's any-subnet RunInstances launches into prod's subnets", async () => {
    const upstream = karpenterControllerPolicy({
      clusterName: "eks-blueprint-prod2",
      partition: "aws",
      region: "us-west-2",
      accountId: MOCK_ACCOUNT,
      nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/eks-blueprint-prod2-karpenter-node`,
      queueArn: `arn:aws:sqs:us-west-2:${MOCK_ACCOUNT}:eks-blueprint-prod2`,
      vpcId: "vpc-0abc",
    });
    const allowsOnly = policyDocument(...upstream.Statement.filter((s) => s.Effect === "Allow"));
    const m = await isolationMatrix(kProd, inline(kProd2, "karpenter", allowsOnly));
    expect(reach(m, "karpenter").sort()).toEqual(
      [
        "may ec2:RunInstances on prod's public subnet",
        "may ec2:RunInstances on prod's private subnet",
        "positive control: ec2:RunInstances on its own public subnet should be denied, the simulator says allowed",
        "may ec2:CreateFleet on prod's public subnet",
        "may ec2:CreateFleet on prod's private subnet",
        "positive control: ec2:CreateFleet on its own public subnet should be denied, the simulator says allowed",
        "may ec2:RunInstances on prod's EKS cluster security group of eks-blueprint-prod",
        "positive control: ec2:RunInstances on its own security group eks-blueprint-prod2-api-server should be denied, the simulator says allowed",
        "may ec2:RunInstances on prod's a pod ENI",
      ].sort(),
    );
  });

  test("ExternalDNS: upstream's every-zone ChangeResourceRecordSets rewrites prod's names", async () => {
    const m = await isolationMatrix(prod, inline(prod2, "external-dns", UPSTREAM_EXTERNAL_DNS));
    const change = "route53:ChangeResourceRecordSets";
    const own = (a: string, host: string) =>
      `positive control: ${change}#${a} on its own A ${host} should be denied, the simulator says allowed`;
    expect(reach(m, "external-dns").sort()).toEqual(
      [
        `may ${change}#CREATE on prod's A svc.eks-blueprint-prod.example.com`,
        `may ${change}#CREATE on prod's TXT extdns-a.svc.eks-blueprint-prod.example.com`,
        `may ${change}#UPSERT on prod's A svc.eks-blueprint-prod.example.com`,
        `may ${change}#UPSERT on prod's TXT extdns-a.svc.eks-blueprint-prod.example.com`,
        `may ${change}#DELETE on prod's A svc.eks-blueprint-prod.example.com`,
        `may ${change}#DELETE on prod's TXT extdns-a.svc.eks-blueprint-prod.example.com`,
        `may ${change}#CREATE on prod's A api.example.com`,
        `may ${change}#CREATE on prod's A www.example.com`,
        own("CREATE", "api.example.com"),
        own("CREATE", "www.example.com"),
        `may ${change}#UPSERT on prod's A api.example.com`,
        `may ${change}#UPSERT on prod's A www.example.com`,
        own("UPSERT", "api.example.com"),
        own("UPSERT", "www.example.com"),
        `may ${change}#DELETE on prod's A api.example.com`,
        `may ${change}#DELETE on prod's A www.example.com`,
        own("DELETE", "api.example.com"),
        own("DELETE", "www.example.com"),
        ...["CREATE", "UPSERT", "DELETE"].flatMap((a) => [
          `may ${change}#${a} on prod's A svc.eks-blueprint-prod.example.com ${nowhere}`,
          own(a, `svc.eks-blueprint-prod2.example.com ${nowhere}`),
        ]),
      ].sort(),
    );
  });

  test("ExternalDNS: its own names on every zone are caught in a zone no stack configures", async () => {
    const anyZone = externalDnsPolicy({
      partition: "aws",
      hostedZoneIds: ["*"],
      domains: ["eks-blueprint-prod2.example.com"],
      policy: "sync",
    });
    const m = await isolationMatrix(prod, inline(prod2, "external-dns", anyZone));
    expect(reach(m, "external-dns")).toEqual(
      ["CREATE", "UPSERT", "DELETE"].map(
        (a) =>
          `positive control: route53:ChangeResourceRecordSets#${a} on its own A svc.eks-blueprint-prod2.example.com ${nowhere} should be denied, the simulator says allowed`,
      ),
    );
  });

  test("ExternalDNS: a zone only the other stack configures is probed too", async () => {
    const other = "Z0PRIVATEZONE002";
    const prodTwoZones = patchValues(prod, "external-dns", (v) => ({
      ...v,
      extraArgs: [...(v.extraArgs as string[]), `--zone-id-filter=${other}`],
    }));
    const inOther = (m: IsolationMatrix) =>
      m.problems.filter((p) => p.stack === "prod2" && p.detail.includes(`hostedzone/${other}`));
    // Sharing the public zone is fine: prod2's own policy names only its zone and its names.
    expect(inOther(await isolationMatrix(prodTwoZones, prod2))).toEqual([]);
    const wide = await isolationMatrix(
      prodTwoZones,
      inline(prod2, "external-dns", UPSTREAM_EXTERNAL_DNS),
    );
    expect(inOther(wide).map((p) => p.detail.replace(/ \(arn:[^)]*\)$/, ""))).toEqual(
      ["CREATE", "UPSERT", "DELETE"].flatMap((a) => [
        `may route53:ChangeResourceRecordSets#${a} on prod's A svc.eks-blueprint-prod.example.com`,
        `may route53:ChangeResourceRecordSets#${a} on prod's TXT extdns-a.svc.eks-blueprint-prod.example.com`,
      ]),
    );
  });

  test("cluster-autoscaler: a condition on the shared enabled tag only resizes prod's groups", async () => {
    const enabledOnly = policyDocument({
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" } },
    });
    const m = await isolationMatrix(prod, inline(prod2, "cluster-autoscaler", enabledOnly));
    expect(reach(m, "cluster-autoscaler")).toEqual([
      "may autoscaling:SetDesiredCapacity on prod's Auto Scaling group of node group eks-blueprint-prod-general",
      "may autoscaling:TerminateInstanceInAutoScalingGroup on prod's Auto Scaling group of node group eks-blueprint-prod-general",
    ]);
  });

  test("Fluent Bit: logs:* on every /aws/eks group writes to prod's groups", async () => {
    const wide = policyDocument({
      Effect: "Allow",
      Action: ["logs:*"],
      Resource: "arn:aws:logs:*:*:log-group:/aws/eks/*",
    });
    const m = await isolationMatrix(prod, inline(prod2, "fluent-bit", wide));
    expect(reach(m, "fluent-bit")).toEqual([
      "may logs:CreateLogStream on prod's log group /aws/eks/eks-blueprint-prod/cluster",
      "may logs:CreateLogStream on prod's log group /aws/eks/eks-blueprint-prod/containers",
      "may logs:PutLogEvents on prod's log group /aws/eks/eks-blueprint-prod/cluster",
      "may logs:PutLogEvents on prod's log group /aws/eks/eks-blueprint-prod/containers",
    ]);
  });
});

describe("the positive control cannot be passed by doing nothing", () => {
  test("a deny-all ALB policy reaches nothing, and fails every own-cluster write", async () => {
    const m = await isolationMatrix(
      prod,
      inline(prod2, "aws-load-balancer-controller", policyDocument()),
    );
    const mine = m.problems.filter(
      (p) => p.role === "eks-blueprint-prod2-aws-load-balancer-controller",
    );
    expect(mine.every((p) => p.detail.startsWith("positive control: "))).toBe(true);
    expect(mine[0].detail).toBe(
      "positive control: elasticloadbalancing:DeleteLoadBalancer on its own NLB of istio-ingress/istio-ingressgateway should be allowed, the simulator says denied",
    );
  });

  test("volumes without the cluster-name tag (no k8sTagClusterId) are out of the driver's own reach", async () => {
    const untagged = {
      ...prod2,
      synth: {
        ...prod2.synth,
        resources: prod2.synth.resources.map((r) =>
          r.inputs.addonName === "aws-ebs-csi-driver"
            ? { ...r, inputs: { ...r.inputs, configurationValues: undefined } }
            : r,
        ),
      },
    };
    const m = await isolationMatrix(prod, untagged);
    expect(reach(m, "ebs-csi-driver")).toEqual([
      "positive control: ec2:DeleteVolume on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:AttachVolume on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:DetachVolume on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:ModifyVolume on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:CreateSnapshot on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:CreateTags on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:DeleteTags on its own volume of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:DeleteSnapshot on its own snapshot of claim prometheus-db should be allowed, the simulator says denied",
      "positive control: ec2:CreateVolume on its own snapshot of claim prometheus-db should be allowed, the simulator says denied",
    ]);
  });
});

test("the table: one row per role and kind, the size in the heading, problems listed", () => {
  const m: IsolationMatrix = {
    cells: [
      {
        stack: "prod2",
        role: "eks-blueprint-prod2-fluent-bit",
        kind: "log group",
        crossAllowed: 1,
        crossDenied: 3,
        ownAsExpected: 2,
        ownProbes: 2,
      },
    ],
    problems: [
      {
        stack: "prod2",
        role: "eks-blueprint-prod2-fluent-bit",
        detail: "may logs:PutLogEvents on prod's log group /aws/eks/eks-blueprint-prod/cluster",
      },
    ],
    notJudged: [{ stack: "prod2", role: "eks-blueprint-prod2-node", reason: "the node role" }],
    exceptions: [],
    size: {
      roles: 1,
      actions: 2,
      resources: 2,
      simulations: 6,
      unnamed: 3,
      administratorControls: 1,
    },
  };
  expect(isolationTable(m, "prod", "prod2")).toBe(
    [
      "### Isolation matrix: 1 roles × 2 actions × 2 resources (6 simulations)",
      "",
      "Writes and reads of secrets and backups alike. 3 probes were named by no Allow of the role (implicitly denied, not simulated); 1 own-cluster controls ran as an administrator, for calls no role here is meant to make.",
      "",
      "| stack | role | resource kind | writes and reads on the other cluster | positive control (own cluster) |",
      "| --- | --- | --- | --- | --- |",
      "| prod2 | eks-blueprint-prod2-fluent-bit | log group | 1 allowed / 3 denied (prod's) | 2 of 2 as expected |",
      "",
      "- not judged: prod2 eks-blueprint-prod2-node: the node role",
      "",
      "isolation: 1 problem:",
      "- prod2 eks-blueprint-prod2-fluent-bit: may logs:PutLogEvents on prod's log group /aws/eks/eks-blueprint-prod/cluster",
    ].join("\n"),
  );
});
