// The cluster side of security groups for pods: the SecurityGroupPolicy object that assigns the
// groups, and the vpc-cni settings that turn branch network interfaces on.
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
 * Spec of the SecurityGroupPolicy. The VPC resource controller skips, with only a log line, a
 * policy with neither selector or no group (amazon-vpc-resource-controller-k8s
 * `pkg/utils/helper.go`, filterPodSecurityGroups), so that is an error here; the EKS docs allow
 * 1-5 group ids.
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
 * The `vpc-cni` add-on's configuration values that turn security groups for pods on (the cluster
 * side of every PodSecurityGroup). EKS add-on values put aws-node env vars under `env`
 * (`aws eks describe-addon-configuration`); the sample schema (v1.12.0-eksbuild.1) lists only
 * `env.ENABLE_POD_ENI`, and leaves `env.POD_SECURITY_GROUP_ENFORCING_MODE` and
 * `init.env.DISABLE_TCP_EARLY_DEMUX` unconfirmed. @pulumi/eks's VpcCniAddon writes
 * `init.env.DISABLE_TCP_EARLY_DEMUX` into these same values (pulumi-eks
 * `nodejs/eks/addons/cni-addon.ts`). Check the pinned version with
 * `aws eks describe-addon-configuration --addon-name vpc-cni --addon-version <v>`.
 *
 * `standard` (our default; upstream's is `strict`) keeps NodeLocal DNSCache, network policies and
 * `externalTrafficPolicy: Local` working and exempts same-node kubelet probes; traffic leaving the
 * VPC then uses the node's security group. `strict` routes all pod traffic through the pod's group,
 * and kubelet TCP probes then need TCP early demux off
 * (https://docs.aws.amazon.com/eks/latest/userguide/security-groups-pods-deployment.html).
 */
export function vpcCniPodEniConfiguration(mode: PodSgEnforcingMode = "standard") {
  const env = { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: mode };
  return mode === "strict" ? { env, init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } } } : { env };
}
