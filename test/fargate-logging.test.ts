import { EksBlueprint } from "../components/blueprint/blueprint";
import {
  fargateLogGroupName,
  fargateLoggingData,
  fargateLogPolicy,
  FargateLogging,
  FARGATE_LOGGING,
} from "../components/compute/fargate-logging";
import * as k8s from "@pulumi/kubernetes";
import { one, byType, synthProgram } from "./day2-context";

test("the group sits beside the cluster's other log groups, one per cluster", () => {
  expect(fargateLogGroupName("eks-blueprint-prod2")).toBe("/aws/eks/eks-blueprint-prod2/fargate");
});

test("the router writes to that group with the cloudwatch_logs output, and creates nothing", () => {
  const data = fargateLoggingData({
    region: "us-west-2",
    logGroupName: "/aws/eks/eks-blueprint-prod2/fargate",
  });
  expect(data).toEqual({
    flb_log_cw: "false",
    "output.conf":
      "[OUTPUT]\n" +
      "    Name cloudwatch_logs\n" +
      "    Match kube.*\n" +
      "    region us-west-2\n" +
      "    log_group_name /aws/eks/eks-blueprint-prod2/fargate\n" +
      "    log_stream_prefix fargate-\n" +
      "    auto_create_group false\n",
  });
  // EKS refuses a ConfigMap over 5300 characters (fargate-logging.html).
  expect(Object.values(data).join("").length).toBeLessThanOrEqual(FARGATE_LOGGING.maxConfigChars);
});

test("the execution role may create streams and put events in this cluster's group only", () => {
  expect(
    fargateLogPolicy({
      partition: "aws",
      region: "us-west-2",
      accountId: "111122223333",
      logGroupName: "/aws/eks/eks-blueprint-prod2/fargate",
    }),
  ).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFargateLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/eks-blueprint-prod2/fargate",
          "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/eks-blueprint-prod2/fargate:*",
        ],
      },
    ],
  });
});

test("the component: group, role policy, labelled namespace and the aws-logging ConfigMap", async () => {
  const r = await synthProgram(
    () =>
      new FargateLogging("f", {
        clusterName: "c1",
        kubernetesVersion: "1.35",
        region: "us-west-2",
        accountId: "111122223333",
        partition: "aws",
        podExecutionRole: "c1-fargate",
        provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
        retentionDays: 30,
      }),
  );
  expect(one(r, "aws:cloudwatch/logGroup:LogGroup", "f-group").inputs).toMatchObject({
    name: "/aws/eks/c1/fargate",
    retentionInDays: 30,
  });
  const policy = one(r, "aws:iam/rolePolicy:RolePolicy", "f-write");
  expect(policy.inputs.role).toBe("c1-fargate");
  expect(JSON.parse(policy.inputs.policy as string).Statement[0].Resource).toEqual([
    "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/c1/fargate",
    "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/c1/fargate:*",
  ]);
  const ns = one(r, "kubernetes:core/v1:Namespace", "f-ns-aws-observability");
  expect(ns.inputs.metadata).toMatchObject({
    name: "aws-observability",
    labels: { "aws-observability": "enabled", "pod-security.kubernetes.io/enforce": "restricted" },
  });
  expect(one(r, "kubernetes:core/v1:ConfigMap", "f-config").inputs.metadata).toEqual({
    name: "aws-logging",
    namespace: "aws-observability",
  });
});

const blueprint = (fargateProfiles: object) =>
  synthProgram(
    () =>
      new EksBlueprint("bp", {
        clusterName: "c1",
        kubernetesVersion: "1.35",
        region: "us-west-2",
        network: { cidrBlock: "10.30.0.0/16" },
        nodeGroups: { general: { instanceTypes: ["m7i.large"], minSize: 2, maxSize: 3 } },
        fargateProfiles: fargateProfiles as never,
        workloadNamespaces: ["batch-jobs"],
      }),
  );

test.each([
  [
    "with a Fargate profile, one FargateLogging",
    { batch: { selectors: [{ namespace: "batch-jobs" }] } },
    1,
  ],
  ["without one, none", {}, 0],
])("EksBlueprint %s", async (_what, profiles, count) => {
  const r = await blueprint(profiles);
  expect(byType(r, "eks-blueprint:index:FargateLogging").length).toBe(count);
  if (count) {
    expect(one(r, "aws:iam/rolePolicy:RolePolicy", "bp-fargate-logs-write").inputs.role).toBe(
      "c1-fargate",
    );
  }
});
