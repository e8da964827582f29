// Fargate runs no DaemonSet: pods log through EKS's Fluent Bit router, set by one ConfigMap:
// https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
import { allow, policyDocument, PolicyDocument, stableJson } from "../access/irsa-policy";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaceLogicalName, podSecurityLabels } from "../teams/namespace";
import type { KubernetesMinor } from "../cluster/kubernetes-versions";

export const FARGATE_LOGGING = {
  namespace: "aws-observability",
  configMap: "aws-logging",
  /** EKS's limit on the ConfigMap's data. */
  maxConfigChars: 5300,
} as const;

/** Beside EKS's own `/aws/eks/<cluster>/cluster` and Fluent Bit's `/containers`: one per cluster. */
export const fargateLogGroupName = (clusterName: string): string =>
  `/aws/eks/${clusterName}/fargate`;

/** The guide's CloudWatch output minus group creation and retention (Pulumi's); no router logs. */
export function fargateLoggingData(i: {
  region: string;
  logGroupName: string;
}): Record<string, string> {
  return {
    flb_log_cw: "false",
    "output.conf": [
      "[OUTPUT]",
      "    Name cloudwatch_logs",
      "    Match kube.*",
      `    region ${i.region}`,
      `    log_group_name ${i.logGroupName}`,
      "    log_stream_prefix fargate-",
      "    auto_create_group false",
      "",
    ].join("\n"),
  };
}

/** Streams and events only; the guide's group, describe and retention grants go unused here. */
export function fargateLogPolicy(i: {
  partition: string;
  region: string;
  accountId: string;
  logGroupName: string;
}): PolicyDocument {
  const group = `arn:${i.partition}:logs:${i.region}:${i.accountId}:log-group:${i.logGroupName}`;
  return policyDocument(
    allow(
      "WriteFargateLogGroup",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      [group, `${group}:*`],
    ),
  );
}

export interface FargateLoggingArgs {
  /** EKS cluster name, which names the log group. */
  clusterName: string;
  /** Kubernetes minor, for the namespace's Pod Security labels. */
  kubernetesVersion: KubernetesMinor;
  /** AWS region of the cluster and the log group. */
  region: string;
  /** AWS account id of the cluster. */
  accountId: pulumi.Input<string>;
  /** AWS partition. */
  partition: string;
  /** Name of the Fargate pod execution role (`FargateProfiles.role`). */
  podExecutionRole: pulumi.Input<string>;
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Retention of the log group, in days (a CloudWatch Logs period). */
  retentionDays: number;
  /** Tags for the log group. @default none */
  tags?: Record<string, string>;
}

/** The log group, the execution role's write permission, and the router's namespace and ConfigMap. */
export class FargateLogging extends pulumi.ComponentResource {
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: FargateLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:FargateLogging", name, {}, opts);
    const logGroupName = fargateLogGroupName(args.clusterName);
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-group`,
      { name: logGroupName, retentionInDays: args.retentionDays, tags: args.tags },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-write`,
      {
        role: args.podExecutionRole,
        policy: pulumi
          .output(args.accountId)
          .apply((accountId) => stableJson(fargateLogPolicy({ ...args, accountId, logGroupName }))),
      },
      { parent: this },
    );
    const ns = new k8s.core.v1.Namespace(
      namespaceLogicalName(`${name}-ns`, FARGATE_LOGGING.namespace),
      {
        metadata: {
          name: FARGATE_LOGGING.namespace,
          // No pods run here: `restricted`, as every namespace without a reason to be lower.
          labels: {
            "aws-observability": "enabled",
            ...podSecurityLabels("restricted", args.kubernetesVersion),
          },
        },
      },
      { parent: this, provider: args.provider },
    );
    new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { name: FARGATE_LOGGING.configMap, namespace: ns.metadata.name },
        data: fargateLoggingData({ region: args.region, logGroupName }),
      },
      // The router reads the group only once it exists.
      { parent: this, provider: args.provider, dependsOn: [this.logGroup] },
    );
    this.registerOutputs({ logGroupName: this.logGroup.name });
  }
}
