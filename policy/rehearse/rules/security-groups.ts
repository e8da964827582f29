import type { SynthRecord } from "../../../synth/record";
import { recordKey } from "../../../synth/record";
import type { Finding, Rule } from "../types";

/**
 * pulumi-eks's outputs that name its own groups unless `skipDefaultSecurityGroups` is set
 * (node_modules/@pulumi/eks/cluster.d.ts); with it, both are the group EKS creates.
 */
const PULUMI_EKS_GROUPS: Record<string, string> = {
  clusterSecurityGroupId: "pulumi-eks's own cluster security group",
  nodeSecurityGroupId: "pulumi-eks's own node security group",
};
/** The group EKS creates with the cluster, as pulumi-eks returns it. */
const EKS_GROUP = "eksCluster.vpcConfig.clusterSecurityGroupId";

/**
 * Managed node groups whose launch template names no security group, and CoreDNS on them, carry
 * the security group EKS creates with the cluster; pulumi-eks's own cluster and node groups
 * serve only its self-managed node groups. A rule or tag on pulumi-eks's groups reaches no pod.
 * Which group an input names is read from the synth's provenance: the cluster output the program
 * took the value from, whatever the id.
 */
export const rulesTargetNodeSecurityGroup: Rule = {
  id: "rules-target-node-security-group",
  phase: "create",
  title: "security group rules and discovery tags name the group managed nodes really carry",
  source:
    "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html (managed nodes get the cluster security group EKS creates); node_modules/@pulumi/eks/cluster.d.ts (clusterSecurityGroupId / nodeSecurityGroupId: pulumi-eks's own groups unless skipDefaultSecurityGroups)",
  smokeCheck: "dns-from-pod-security-group-pod",
  check(input) {
    const clusters = new Map(
      input.head.filter((r) => r.type === "eks:index:Cluster").map((c) => [recordKey(c), c]),
    );
    const ownGroups = (c: SynthRecord | undefined) => c?.inputs.skipDefaultSecurityGroups !== true;
    const findings: Finding[] = [];
    if (clusters.size > 0 && !input.head.some((r) => r.provenance)) {
      for (const subject of clusters.keys()) {
        findings.push({
          rule: this.id,
          subject,
          message:
            "the synth records no provenance, so which group an input names cannot be read; synthesize it again with this version (npm run synth)",
        });
      }
    }
    for (const r of input.head) {
      for (const [path, sources] of Object.entries(r.provenance ?? {})) {
        const fromCluster = sources.filter((s) => ownGroups(clusters.get(s.resource)));
        if (fromCluster.some((s) => s.output === EKS_GROUP)) continue;
        const own = fromCluster.find((s) => s.output in PULUMI_EKS_GROUPS);
        if (!own) continue;
        findings.push({
          rule: this.id,
          subject: recordKey(r),
          message: `${path} is ${PULUMI_EKS_GROUPS[own.output]} (${own.resource} output ${own.output}), which managed nodes and CoreDNS do not carry; use the cluster security group EKS creates (output ${EKS_GROUP})`,
        });
      }
    }
    for (const cluster of clusters.values()) {
      if (cluster.inputs.nodeSecurityGroupTags !== undefined && ownGroups(cluster)) {
        findings.push({
          rule: this.id,
          subject: recordKey(cluster),
          message: `nodeSecurityGroupTags tag pulumi-eks's own node group, which managed nodes do not carry, so discovery by those tags finds no node group; tag the EKS-created cluster security group (aws.ec2.Tag)`,
        });
      }
    }
    return findings;
  },
};

export const securityGroupRules: Rule[] = [rulesTargetNodeSecurityGroup];
