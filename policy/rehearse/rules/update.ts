import { diffSynth, FieldChange, PARENT_FIELD } from "../../../synth/diff";
import type { SynthRecord } from "../../../synth/record";
import { kubeMeta, recordKey } from "../../../synth/record";
import { minorNumber } from "../../../components/cluster/kubernetes-versions";
import { ResourceGraph } from "../graph";
import { matchToHead } from "../identity";
import { defineRule, type Finding, type Rule } from "../types";
import { MANAGED_NODE_GROUP } from "../../shapes";

/**
 * Inputs that together are a physical name: two at once fail with AlreadyExists / ResourceInUse.
 * Attaching a policy twice is a no-op, so deleting the old attachment detaches the new.
 * Sources: https://www.pulumi.com/registry/packages/aws/api-docs/ per type; pulumi-eks
 * nodejs/eks/nodes/nodegroup.ts passes `nodeGroupName`.
 */
const PHYSICAL_NAME: Record<string, readonly string[]> = {
  "eks:index:Cluster": ["name"],
  "eks:index:ManagedNodeGroup": ["nodeGroupName"],
  "aws:eks/nodeGroup:NodeGroup": ["clusterName", "nodeGroupName"],
  "aws:eks/fargateProfile:FargateProfile": ["clusterName", "fargateProfileName"],
  "aws:eks/addon:Addon": ["clusterName", "addonName"],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn"],
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": [
    "clusterName",
    "namespace",
    "serviceAccount",
  ],
  "aws:ec2/securityGroup:SecurityGroup": ["vpcId", "name"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:route53/record:Record": ["zoneId", "name", "type", "setIdentifier"],
  "kubernetes:helm.sh/v3:Release": ["namespace", "name"],
};

/** Identity is kind, namespace and name. */
const isKubernetesObject = (type: string) =>
  type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/");

/** undefined when the provider names it: autonaming cannot collide. */
export function physicalName(r: SynthRecord): string | undefined {
  if (isKubernetesObject(r.type)) {
    const meta = kubeMeta(r);
    return meta.name ? `${meta.namespace ?? ""}/${meta.name}` : undefined;
  }
  const fields = PHYSICAL_NAME[r.type] ?? (r.type.startsWith("aws:") ? ["name"] : []);
  if (fields.length === 0) return undefined;
  const values = fields.map((f) => r.inputs[f]);
  if (values.some((v) => v === undefined || v === null || v === "")) return undefined;
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("/");
}

const diffOf = (stack: string, base: SynthRecord[], head: SynthRecord[]) =>
  diffSynth({ stack, resources: base }, { stack, resources: head });
const clusterOf = (records: readonly SynthRecord[] = []) =>
  records.find((r) => r.type === "eks:index:Cluster");

/** The command that lists an upgrade's steps, which a finding about one names. */
export const planCommand = (stack: string, target: unknown) =>
  `npm run upgrade-plan -- ${stack} ${typeof target === "string" ? target : "<minor>"}`;

export const updateRules: Rule[] = [
  defineRule({
    id: "fixed-name-create-before-delete",
    phase: "update",
    title:
      "a replacement with a fixed physical name cannot be created before the old one is deleted",
    source:
      "https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/ (Pulumi creates the replacement first by default); https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (ResourceInUseException for an existing name)",
    smokeCheck: "pulumi-up-succeeds",
    check(input) {
      if (!input.base) return [];
      // What the head's aliases claim is moved, not deleted and created.
      const matched = matchToHead(input.base, input.head);
      const base = new Map(matched.map((r) => [recordKey(r), r]));
      const head = new Map(input.head.map((r) => [recordKey(r), r]));
      const diff = diffOf(input.stack, matched, input.head);
      const findings: Omit<Finding, "rule">[] = [];
      for (const change of diff.changed.filter((c) => c.replacement)) {
        const [before, after] = [base.get(change.key), head.get(change.key)] as SynthRecord[];
        // The Kubernetes provider replaces a named object delete-first unless told false.
        if (isKubernetesObject(change.type) && after.deleteBeforeReplace !== false) continue;
        const name = physicalName(after);
        if (!name || name !== physicalName(before) || after.deleteBeforeReplace) continue;
        const fields = change.fields.filter((f: FieldChange) => f.replaces).map((f) => f.path);
        findings.push({
          subject: change.key,
          message: `changing ${fields.join(", ")} replaces it, and the replacement is created first under the same name ${JSON.stringify(name)}, which AWS refuses${fields.includes(PARENT_FIELD) ? " (a new parent needs an alias)" : ""}; let the name change with it (a name prefix), replace it delete-first on purpose, or go blue/green`,
        });
      }
      // A rename without an alias creates first; for a named Kubernetes object the delete then
      // removes the object just created: the update succeeds and the object is gone.
      const removed = diff.removed.map((r) => base.get(r.key) as SynthRecord);
      for (const added of diff.added.map((r) => head.get(r.key) as SynthRecord)) {
        const name = physicalName(added);
        const twin = removed.find((r) => r.type === added.type && name && physicalName(r) === name);
        if (!twin || added.deleteBeforeReplace) continue;
        findings.push({
          subject: recordKey(added),
          message: `is created under the physical name ${JSON.stringify(name)} that ${recordKey(twin)} still holds until it is deleted afterwards; give it an alias to the old resource, or a new name`,
        });
      }
      return findings;
    },
  }),
  defineRule({
    id: "kubernetes-version-moves-nodes",
    phase: "update",
    title: "a Kubernetes version bump moves every node group with the control plane",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html (a managed node group keeps its version until it is updated); pulumi-eks nodejs/eks/nodes/nodegroup.ts (sets `version` only without a launch template)",
    smokeCheck: "nodes-ready",
    check({ base = [], head }) {
      const [before, after] = [clusterOf(base), clusterOf(head)];
      if (!before || !after || before.inputs.version === after.inputs.version) return [];
      const old = new Set(base.map(recordKey));
      return head
        .filter((r) => r.type === "eks:index:ManagedNodeGroup" && old.has(recordKey(r)))
        .filter((r) => r.inputs.version !== after.inputs.version)
        .map((r) => ({
          subject: recordKey(r),
          message: `stays on ${JSON.stringify(r.inputs.version ?? "the version it was created with")} while the control plane moves ${before.inputs.version} → ${after.inputs.version}; let its version follow the cluster, or add a blue/green group (same role, draining: true on the old one) on the new version`,
        }));
    },
  }),
  defineRule({
    id: "eks-upgrade-one-minor",
    phase: "update",
    title: "EKS upgrades the control plane one minor version at a time and never downgrades",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html",
    smokeCheck: "pulumi-up-succeeds",
    check({ stack, base, head }) {
      const [before, after] = [clusterOf(base), clusterOf(head)];
      if (!before || !after) return [];
      const step = minorNumber(after.inputs.version) - minorNumber(before.inputs.version);
      if (step === 0 || step === 1) return [];
      const message = `moves ${before.inputs.version} → ${after.inputs.version}: ${step < 0 ? "EKS cannot downgrade a cluster" : `upgrade one minor version per pulumi up; \`${planCommand(stack, after.inputs.version)}\` lists the steps`}`;
      return [{ subject: recordKey(after), message }];
    },
  }),
  defineRule({
    id: "nodes-follow-control-plane",
    phase: "update",
    title:
      "node groups never run a newer Kubernetes minor than the control plane, nor move before it",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html (a node group's version cannot be newer than the cluster's); https://kubernetes.io/releases/version-skew-policy/ (kubelet never newer than kube-apiserver)",
    smokeCheck: "nodes-ready",
    check({ stack, base = [], head }) {
      const cluster = clusterOf(head);
      if (!cluster) return [];
      const graph = new ResourceGraph(head);
      const old = new Map(base.map((r) => [recordKey(r), r]));
      const moved = clusterOf(base)?.inputs.version !== cluster.inputs.version;
      const plan = `\`${planCommand(stack, cluster.inputs.version)}\` orders the steps`;
      return head
        .filter((r) => r.type === MANAGED_NODE_GROUP && r.inputs.version !== undefined)
        .flatMap((r) => {
          const key = recordKey(r);
          if (minorNumber(r.inputs.version) > minorNumber(cluster.inputs.version)) {
            const message = `runs ${JSON.stringify(r.inputs.version)}, newer than the control plane's ${JSON.stringify(cluster.inputs.version)}: EKS refuses it; upgrade the control plane first, one minor per pulumi up (${plan})`;
            return [{ subject: key, message }];
          }
          const bumped = old.has(key) && old.get(key)?.inputs.version !== r.inputs.version;
          if (moved && bumped && !graph.waitsFor(key, recordKey(cluster))) {
            const message = `moves to ${JSON.stringify(r.inputs.version)} without waiting for ${recordKey(cluster)}, so its nodes can be upgraded before the control plane; pass the cluster to the node group (${plan})`;
            return [{ subject: key, message }];
          }
          return [];
        });
    },
  }),
  defineRule({
    id: "tag-edit-rolls-nodes",
    phase: "update",
    title: "a launch template change rolls every node of the groups that use it",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html (a new launch template version is a node group update that replaces every node)",
    smokeCheck: "nodes-ready",
    check({ stack, base, head }) {
      if (!base) return [];
      const message = `only its instance and volume tags change, yet the new template version replaces every node of its group; keep tags that change out of the launch template`;
      return diffOf(stack, base, head)
        .changed.filter((c) => c.type === "aws:ec2/launchTemplate:LaunchTemplate")
        .filter((c) => {
          const paths = c.fields.map((f) => f.path);
          return (
            paths.some((p) => p.startsWith("tagSpecifications")) &&
            paths.every((p) => p.startsWith("tagSpecifications") || p.startsWith("tags"))
          );
        })
        .map((c) => ({ subject: c.key, message }));
    },
  }),
  defineRule({
    id: "eks-own-security-groups-kept",
    phase: "update",
    title:
      "turning on skipDefaultSecurityGroups for a deployed cluster removes pulumi-eks's own groups from its control plane and deletes them",
    source:
      "https://github.com/pulumi/pulumi-eks/blob/v4.3.0/nodejs/eks/cluster/cluster.ts (eksClusterSecurityGroup and the node group only without skipDefaultSecurityGroups; vpcConfig.securityGroupIds from the first)",
    smokeCheck: "pulumi-up-succeeds",
    check({ base, head }) {
      const [before, after] = [clusterOf(base), clusterOf(head)];
      if (!before || !after) return [];
      const skips = (c: SynthRecord) => c.inputs.skipDefaultSecurityGroups === true;
      if (skips(before) || !skips(after)) return [];
      const message = `its control plane runs with pulumi-eks's own security groups, which this update detaches and deletes (8 resources under protect, so the update stops; unprotected, the control plane loses a group mid-update); keep them: eks-blueprint:keepPulumiEksSecurityGroups: true`;
      return [{ subject: recordKey(after), message }];
    },
  }),
];
