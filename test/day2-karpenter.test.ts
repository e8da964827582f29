import { charts } from "../components/addons/registry";
import { ec2NodeClassSpec, nodePoolSpec } from "../components/addons/karpenter/node-pools";
import {
  INTERRUPTION_EVENTS,
  karpenterControllerPolicy,
} from "../components/addons/karpenter/policy";
import { addonOf, one, byType, synthProgram } from "./day2-context";
import { upstreamCloudFormation } from "./upstream";

/** Upstream's template (vendored at the chart's tag); CFN tags (!Sub, !GetAtt) are plain strings. */
function referenceResources(): Record<
  string,
  { Type: string; Properties: Record<string, unknown> }
> {
  return upstreamCloudFormation<{ Resources: ReturnType<typeof referenceResources> }>(
    "iam/karpenter-cloudformation.yaml",
  ).Resources;
}

/** Upstream's controller statements by Sid, with the template's !Sub variables filled in. */
function referenceStatements(vars: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of Object.values(referenceResources())) {
    if (r.Type !== "AWS::IAM::ManagedPolicy") continue;
    const text = (r.Properties.PolicyDocument as string).replace(
      /\$\{([^}]+)\}/g,
      (_m, v: string) => vars[v] ?? `UNKNOWN(${v})`,
    );
    for (const st of (JSON.parse(text) as { Statement: { Sid: string }[] }).Statement) {
      out[st.Sid] = st;
    }
  }
  return out;
}

const input = {
  clusterName: "day2-test",
  partition: "aws",
  region: "us-west-2",
  accountId: "111122223333",
  nodeRoleArn: "arn:aws:iam::111122223333:role/day2-test-karpenter-node",
  queueArn: "arn:aws:sqs:us-west-2:111122223333:day2-test",
  vpcId: "vpc-0day2",
};

test("the controller policy is upstream's, statement for statement", () => {
  const ours = karpenterControllerPolicy({ ...input, zonalShift: true }).Statement.filter(
    (st) => st.Effect === "Allow",
  );
  expect(Object.fromEntries(ours.map((st) => [st.Sid, st]))).toEqual(
    referenceStatements({
      "AWS::Partition": input.partition,
      "AWS::Region": input.region,
      "AWS::AccountId": input.accountId,
      ClusterName: input.clusterName,
      "KarpenterNodeRole.Arn": input.nodeRoleArn,
      "KarpenterInterruptionQueue.Arn": input.queueArn,
    }),
  );
});

test("without zonal shift the policy drops only that statement", () => {
  const sids = karpenterControllerPolicy(input).Statement.map((st) => st.Sid);
  expect(sids).toHaveLength(20);
  expect(sids).not.toContain("AllowZonalShiftStatusReadOnly");
});

test("the interruption rules match upstream's five EventBridge rules", () => {
  const patterns = Object.values(referenceResources())
    .filter((r) => r.Type === "AWS::Events::Rule")
    .map((r) => r.Properties.EventPattern);
  expect(Object.values(INTERRUPTION_EVENTS)).toEqual(patterns);
});

const pools = {
  general: {
    architectures: ["amd64", "arm64"] as ("amd64" | "arm64")[],
    capacityTypes: ["spot", "on-demand"] as ("spot" | "on-demand")[],
    limits: { cpu: "200", memory: "800Gi" },
  },
  hardened: { amiFamily: "Bottlerocket" as const, limits: { cpu: "50", memory: "200Gi" } },
};

test("a NodePool selects architectures, capacity types and limits from config", () => {
  const spec = nodePoolSpec("general", pools.general);
  expect(spec.limits).toEqual({ cpu: "200", memory: "800Gi" });
  expect(spec.template.spec.requirements.slice(0, 3)).toEqual([
    { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
  ]);
  expect(spec.template.spec.nodeClassRef).toEqual({
    group: "karpenter.k8s.aws",
    kind: "EC2NodeClass",
    name: "general",
  });
});

test("a Bottlerocket EC2NodeClass uses its alias, the discovery tags and the data volume", () => {
  const spec = ec2NodeClassSpec(pools.hardened, {
    clusterName: "day2-test",
    nodeRoleName: "day2-test-karpenter-node",
    tags: {},
  });
  expect(spec.amiSelectorTerms).toEqual([{ alias: "bottlerocket@latest" }]);
  expect(spec.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": "day2-test" } }]);
  expect(spec.securityGroupSelectorTerms).toEqual(spec.subnetSelectorTerms);
  expect(spec.blockDeviceMappings[0].deviceName).toBe("/dev/xvdb");
  expect(spec.metadataOptions.httpTokens).toBe("required");
});

describe("Karpenter on a test stack", () => {
  let r: Awaited<ReturnType<typeof synthProgram>>;
  beforeAll(async () => {
    r = await synthProgram(() => addonOf("karpenter", "karpenter", { nodePools: pools }));
  });

  test("the CRD chart and the controller chart are pinned, the controller wired to the queue", () => {
    const crd = one(r, "kubernetes:helm.sh/v3:Release", "karpenter-crd");
    expect(crd.inputs).toMatchObject({ chart: charts.karpenterCrd.chart, version: "1.14.1" });
    const controller = one(r, "kubernetes:helm.sh/v3:Release", "karpenter");
    expect(controller.inputs).toMatchObject({
      chart: "oci://public.ecr.aws/karpenter/karpenter",
      version: "1.14.1",
      namespace: "kube-system",
      skipCrds: true,
    });
    expect(controller.inputs.repositoryOpts).toBeUndefined();
    expect(controller.inputs.values).toMatchObject({
      settings: { clusterName: "day2-test", interruptionQueue: "day2-test" },
      serviceAccount: {
        name: "karpenter",
        annotations: {
          "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/day2-test-karpenter",
        },
      },
      replicas: 2,
      podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
    });
    expect(controller.dependsOn).toContain("kubernetes:helm.sh/v3:Release::karpenter-crd");
  });

  test("each pool is a NodePool and an EC2NodeClass, after the CRDs", () => {
    const crs = byType(r, "kubernetes:karpenter.sh/v1:NodePool");
    expect(crs.map((c) => c.name)).toEqual([
      "karpenter-general-nodepool",
      "karpenter-hardened-nodepool",
    ]);
    const classes = byType(r, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
    expect(classes.map((c) => (c.inputs.spec as { role: string }).role)).toEqual([
      "day2-test-karpenter-node",
      "day2-test-karpenter-node",
    ]);
    for (const c of [...crs, ...classes]) {
      expect(c.dependsOn).toContain("kubernetes:helm.sh/v3:Release::karpenter-crd");
    }
  });

  test("the SQS queue is fed by five EventBridge rules", () => {
    const queue = one(r, "aws:sqs/queue:Queue", "karpenter-interruption");
    expect(queue.inputs).toMatchObject({
      name: "day2-test",
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    expect(byType(r, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(5);
    const targets = byType(r, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((t) => t.inputs.arn)).toEqual(
      Array(5).fill("arn:aws:sqs:us-west-2:111122223333:day2-test"),
    );
    const policy = JSON.parse(
      one(r, "aws:sqs/queuePolicy:QueuePolicy", "karpenter-interruption-policy").inputs
        .policy as string,
    );
    expect(policy.Statement[0].Principal.Service).toEqual([
      "events.amazonaws.com",
      "sqs.amazonaws.com",
    ]);
  });

  test("the node role joins through an EC2_LINUX access entry", () => {
    expect(one(r, "aws:eks/accessEntry:AccessEntry", "karpenter-node").inputs).toEqual({
      clusterName: "day2-test",
      principalArn: "arn:aws:iam::111122223333:role/day2-test-karpenter-node",
      type: "EC2_LINUX",
      tags: { team: "platform" },
    });
  });

  test("the controller's policy lets it pass only its node role, and no cluster-autoscaler exists", () => {
    const policy = JSON.parse(
      one(r, "aws:iam/rolePolicy:RolePolicy", "karpenter-irsa-permissions").inputs.policy as string,
    );
    const pass = policy.Statement.find(
      (s: { Sid: string }) => s.Sid === "AllowPassingInstanceRole",
    );
    expect(pass.Resource).toBe("arn:aws:iam::111122223333:role/day2-test-karpenter-node");
    expect(JSON.stringify(policy).length).toBeLessThan(10240); // inline policy size limit
    expect(r.resources.filter((x) => JSON.stringify(x).includes("cluster-autoscaler"))).toEqual([]);
  });
});
