// FIS drills per stack: templates, alarm and in-cluster access confined to the cluster, and the
// experiment role's reach judged by the isolation matrix like every other role's.
import { blueprintProblems } from "../components/blueprint/blueprint";
import { drillsPolicy, drillsProblems, loadBalancerNameOf } from "../components/drills/drills";
import { policyDocument } from "../components/access/irsa-policy";
import { isolationMatrix } from "../policy/coexist/isolation";
import { inline, reach } from "./coexist-fixtures";
import { byType, committedMatrix, committedSide, committedSynth } from "./stack-harness";

test.each(["prod", "prod2"])(
  "%s has both templates, stopped by its gateway's healthy-host alarm",
  (stack) => {
    const r = committedSynth(stack);
    const cluster = `eks-blueprint-${stack}`;
    const alarm = byType(r, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) =>
      a.name.endsWith("gateway-healthy-hosts"),
    )!;
    expect(alarm.inputs).toMatchObject({
      name: `${cluster}-gateway-healthy-hosts`,
      namespace: "AWS/NetworkELB",
      metricName: "HealthyHostCount",
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
    const templates = byType(r, "aws:fis/experimentTemplate:ExperimentTemplate");
    expect(templates.map((t) => t.name).sort()).toEqual([
      `${stack}-drills-gateway`,
      `${stack}-drills-zone`,
    ]);
    const zone = templates.find((t) => t.name.endsWith("-zone"))!.inputs;
    expect(zone.targets).toEqual([
      {
        name: "ZoneNodes",
        resourceType: "aws:ec2:instance",
        selectionMode: "ALL",
        resourceTags: [{ key: "eks:cluster-name", value: cluster }],
        filters: [
          { path: "Placement.AvailabilityZone", values: ["us-west-2a"] },
          { path: "State.Name", values: ["running"] },
        ],
      },
    ]);
    const gateway = templates.find((t) => t.name.endsWith("-gateway"))!.inputs;
    expect(gateway.targets).toEqual([
      {
        name: "GatewayPods",
        resourceType: "aws:eks:pod",
        selectionMode: "PERCENT(50)",
        parameters: {
          clusterIdentifier: `arn:aws:eks:us-west-2:111122223333:cluster/${cluster}`,
          namespace: "istio-ingress",
          selectorType: "labelSelector",
          selectorValue: "app=istio-ingressgateway",
        },
      },
    ]);
    for (const t of templates) {
      expect(t.inputs.stopConditions).toEqual([
        {
          source: "aws:cloudwatch:alarm",
          value: expect.stringContaining(`:${cluster}-gateway-healthy-hosts`),
        },
      ]);
    }
  },
);

test("inside the cluster the experiment user may act in the gateway's namespace only", () => {
  const r = committedSynth("prod2");
  expect(
    byType(r, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").filter((b) =>
      b.name.includes("drills"),
    ),
  ).toEqual([]);
  const role = byType(r, "kubernetes:rbac.authorization.k8s.io/v1:Role").find(
    (x) => x.name === "prod2-drills-fis",
  )!;
  expect(role.inputs.metadata).toEqual({ name: "fis-experiment", namespace: "istio-ingress" });
  // The FIS guide's Role for aws:eks:pod actions (eks-pod-actions.html, "Configure the
  // Kubernetes service account"), written out here, not read from the code.
  expect(role.inputs.rules).toEqual([
    { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] },
    {
      apiGroups: [""],
      resources: ["pods"],
      verbs: ["create", "list", "get", "delete", "deletecollection"],
    },
    { apiGroups: [""], resources: ["pods/ephemeralcontainers"], verbs: ["update"] },
    { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
  ]);
  const entry = byType(r, "aws:eks/accessEntry:AccessEntry").find(
    (x) => x.name === "prod2-drills-fis",
  )!;
  expect(entry.inputs).toMatchObject({ userName: "fis-experiment", type: "STANDARD" });
  // No access policy: its only rights are the Role's.
  expect(
    byType(r, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").filter((a) =>
      a.name.includes("drills"),
    ),
  ).toEqual([]);
});

test("the experiment role terminates only its cluster's instances, before and after widening", async () => {
  const prod = committedSide("prod");
  const prod2 = committedSide("prod2");
  expect(reach(await committedMatrix(), "fis")).toEqual([]);
  const untagged = policyDocument(
    ...drillsPolicy({
      partition: "aws",
      region: "us-west-2",
      accountId: "111122223333",
      clusterName: "eks-blueprint-prod2",
    }).Statement.map(({ Condition: _condition, ...s }) => s),
  );
  expect(reach(await isolationMatrix(prod, inline(prod2, "fis", untagged)), "fis")).toEqual([
    "may ec2:TerminateInstances on prod's instance of node group eks-blueprint-prod-general",
  ]);
});

test("a zone outside the region, an unknown key and drills without Istio are refused", () => {
  expect(drillsProblems({ zone: "eu-west-1a" }, "us-west-2")).toEqual([
    'zone: not a zone of region us-west-2 (got "eu-west-1a"); use one such as us-west-2a',
  ]);
  const args = {
    clusterName: "c",
    kubernetesVersion: "1.35" as const,
    region: "us-west-2",
    network: { cidrBlock: "10.0.0.0/16" },
    nodeGroups: { general: { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2 } },
    drills: { zone: "us-west-2a", extra: 1 } as { zone: string },
  };
  expect(blueprintProblems(args)).toEqual([
    'drills.extra: unknown key (got "extra"); use zone',
    'drills: needs the Istio gateway, whose healthy hosts stop the drills (got {"zone":"us-west-2a","extra":1}); turn addons.istio on, or remove drills',
  ]);
});

test("an NLB's name is its DNS name's first label without the id", () => {
  expect(
    loadBalancerNameOf(
      "k8s-istioing-istioing-0a1b2c3d4e-0123456789abcdef.elb.us-west-2.amazonaws.com",
    ),
  ).toBe("k8s-istioing-istioing-0a1b2c3d4e");
});
