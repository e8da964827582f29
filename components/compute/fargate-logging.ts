/**
 * Logs of Fargate pods. EKS runs a Fluent Bit log router beside every Fargate pod and configures
 * it from one ConfigMap, `aws-logging` in the namespace `aws-observability` (labelled
 * `aws-observability: enabled`), of at most 5300 characters; the router writes with the pod
 * execution role (https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html).
 * Without them a Fargate pod's logs go nowhere: Fluent Bit's DaemonSet never runs on Fargate.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, stableJson } from "../access/irsa-policy";
import { namespaceLogicalName, podSecurityLabels } from "../teams/namespace";

export const FARGATE_LOGGING = {
  namespace: "aws-observability",
  configMap: "aws-logging",
  /** EKS's limit on the ConfigMap's data. */
  maxConfigChars: 5300,
} as const;

/** Beside EKS's own `/aws/eks/<cluster>/cluster` and Fluent Bit's `/containers`: one per cluster. */
export const fargateLogGroupName = (clusterName: string): string =>
  `/aws/eks/${clusterName}/fargate`;

/**
 * The router's configuration: the cloudwatch_logs output into our group, as the user guide's
 * CloudWatch example, minus `auto_create_group` and `log_retention_days` (Pulumi creates the group
 * and owns its retention), and with the router's own logs (`flb_log_cw`) kept out of CloudWatch.
 */
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

/**
 * What the pod execution role needs to write the group: a stream per pod and its events. The
 * user guide's example also allows CreateLogGroup, DescribeLogStreams and PutRetentionPolicy on
 * `*`; Pulumi creates the group and sets its retention, and the output never describes streams.
 */
export function fargateLogPolicy(i: {
  partition: string;
  region: string;
  accountId: string;
  logGroupName: string;
}): PolicyDocument {
  const group = `arn:${i.partition}:logs:${i.region}:${i.accountId}:log-group:${i.logGroupName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFargateLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // The group for CreateLogStream, its streams (`:*`) for PutLogEvents.
        Resource: [group, `${group}:*`],
      },
    ],
  };
}

export interface FargateLoggingArgs {
  /** EKS cluster name; the log group is named after it. */
  clusterName: string;
  /** Kubernetes minor, for the namespace's Pod Security labels. */
  kubernetesVersion: string;
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
          // No pods run here; `restricted` like every namespace without a reason to be lower.
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
