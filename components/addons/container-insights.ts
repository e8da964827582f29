import * as aws from "@pulumi/aws";
import { stableJson } from "../access/irsa-policy";
import { eksAddonNames } from "./catalog";
import { eksAddonClusterProblems, pinnedEksAddonVersions } from "./ebs-csi";
import { AddonSpec, CommonSettings, present } from "./spec";
import type { Values } from "./values";

export const CONTAINER_INSIGHTS = {
  namespace: "amazon-cloudwatch",
  serviceAccount: "cloudwatch-agent",
} as const;

/**
 * Its own Fluent Bit ships every container log to /aws/containerinsights/<cluster>/application; off
 * while ours runs, so logs are never paid for twice. If `otelContainerInsights` is ever turned on,
 * its `logs.enabled` must be false too (reference README section 4; CloudWatch user guide, "Opt out
 * of collecting container logs").
 */
export const containerInsightsConfiguration = (fluentBitOn: boolean): Values => ({
  containerLogs: { enabled: !fluentBitOn },
});

/** The IAM the add-on's page documents for its IRSA role. */
export const containerInsightsPolicyArns = (partition: string): string[] => [
  `arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy`,
  `arn:${partition}:iam::aws:policy/AWSXrayWriteOnlyAccess`,
];

/** Container Insights takes no settings of its own. */
export type ContainerInsightsSettings = CommonSettings;

export const containerInsights: AddonSpec<ContainerInsightsSettings> = {
  component: "ContainerInsights",
  summary: "The amazon-cloudwatch-observability EKS add-on (CloudWatch Container Insights).",
  // The add-on creates amazon-cloudwatch itself.
  namespace: { name: CONTAINER_INSIGHTS.namespace },
  defaults: {},
  contextProblems: eksAddonClusterProblems,
  role: {
    serviceAccount: CONTAINER_INSIGHTS.serviceAccount,
    roleSuffix: "cloudwatch-agent",
    managedPolicyArns: containerInsightsPolicyArns,
  },
  finish: ({ name, context: ctx, installed, child }, plumbed) => {
    const role = present(plumbed.role, "containerInsights's IRSA role");
    new aws.eks.Addon(
      name,
      {
        clusterName: ctx.cluster,
        addonName: eksAddonNames.cloudwatchObservability,
        addonVersion: pinnedEksAddonVersions(ctx.kubernetesVersion)?.cloudwatchObservability,
        serviceAccountRoleArn: role.roleArn,
        configurationValues: stableJson(containerInsightsConfiguration(installed.has("fluentBit"))),
        // Same stance as the core add-ons (components/cluster/core-addons.ts, CONFLICT_RESOLUTION).
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        tags: ctx.tags,
      },
      { ...child, dependsOn: [role, ...ctx.computeReady] },
    );
    return {};
  },
};
