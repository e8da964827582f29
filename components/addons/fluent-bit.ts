import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { irsaAnnotation, PolicyDocument, stableJson } from "../irsa-policy";
import { charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const FLUENT_BIT = {
  // Not amazon-cloudwatch: that one belongs to the Container Insights add-on.
  namespace: "logging",
  serviceAccount: "aws-for-fluent-bit",
} as const;

export interface FluentBitSettings {
  /** Retention of the container log groups, in days (a CloudWatch Logs period). @default 30 */
  retentionDays?: number;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
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

export interface FluentBitArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: FluentBitSettings;
}

/** aws-for-fluent-bit shipping container logs to CloudWatch Logs groups Pulumi owns. */
export class FluentBit extends pulumi.ComponentResource {
  readonly logGroups: aws.cloudwatch.LogGroup[];
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: FluentBitArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:FluentBit", name, {}, opts);
    const ctx = args.context;
    const groups = fluentBitLogGroups(ctx.clusterName);
    this.logGroups = Object.entries(groups).map(
      ([key, groupName]) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${key}`,
          {
            name: groupName,
            retentionInDays: args.settings.retentionDays ?? 30,
            tags: ctx.tags,
          },
          { parent: this },
        ),
    );
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...FLUENT_BIT,
        roleSuffix: "fluent-bit",
        policy: pulumi
          .output(ctx.accountId)
          .apply((accountId) =>
            stableJson(
              fluentBitPolicy({ ...ctx, accountId, logGroupNames: Object.values(groups) }),
            ),
          ),
      },
      this,
    );
    // The DaemonSet mounts /var/log from the host: hostPath volumes need `privileged`.
    const ns = addonNamespace(
      `${name}-ns`,
      { ...ctx, namespace: FLUENT_BIT.namespace, podSecurity: "privileged" },
      { parent: this },
    );
    const values = this.role.roleArn.apply((roleArn) =>
      mergeValues(
        fluentBitValues({ region: ctx.region, logGroupName: groups.containers, roleArn }),
        args.settings.values,
      ),
    );
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(charts.awsForFluentBit, {
        name: "aws-for-fluent-bit",
        namespace: ns.metadata.name,
        values,
      }),
      {
        parent: this,
        provider: ctx.provider,
        dependsOn: [this.role, ...this.logGroups, ...ctx.computeReady],
      },
    );
    this.registerOutputs({ logGroups: this.logGroups.map((g) => g.name) });
  }
}
