// IAM scope judged by the policy simulator, on the real policy builders and on widened ones:
// whether one cluster's autoscaler, Fluent Bit and ExternalDNS roles could act on the other's
// node groups, log groups, or on hosted zones outside their configuration.
import type { PolicyDocument } from "../components/access/irsa-policy";
import { clusterAutoscalerPolicy } from "../components/addons/cluster-autoscaler";
import { rolePolicies } from "../policy/coexist/records";
import {
  iamScopeFindings,
  nodeGroupAsgProbes,
  simulate,
  UNCONFIGURED_ZONE,
} from "../policy/coexist/iam-scope";
import { MOCK_ACCOUNT } from "../synth/mocks";
import { goodPair, rec, REGION, ZONE } from "./coexist-fixtures";

const doc = (...Statement: PolicyDocument["Statement"]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});
const SCALE = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"];

test("the roles the blueprint builds reach nothing of the other cluster", async () => {
  const { a, b } = goodPair();
  expect(await iamScopeFindings(a, b)).toEqual([]);
});

describe("cluster-autoscaler", () => {
  const scoped = clusterAutoscalerPolicy({
    clusterName: "eks-blueprint-prod2",
    partition: "aws",
    region: REGION,
    accountId: MOCK_ACCOUNT,
  });
  const { a: prod, b: prod2 } = goodPair();
  const principal = `arn:aws:iam::${MOCK_ACCOUNT}:role/eks-blueprint-prod2-cluster-autoscaler`;
  const policies = [{ name: "scoped", policy: scoped }];

  test.each([
    ["its own node group", true, prod2, "eks-blueprint-prod2-general"],
    ["the other cluster's node group", false, prod, "eks-blueprint-prod-general"],
  ])("the policy scoped by the cluster tag may resize %s: %s", async (_, allowed, to, ng) => {
    for (const probe of nodeGroupAsgProbes(to, ng)) {
      const verdict = await simulate(principal, policies, probe, MOCK_ACCOUNT);
      expect("allowed" in verdict && verdict.allowed).toBe(allowed);
    }
  });

  const reaching = (policy: PolicyDocument) => goodPair({}, { autoscalerPolicy: policy });
  test.each([
    [
      "upstream's minimal policy, unconditioned",
      doc({ Effect: "Allow", Action: SCALE, Resource: "*" }),
      "1",
    ],
    [
      "a condition on the shared enabled tag only",
      doc({
        Sid: "EnabledOnly",
        Effect: "Allow",
        Action: SCALE,
        Resource: "*",
        Condition: {
          StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true" },
        },
      }),
      "EnabledOnly",
    ],
  ])("%s reaches the other cluster's node group", async (_, policy, statement) => {
    const { a, b } = reaching(policy);
    expect(await iamScopeFindings(a, b)).toEqual([
      {
        rule: "autoscaler-iam",
        subject: "node group eks-blueprint-prod-general",
        other: "role eks-blueprint-prod2-cluster-autoscaler",
        message: `prod2's cluster-autoscaler role may autoscaling:SetDesiredCapacity on prod's node group eks-blueprint-prod-general (allowed by aws:iam/rolePolicy:RolePolicy::prod2-ca-irsa-permissions statement ${statement})`,
      },
    ]);
  });

  test("an explicit Deny outside its own cluster makes an unconditioned Allow safe", async () => {
    const { a, b } = reaching(
      doc(
        { Effect: "Allow", Action: SCALE, Resource: "*" },
        {
          Effect: "Deny",
          Action: SCALE,
          Resource: "*",
          Condition: {
            StringNotEquals: { "aws:ResourceTag/eks:cluster-name": "eks-blueprint-prod2" },
          },
        },
      ),
    );
    expect(await iamScopeFindings(a, b)).toEqual([]);
  });
});

test("fluent-bit: a role writing to every /aws/eks group reaches both of the other cluster's groups", async () => {
  const wide = doc({
    Effect: "Allow",
    Action: ["logs:*"],
    Resource: "arn:aws:logs:*:*:log-group:/aws/eks/*",
  });
  const { a, b } = goodPair({ fluentBitPolicy: wide });
  const findings = await iamScopeFindings(a, b);
  expect(findings.map(({ rule, subject, other }) => ({ rule, subject, other }))).toEqual([
    {
      rule: "fluent-bit-iam",
      subject: "role eks-blueprint-prod-fluent-bit",
      other: "log group /aws/eks/eks-blueprint-prod2/cluster",
    },
    {
      rule: "fluent-bit-iam",
      subject: "role eks-blueprint-prod-fluent-bit",
      other: "log group /aws/eks/eks-blueprint-prod2/containers",
    },
  ]);
  expect(findings[0].message).toBe(
    "prod's aws-for-fluent-bit role may logs:CreateLogStream on prod2's log group /aws/eks/eks-blueprint-prod2/cluster (allowed by aws:iam/rolePolicy:RolePolicy::prod-fb-irsa-permissions statement 1)",
  );
});

describe("external-dns", () => {
  const upstream = doc({
    Effect: "Allow",
    Action: ["route53:ChangeResourceRecordSets"],
    Resource: ["arn:aws:route53:::hostedzone/*"],
  });

  test("upstream's every-zone policy may change a zone outside its configuration", async () => {
    const { a, b } = goodPair({ externalDnsPolicy: upstream });
    const findings = await iamScopeFindings(a, b);
    expect(findings.map(({ rule, subject, other }) => ({ rule, subject, other }))).toEqual([
      { rule: "external-dns-iam", subject: "role eks-blueprint-prod-external-dns", other: "" },
    ]);
    expect(findings[0].message).toBe(
      `prod's external-dns role may route53:ChangeResourceRecordSets on a zone outside its configured ones (${ZONE}) (allowed by aws:iam/rolePolicy:RolePolicy::prod-dns-irsa-permissions statement 1)`,
    );
  });

  test("sharing the public zone is not a finding; reaching a zone only the other stack configures is", async () => {
    const { a, b } = goodPair({}, {});
    const other = "Z0PRIVATEZONE002";
    b.synth.resources = b.synth.resources.map((r) =>
      r.inputs.chart === "external-dns"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              values: {
                ...(r.inputs.values as object),
                extraArgs: [`--zone-id-filter=${ZONE}`, `--zone-id-filter=${other}`],
              },
            },
          }
        : r,
    );
    expect(await iamScopeFindings(a, b)).toEqual([]);
    const wide = goodPair({ externalDnsPolicy: upstream });
    wide.b = b;
    const labels = (await iamScopeFindings(wide.a, wide.b)).map((f) => f.other);
    expect(labels).toEqual([`zone ${other}`, ""]);
    expect(UNCONFIGURED_ZONE).toMatch(/^Z[A-Z0-9]+$/);
  });
});

describe("what cannot be evaluated fails the check", () => {
  test("an AWS-managed policy attached to the role is named as unevaluable", async () => {
    const attach = rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ca-managed", {
      role: "eks-blueprint-prod-cluster-autoscaler",
      policyArn: "arn:aws:iam::aws:policy/AutoScalingFullAccess",
    });
    const { a, b } = goodPair({ extra: [attach] });
    expect(await iamScopeFindings(a, b)).toEqual([
      {
        rule: "autoscaler-iam",
        subject: "role eks-blueprint-prod-cluster-autoscaler",
        other: "",
        message:
          "arn:aws:iam::aws:policy/AutoScalingFullAccess (attached, not in the synth) cannot be evaluated, so what the role may do is unknown",
      },
    ]);
  });

  test("rolePolicies reads inline, inlinePolicies and attached policies, and names what it cannot read", () => {
    const policy = JSON.stringify(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }));
    const synth = {
      stack: "x",
      resources: [
        rec("aws:iam/role:Role", "r", { name: "role1", inlinePolicies: [{ name: "in", policy }] }),
        rec("aws:iam/rolePolicy:RolePolicy", "rp", { role: "role1", policy }),
        rec("aws:iam/policy:Policy", "p", { name: "mine", path: "/team/", policy }),
        rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "at1", {
          role: "role1",
          policyArn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/team/mine`,
        }),
        rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "at2", {
          role: "role1",
          policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        }),
        rec("aws:iam/rolePolicy:RolePolicy", "other", { role: "role2", policy }),
        rec("aws:iam/rolePolicy:RolePolicy", "hidden", { role: "role1", policy: "[secret]" }),
      ],
    };
    const { policies, unevaluable } = rolePolicies(synth, "role1");
    expect(policies.map((p) => p.name)).toEqual([
      "in",
      "aws:iam/rolePolicy:RolePolicy::rp",
      "aws:iam/policy:Policy::p",
    ]);
    expect(unevaluable).toEqual([
      "aws:iam/rolePolicy:RolePolicy::hidden (document not readable)",
      "arn:aws:iam::aws:policy/ReadOnlyAccess (attached, not in the synth)",
    ]);
  });

  test("a policy the simulator rejects is reported once, with the simulator's reason", async () => {
    const bad = doc({ Effect: "Maybe" as "Allow", Action: SCALE, Resource: "*" });
    const { a, b } = goodPair({}, { autoscalerPolicy: bad });
    const findings = await iamScopeFindings(a, b);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: "autoscaler-iam",
      subject: "node group eks-blueprint-prod-general",
      other: "role eks-blueprint-prod2-cluster-autoscaler",
    });
    expect(findings[0].message).toMatch(
      /^the simulator could not evaluate autoscaling:SetDesiredCapacity on arn:aws:autoscaling:us-west-2:111122223333:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/eks-eks-blueprint-prod-general-[0-9a-f-]{36}: aws:iam\/rolePolicy:RolePolicy::prod2-ca-irsa-permissions Statement\[0\]\.Effect: Effect must be present and exactly "Allow" or "Deny"$/,
    );
  });
});
