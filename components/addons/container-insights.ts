import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { stableJson } from "../irsa-policy";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "./catalog";
import type { AddonContext } from "./context";
import type { Values } from "./values";

export const CONTAINER_INSIGHTS = {
  namespace: "amazon-cloudwatch",
  serviceAccount: "cloudwatch-agent",
} as const;

/**
 * The add-on's configuration. It ships its own Fluent Bit, which by default sends every
 * container log to /aws/containerinsights/<cluster>/application: with our Fluent Bit on, that
 * collection is off, so logs are never shipped (and paid for) twice. We leave the OpenTelemetry
 * pipeline (`otelContainerInsights`) at its default, off; if it is ever turned on, its own
 * `logs.enabled` must be false too (reference README section 4; CloudWatch user guide, "Opt out
 * of collecting container logs").
 */
export function containerInsightsConfiguration(fluentBitOn: boolean): Values {
  return { containerLogs: { enabled: !fluentBitOn } };
}

/** The IAM the add-on's page documents for its IRSA role. */
export const containerInsightsPolicyArns = (partition: string): string[] => [
  `arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
  `arn:${partition}:iam::aws:policy/AWSXrayWriteOnlyAccess`,
];

export interface ContainerInsightsArgs {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** Whether our Fluent Bit ships container logs (then the add-on does not). */
  fluentBitOn: boolean;
}

/** The amazon-cloudwatch-observability EKS add-on (Container Insights) with its IRSA role. */
export class ContainerInsights extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly addon: aws.eks.Addon;

  constructor(name: string, args: ContainerInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:ContainerInsights", name, {}, opts);
    const ctx = args.context;
    const versions = (eksAddonVersions as Record<string, EksAddonVersions | undefined>)[
      ctx.kubernetesVersion
    ];
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...CONTAINER_INSIGHTS,
        roleSuffix: "cloudwatch-agent",
        managedPolicyArns: containerInsightsPolicyArns(ctx.partition),
      },
      this,
    );
    this.addon = new aws.eks.Addon(
      name,
      {
        clusterName: ctx.cluster,
        addonName: eksAddonNames.cloudwatchObservability,
        addonVersion: versions?.cloudwatchObservability,
        serviceAccountRoleArn: this.role.roleArn,
        configurationValues: stableJson(containerInsightsConfiguration(args.fluentBitOn)),
        // Same stance as the core add-ons (components/core-addons.ts, CONFLICT_RESOLUTION).
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        tags: ctx.tags,
      },
      { parent: this, dependsOn: [this.role, ...ctx.computeReady] },
    );
    this.registerOutputs({ roleArn: this.role.roleArn });
  }
}
