import { mockSecurityGroupIds } from "../../../tools/synth/mocks";
import type { SynthRecord } from "../../../tools/synth/synthesize";
import { keyOf } from "../graph";
import type { Finding, Rule } from "../types";

/** Every string anywhere in a value, with the input path it was found at. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === "string") out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
  }
  return out;
}

/**
 * Managed node groups whose launch template names no security group, and CoreDNS on them, carry
 * the security group EKS creates with the cluster; pulumi-eks's own cluster and node groups
 * serve only its self-managed node groups. A rule or tag on pulumi-eks's groups reaches no pod.
 * The mocks give the three groups distinct ids (tools/synth/mocks.ts `mockSecurityGroupIds`), so
 * which group an input names is known exactly.
 */
export const rulesTargetNodeSecurityGroup: Rule = {
  id: "rules-target-node-security-group",
  phase: "create",
  title: "security group rules and discovery tags name the group managed nodes really carry",
  source:
    "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html (managed nodes get the cluster security group EKS creates); node_modules/@pulumi/eks/cluster.d.ts (clusterSecurityGroupId / nodeSecurityGroupId: pulumi-eks's own groups unless skipDefaultSecurityGroups)",
  smokeCheck: "dns-from-pod-security-group-pod",
  check(input) {
    const clusters = input.head.filter((r) => r.type === "eks:index:Cluster");
    const findings: Finding[] = [];
    for (const cluster of clusters) {
      const name = String(cluster.inputs.name ?? cluster.name);
      const ids = mockSecurityGroupIds(name);
      const own = new Map([
        [ids.pulumiEksCluster, "pulumi-eks's own cluster security group"],
        [ids.pulumiEksNode, "pulumi-eks's own node security group"],
      ]);
      const uses = (r: SynthRecord) => strings(r.inputs, "").filter(([, v]) => own.has(v));
      for (const r of input.head) {
        for (const [path, id] of uses(r)) {
          findings.push({
            rule: this.id,
            subject: keyOf(r),
            message: `${path} names ${own.get(id)} (${id}), which managed nodes and CoreDNS do not carry; use the cluster security group EKS creates (${ids.eksCluster})`,
          });
        }
      }
      if (
        cluster.inputs.nodeSecurityGroupTags !== undefined &&
        cluster.inputs.skipDefaultSecurityGroups !== true
      ) {
        findings.push({
          rule: this.id,
          subject: keyOf(cluster),
          message: `nodeSecurityGroupTags tag pulumi-eks's own node group, which managed nodes do not carry, so discovery by those tags finds no node group; tag the EKS-created cluster security group (aws.ec2.Tag)`,
        });
      }
    }
    return findings;
  },
};

export const securityGroupRules: Rule[] = [rulesTargetNodeSecurityGroup];
