// Each structural coexistence rule on small hand-built stacks (test/coexist-fixtures.ts): the
// good pair passes, and one deliberate break gives exactly the expected finding.
import { managedNodeGroupAsgTags, RULES } from "../policy/coexist/records";
import { renderFindings } from "../policy/findings";
import {
  autoscalerDiscoveryFilters,
  filterMatches,
  structuralFindings,
} from "../policy/coexist/rules";
import { fixtureStack, goodPair, patchValues, rec, without } from "./coexist-fixtures";

const check = (p: ReturnType<typeof goodPair>) => structuralFindings(p.a, p.b);
const ofRule = (p: ReturnType<typeof goodPair>, rule: string) =>
  check(p).filter((f) => f.rule === rule);

test("two stacks built as designed break no structural rule", () => {
  expect(check(goodPair())).toEqual([]);
});

test("cluster-name: the same cluster name is reported once, then every name derived from it", () => {
  const p = goodPair();
  p.b = fixtureStack("prod2", "eks-blueprint-prod", {
    cidr: "10.20.0.0/16",
    migration: p.b.migration,
  });
  const findings = check(p);
  expect(findings[0]).toEqual({
    rule: "cluster-name",
    subject: "eks-blueprint-prod",
    other: "eks-blueprint-prod",
    message:
      'both stacks name their EKS cluster "eks-blueprint-prod", and every physical name derives from it',
  });
  expect(findings.filter((f) => f.rule === "physical-name").map((f) => f.message)).toEqual([
    'both name the EKS node group "eks-blueprint-prod-general"',
    'both name the launch template "eks-blueprint-prod-general"',
    'both name the IAM role "eks-blueprint-prod-cluster-autoscaler"',
    'both name the IAM role "eks-blueprint-prod-external-dns"',
    'both name the IAM role "eks-blueprint-prod-fluent-bit"',
  ]);
  // One row per shared log group, listing every place each stack names it.
  expect(findings.filter((f) => f.rule === "log-group").map((f) => [f.subject, f.other])).toEqual([
    [
      "aws:cloudwatch/logGroup:LogGroup::prod-cluster-control-plane",
      "aws:cloudwatch/logGroup:LogGroup::prod2-cluster-control-plane",
    ],
    [
      "aws:cloudwatch/logGroup:LogGroup::prod-fluent-bit-containers, kubernetes:helm.sh/v3:Release::prod-fb values.cloudWatchLogs.logGroupName",
      "aws:cloudwatch/logGroup:LogGroup::prod2-fluent-bit-containers, kubernetes:helm.sh/v3:Release::prod2-fb values.cloudWatchLogs.logGroupName",
    ],
  ]);
  expect(new Set(findings.map((f) => f.rule))).toEqual(
    new Set([
      "cluster-name",
      "physical-name",
      "external-dns-owner",
      "autoscaler-discovery",
      "log-group",
      "metric-label",
      "cluster-key",
      "set-identifier",
    ]),
  );
});

test("physical-name: IAM names collide regardless of case, as IAM compares them", () => {
  const p = goodPair(
    { extra: [rec("aws:iam/role:Role", "prod-ci", { name: "Deployer" })] },
    { extra: [rec("aws:iam/role:Role", "prod2-ci", { name: "deployer" })] },
  );
  expect(check(p)).toEqual([
    {
      rule: "physical-name",
      subject: "aws:iam/role:Role::prod-ci",
      other: "aws:iam/role:Role::prod2-ci",
      message: 'both name the IAM role "Deployer"',
    },
  ]);
});

test("external-dns-owner: the same txtOwnerId, or none in both (ExternalDNS's 'default'), collides", () => {
  const shared = goodPair();
  shared.b = patchValues(shared.b, "external-dns", (v) => ({
    ...v,
    txtOwnerId: "eks-blueprint-prod",
  }));
  expect(ofRule(shared, "external-dns-owner")).toEqual([
    {
      rule: "external-dns-owner",
      subject: 'txtOwnerId "eks-blueprint-prod"',
      other: 'txtOwnerId "eks-blueprint-prod"',
      message: `both ExternalDNS instances own records as "eks-blueprint-prod": each would rewrite and delete the other's records`,
    },
  ]);
  const unset = goodPair();
  const drop = ({ txtOwnerId: _, ...v }: Record<string, unknown>) => v;
  unset.a = patchValues(unset.a, "external-dns", drop);
  unset.b = patchValues(unset.b, "external-dns", drop);
  expect(ofRule(unset, "external-dns-owner").map((f) => f.subject)).toEqual([
    'txtOwnerId "default"',
  ]);
});

test.each([
  ["10.10.128.0/17", ["10.10.0.0/16", "10.10.128.0/17"]],
  ["10.0.0.0/8", ["10.10.0.0/16", "10.0.0.0/8"]],
  ["10.11.0.0/16", undefined],
])("vpc-cidr: prod 10.10.0.0/16 against prod2 %s", (cidr, overlap) => {
  const found = ofRule(goodPair({}, { cidr }), "vpc-cidr");
  expect(found).toEqual(
    overlap
      ? [
          {
            rule: "vpc-cidr",
            subject: overlap[0],
            other: overlap[1],
            message: "the VPC CIDRs overlap: the VPCs cannot be peered during the move",
          },
        ]
      : [],
  );
});

describe("autoscaler-discovery", () => {
  test("the chart's default tags, rendered with the cluster name, are our discovery filter", () => {
    expect(autoscalerDiscoveryFilters({ autoDiscovery: { clusterName: "c1" } })).toEqual([
      ["k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/c1"],
    ]);
    expect(autoscalerDiscoveryFilters({ autoscalingGroups: [] })).toEqual([]);
  });

  const tags = managedNodeGroupAsgTags("c2", "c2-general");
  test.each([
    [["k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/c1"], false],
    [["k8s.io/cluster-autoscaler/enabled"], true],
    [["k8s.io/cluster-autoscaler/enabled=true"], true],
    [["k8s.io/cluster-autoscaler/enabled=false"], false],
    [["eks:cluster-name=c2"], true],
  ])("filter %j matches c2's node group: %s", (filter, matches) => {
    expect(filterMatches(filter, tags)).toBe(matches);
  });

  test("tags widened to every enabled group reach the other cluster's node group", () => {
    const p = goodPair(
      {},
      {
        values: {
          "cluster-autoscaler": { autoDiscovery: { tags: ["k8s.io/cluster-autoscaler/enabled"] } },
        },
      },
    );
    expect(check(p)).toEqual([
      {
        rule: "autoscaler-discovery",
        subject: "node group eks-blueprint-prod-general",
        other:
          "kubernetes:helm.sh/v3:Release::prod2-ca: --node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled",
        message:
          "prod2's cluster-autoscaler discovers prod's node group eks-blueprint-prod-general (its Auto Scaling group carries every tag of the filter) and would resize it",
      },
    ]);
  });

  test("so do an extra auto-discovery flag naming the other cluster and an explicit ASG of it", () => {
    const p = goodPair({
      values: {
        "cluster-autoscaler": {
          extraArgs: {
            "node-group-auto-discovery": "asg:tag=eks:cluster-name=eks-blueprint-prod2",
          },
          autoscalingGroups: [
            { name: "eks-eks-blueprint-prod2-general-0a1b", minSize: 1, maxSize: 3 },
          ],
        },
      },
    });
    expect(ofRule(p, "autoscaler-discovery").map((f) => [f.subject, f.message])).toEqual([
      [
        "kubernetes:helm.sh/v3:Release::prod-ca: --node-group-auto-discovery=asg:tag=eks:cluster-name=eks-blueprint-prod2",
        "prod's cluster-autoscaler discovers prod2's node group eks-blueprint-prod2-general (its Auto Scaling group carries every tag of the filter) and would resize it",
      ],
      [
        "kubernetes:helm.sh/v3:Release::prod-ca: autoscalingGroups eks-eks-blueprint-prod2-general-0a1b",
        "prod's cluster-autoscaler discovers prod2's node group eks-blueprint-prod2-general (its Auto Scaling group is listed by name) and would resize it",
      ],
    ]);
  });
});

test("log-group: two Fluent Bits left on the chart's default group write to one group", () => {
  const p = goodPair();
  const unset = (v: Record<string, unknown>) => ({ ...v, cloudWatchLogs: { enabled: true } });
  p.a = patchValues(p.a, "aws-for-fluent-bit", unset);
  p.b = patchValues(p.b, "aws-for-fluent-bit", unset);
  expect(ofRule(p, "log-group")).toEqual([
    {
      rule: "log-group",
      subject: "kubernetes:helm.sh/v3:Release::prod-fb values.cloudWatchLogs.logGroupName",
      other: "kubernetes:helm.sh/v3:Release::prod2-fb values.cloudWatchLogs.logGroupName",
      message:
        "both stacks use the log group \"/aws/eks/fluentbit-cloudwatch/logs\": one cluster's logs would mix with the other's, and destroying one stack deletes the other's logs",
    },
  ]);
});

test("metric-label and cluster-key: Prometheus, ALB controller and Istio keyed by the same name", () => {
  const p = goodPair();
  p.b = patchValues(p.b, "kube-prometheus-stack", (v) => ({ ...v, prometheus: {} }));
  p.a = patchValues(p.a, "kube-prometheus-stack", (v) => ({ ...v, prometheus: {} }));
  p.b = patchValues(p.b, "istiod", (v) => ({ ...v, global: { meshID: "eks-blueprint-prod" } }));
  expect(ofRule(p, "metric-label").map((f) => f.message)).toEqual([
    "the metric label cluster is unset in both stacks",
  ]);
  expect(ofRule(p, "cluster-key")).toEqual([
    {
      rule: "cluster-key",
      subject: "kubernetes:helm.sh/v3:Release::prod-istiod global.meshID=eks-blueprint-prod",
      other: "kubernetes:helm.sh/v3:Release::prod2-istiod global.meshID=eks-blueprint-prod",
      message: `Istio's mesh id is "eks-blueprint-prod" in both stacks`,
    },
  ]);
});

test("a pairwise finding names each stack's side, and a side with nothing to show as -", () => {
  expect(
    renderFindings(
      [
        { rule: "vpc-cidr", subject: "10.0.0.0/16", other: "10.0.128.0/17", message: "d" },
        { rule: "vpc-cidr", subject: "", other: "10.0.128.0/17", message: "e" },
      ],
      [{ id: "vpc-cidr", title: RULES["vpc-cidr"] }],
      ["prod", "prod2"],
    ),
  ).toEqual([
    "[error] vpc-cidr: the VPC CIDRs do not overlap",
    "  - prod: -; prod2: 10.0.128.0/17: e",
    "  - prod: 10.0.0.0/16; prod2: 10.0.128.0/17: d",
  ]);
});

test("a stack without a cluster record cannot be judged, and says so", () => {
  const p = goodPair();
  p.b = without(p.b, (r) => r.type === "eks:index:Cluster");
  expect(check(p)[0]).toEqual({
    rule: "cluster-name",
    subject: "eks-blueprint-prod",
    other: "",
    message: "a stack has no eks:index:Cluster name, so nothing derived from it can be judged",
  });
});
