// The cluster side of security groups for pods: SecurityGroupPolicy, and vpc-cni's branch ENIs.
import type * as pulumi from "@pulumi/pulumi";
import type { PodSgEnforcingMode } from "./pod-security-group-rules";

export const SECURITY_GROUP_POLICY_API_VERSION = "vpcresources.k8s.aws/v1beta1";
export const SECURITY_GROUP_POLICY_KIND = "SecurityGroupPolicy";

/** Label selectors of a SecurityGroupPolicy; when both are set, a pod must match both. */
export interface PodSgSelectors {
  podSelector?: Record<string, string>;
  serviceAccountSelector?: Record<string, string>;
}

/**
 * The VPC resource controller skips, with a mere log line, a policy with no selector or no group
 * (amazon-vpc-resource-controller-k8s `pkg/utils/helper.go`, filterPodSecurityGroups): errors here.
 * EKS allows 1-5 group ids.
 */
export function securityGroupPolicySpec(
  selectors: PodSgSelectors,
  groupIds: pulumi.Input<string>[],
) {
  if (!selectors.podSelector && !selectors.serviceAccountSelector) {
    throw new Error("a SecurityGroupPolicy needs podSelector, serviceAccountSelector or both");
  }
  if (groupIds.length < 1 || groupIds.length > 5) {
    throw new Error(`a SecurityGroupPolicy takes 1 to 5 security groups, got ${groupIds.length}`);
  }
  return {
    ...(selectors.podSelector && { podSelector: { matchLabels: selectors.podSelector } }),
    ...(selectors.serviceAccountSelector && {
      serviceAccountSelector: { matchLabels: selectors.serviceAccountSelector },
    }),
    securityGroups: { groupIds },
  };
}

/**
 * vpc-cni values for security groups for pods. The sample schema (v1.12.0-eksbuild.1) confirms
 * only `env.ENABLE_POD_ENI`; pulumi-eks writes `init.env.DISABLE_TCP_EARLY_DEMUX` into the same
 * values (`nodejs/eks/addons/cni-addon.ts`). Check a pin with
 * `aws eks describe-addon-configuration --addon-name vpc-cni --addon-version <v>`. `standard`
 * (upstream's default is `strict`) keeps NodeLocal DNSCache, network policies and
 * `externalTrafficPolicy: Local` working and exempts same-node probes, but traffic leaving the VPC
 * uses the node's group; `strict` routes all through the pod's group, so TCP probes need TCP early
 * demux off: https://docs.aws.amazon.com/eks/latest/userguide/security-groups-pods-deployment.html
 */
export function vpcCniPodEniConfiguration(mode: PodSgEnforcingMode = "standard") {
  const env = { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: mode };
  return mode === "strict" ? { env, init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } } } : { env };
}
