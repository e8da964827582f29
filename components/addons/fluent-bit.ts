import { allow, policyDocument, type PolicyDocument } from "../access/irsa-policy";
import * as aws from "@pulumi/aws";
import { logRetentionProblems } from "../cluster/cluster-settings";
import { requests, ValueLayers, irsaServiceAccount } from "./values";
import type { AddonSpec, CommonSettings, Prepared, ValuesInput } from "./spec";

export const FLUENT_BIT = {
  // Not amazon-cloudwatch: that one belongs to the Container Insights add-on.
  namespace: "logging",
  serviceAccount: "aws-for-fluent-bit",
} as const;

export interface FluentBitSettings extends CommonSettings {
  /** Retention of the container log groups, in days (a CloudWatch Logs period). @default 30 */
  retentionDays?: number;
}

/** Log groups named after the cluster, beside EKS's `/aws/eks/<cluster>/cluster`: never shared. */
export function fluentBitLogGroups(clusterName: string): { containers: string } {
  return { containers: `/aws/eks/${clusterName}/containers` };
}

export function fluentBitValues({ context: ctx, resolved }: ValuesInput<unknown>): ValueLayers {
  return {
    defaults: {
      resources: requests("50m", "64Mi", "250Mi"),
      // A log shipper must run on every node, tainted ones (spot, GPU) included.
      tolerations: [{ operator: "Exists" }],
    },
    owned: {
      cloudWatchLogs: {
        enabled: true,
        region: ctx.region,
        logGroupName: fluentBitLogGroups(ctx.clusterName).containers,
        // Pulumi creates the group (`prepare`).
        autoCreateGroup: false,
      },
      serviceAccount: irsaServiceAccount(FLUENT_BIT.serviceAccount, resolved),
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
  return policyDocument(
    allow(
      "WriteClusterLogGroups",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      // The group ARN for CreateLogStream, `:*` for its streams (PutLogEvents).
      i.logGroupNames.flatMap((g) => [arn(g), `${arn(g)}:*`]),
    ),
  );
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
  // Pulumi owns the groups, so the role needs no logs:CreateLogGroup or logs:PutRetentionPolicy.
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
    // app 3.2.1. Not fluent/fluent-bit: this chart's CloudWatch output is checkable values.
    pin: {
      chart: "aws-for-fluent-bit",
      version: "0.2.0",
      repo: "https://aws.github.io/eks-charts",
      source:
        "https://github.com/aws/eks-charts/blob/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-for-fluent-bit/Chart.yaml",
    },
    release: "aws-for-fluent-bit",
    values: fluentBitValues,
  },
};
