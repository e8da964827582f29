// What cluster-autoscaler knows of a node group with no nodes: it builds a template node and
// scales the group up only for a pending pod that would fit on it
// (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/aws_manager.go, buildNodeFromTemplate):
// capacity from its built-in EC2 table (nvidia.com/gpu = the type's GPU count), labels and taints
// from the ASG's tags and, for an EKS managed node group (the ASG's eks:cluster-name and
// eks:nodegroup-name tags), from eks:DescribeNodegroup. Without that permission a zero-sized
// group's template has neither its labels nor its taints.
import type { SynthRecord } from "../synth/record";
import {
  KUBERNETES_TAINT_EFFECTS,
  type TaintEffect,
} from "../components/compute/node-group-settings";

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface TemplateNode {
  capacity: Record<string, number>;
  labels: Record<string, string>;
  taints: Taint[];
}

/**
 * The template of a managed node group record (`eks:index:ManagedNodeGroup`): its first instance
 * type's GPUs (EKS's ASG lists the group's types as overrides; the template reads the first),
 * and its labels and taints when the autoscaler may call eks:DescribeNodegroup.
 */
export function templateNode(
  group: SynthRecord,
  gpusPerType: Readonly<Record<string, number>>,
  describesNodegroups: boolean,
): TemplateNode {
  const types = (group.inputs.instanceTypes ?? []) as string[];
  const taints = (group.inputs.taints ?? []) as { key: string; value?: string; effect: string }[];
  return {
    capacity: { "nvidia.com/gpu": gpusPerType[types[0]] ?? 0 },
    labels: describesNodegroups ? ((group.inputs.labels ?? {}) as Record<string, string>) : {},
    taints: describesNodegroups
      ? taints.map((t) => ({
          ...t,
          effect: KUBERNETES_TAINT_EFFECTS[t.effect as TaintEffect] ?? t.effect,
        }))
      : [],
  };
}

export interface PendingPod {
  /** Extended resources it requests, such as `{"nvidia.com/gpu": 1}`. */
  requests: Record<string, number>;
  tolerations?: { key?: string; operator?: "Exists" | "Equal"; value?: string; effect?: string }[];
  nodeSelector?: Record<string, string>;
}

/** Whether the scheduler would put the pod on the node: requests, nodeSelector and taints. */
export function podFits(pod: PendingPod, node: TemplateNode): boolean {
  const fits = Object.entries(pod.requests).every(([r, n]) => (node.capacity[r] ?? 0) >= n);
  const selected = Object.entries(pod.nodeSelector ?? {}).every(([k, v]) => node.labels[k] === v);
  const tolerated = node.taints
    .filter((t) => t.effect !== "PreferNoSchedule")
    .every((t) =>
      (pod.tolerations ?? []).some(
        (o) =>
          (o.key === undefined || o.key === t.key) &&
          (o.effect === undefined || o.effect === t.effect) &&
          (o.operator === "Exists" || (o.value ?? "") === (t.value ?? "")),
      ),
    );
  return fits && selected && tolerated;
}
