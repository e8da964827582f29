import type { SynthRecord } from "../../../synth/record";
import { recordKey } from "../../../synth/record";
import { defineRule, type Finding, type Rule } from "../types";

/** pulumi-eks's own groups unless `skipDefaultSecurityGroups`; then both are the EKS group. */
const PULUMI_EKS_GROUPS: Record<string, string> = {
  clusterSecurityGroupId: "pulumi-eks's own cluster security group",
  nodeSecurityGroupId: "pulumi-eks's own node security group",
};
const EKS_GROUP = "eksCluster.vpcConfig.clusterSecurityGroupId";

/**
 * Managed nodes and CoreDNS carry the group EKS creates; pulumi-eks's own serve only self-managed
 * nodes, so a rule or tag on them reaches no pod. The synth's provenance says which output an
 * input came from.
 */
export const securityGroupRules: Rule[] = [
  defineRule({
    id: "rules-target-node-security-group",
    phase: "create",
    title: "security group rules and discovery tags name the group managed nodes really carry",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html (managed nodes get the cluster security group EKS creates); node_modules/@pulumi/eks/cluster.d.ts (clusterSecurityGroupId / nodeSecurityGroupId: pulumi-eks's own groups unless skipDefaultSecurityGroups)",
    smokeCheck: "dns-from-pod-security-group-pod",
    check({ head }) {
      const clusters = new Map(
        head.filter((r) => r.type === "eks:index:Cluster").map((c) => [recordKey(c), c]),
      );
      const ownGroups = (c?: SynthRecord) => c?.inputs.skipDefaultSecurityGroups !== true;
      const findings: Omit<Finding, "rule">[] = [];
      if (clusters.size > 0 && !head.some((r) => r.provenance)) {
        const message =
          "the synth records no provenance, so which group an input names cannot be read; synthesize it again with this version (npm run synth)";
        for (const subject of clusters.keys()) findings.push({ subject, message });
      }
      for (const r of head) {
        for (const [path, sources] of Object.entries(r.provenance ?? {})) {
          const fromCluster = sources.filter((s) => ownGroups(clusters.get(s.resource)));
          if (fromCluster.some((s) => s.output === EKS_GROUP)) continue;
          const own = fromCluster.find((s) => s.output in PULUMI_EKS_GROUPS);
          if (!own) continue;
          findings.push({
            subject: recordKey(r),
            message: `${path} is ${PULUMI_EKS_GROUPS[own.output]} (${own.resource} output ${own.output}), which managed nodes and CoreDNS do not carry; use the cluster security group EKS creates (output ${EKS_GROUP})`,
          });
        }
      }
      const tagged = `nodeSecurityGroupTags tag pulumi-eks's own node group, which managed nodes do not carry, so discovery by those tags finds no node group; tag the EKS-created cluster security group (aws.ec2.Tag)`;
      for (const cluster of clusters.values()) {
        if (cluster.inputs.nodeSecurityGroupTags !== undefined && ownGroups(cluster)) {
          findings.push({ subject: recordKey(cluster), message: tagged });
        }
      }
      return findings;
    },
  }),
];
