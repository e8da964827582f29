import * as aws from "@pulumi/aws";
import { logRetentionProblems } from "../cluster/cluster-settings";
import { irsaAnnotation, PolicyDocument } from "../access/irsa-policy";
import { type AddonSpec, type CommonSettings, type Prepared, present } from "./spec";
import { requests, ValueLayers } from "./values";

export const FLUENT_BIT = {
  // Not amazon-cloudwatch: that one belongs to the Container Insights add-on.
  namespace: "logging",
  serviceAccount: "aws-for-fluent-bit",
} as const;

export interface FluentBitSettings extends CommonSettings {
  /** Retention of the container log groups, in days (a CloudWatch Logs period). @default 30 */
  retentionDays?: number;
}

/**
 * The log groups Fluent Bit writes to, named after the cluster beside EKS's own
 * `/aws/eks/<cluster>/cluster`, so two clusters never share one.
 */
export function fluentBitLogGroups(clusterName: string): { containers: string } {
  return { containers: `/aws/eks/${clusterName}/containers` };
}

export interface FluentBitValuesInput {
  region: string;
  logGroupName: string;
  roleArn: string;
}

export function fluentBitValues(i: FluentBitValuesInput): ValueLayers {
  return {
    defaults: {
      resources: requests("50m", "64Mi", "250Mi"),
      // A log shipper must run on every node, tainted ones (spot, GPU) included.
      tolerations: [{ operator: "Exists" }],
    },
    owned: {
      cloudWatchLogs: {
        enabled: true,
        region: i.region,
        logGroupName: i.logGroupName,
        // Pulumi creates the group and owns its retention, so the role needs neither
        // logs:CreateLogGroup nor logs:PutRetentionPolicy.
        autoCreateGroup: false,
      },
      serviceAccount: {
        create: true,
        name: FLUENT_BIT.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
    },
  };
}

export interface FluentBitPolicyInput {
  partition: string;
  region: string;
  accountId: string;
  logGroupNames: string[];
}

/**
 * The cloudwatch_logs output's permissions (reference iam/fluent-bit-cloudwatch-logs.json) on
 * our log groups only, instead of `*`, minus the create-group and retention calls Pulumi makes.
 */
export function fluentBitPolicy(i: FluentBitPolicyInput): PolicyDocument {
  const arn = (group: string) =>
    `arn:${i.partition}:logs:${i.region}:${i.accountId}:log-group:${group}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteClusterLogGroups",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // The group ARN for CreateLogStream, `:*` for its streams (PutLogEvents).
        Resource: i.logGroupNames.flatMap((g) => [arn(g), `${arn(g)}:*`]),
      },
    ],
  };
}

export const fluentBit: AddonSpec<FluentBitSettings, Prepared, "retentionDays"> = {
  component: "FluentBit",
  summary: "aws-for-fluent-bit: container logs to CloudWatch Logs groups Pulumi owns.",
  namespace: {
    name: FLUENT_BIT.namespace,
    podSecurity: "privileged",
    why: "the DaemonSet mounts /var/log from the host, and hostPath volumes need it",
  },
  defaults: { retentionDays: 30 },
  problems: (s, at) => logRetentionProblems(s.retentionDays, `${at}.retentionDays`),
  // Pulumi creates the groups first and owns their retention, so the role needs neither
  // logs:CreateLogGroup nor logs:PutRetentionPolicy.
  prepare: ({ name, context, settings, child }) => ({
    dependsOn: Object.entries(fluentBitLogGroups(context.clusterName)).map(
      ([key, groupName]) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${key}`,
          { name: groupName, retentionInDays: settings.retentionDays, tags: context.tags },
          child,
        ),
    ),
  }),
  role: {
    serviceAccount: FLUENT_BIT.serviceAccount,
    roleSuffix: "fluent-bit",
    policy: (ctx, r) =>
      fluentBitPolicy({
        ...ctx,
        accountId: r.accountId,
        logGroupNames: Object.values(fluentBitLogGroups(ctx.clusterName)),
      }),
  },
  chart: {
    // app 3.2.1. Chosen over fluent/fluent-bit 0.58.1: its CloudWatch Logs output is structured
    // values (region, log group, auto-create) that the values test can check against the chart,
    // where the Fluent chart takes the whole pipeline as one opaque config string.
    pin: {
      chart: "aws-for-fluent-bit",
      version: "0.2.0",
      repo: "https://aws.github.io/eks-charts",
      source:
        "https://github.com/aws/eks-charts/blob/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-for-fluent-bit/Chart.yaml",
    },
    release: "aws-for-fluent-bit",
    values: ({ context, resolved }) =>
      fluentBitValues({
        region: context.region,
        logGroupName: fluentBitLogGroups(context.clusterName).containers,
        roleArn: present(resolved.roleArn, "its IRSA role"),
      }),
  },
};
