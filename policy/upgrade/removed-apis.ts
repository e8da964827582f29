// APIs a Kubernetes minor stops serving, from the Deprecated API Migration Guide's "Removed APIs by
// release" (https://kubernetes.io/docs/reference/using-api/deprecation-guide/): an object of ours
// still on one fails its next update once the control plane reaches that minor. The guide lists
// no removal after v1.32 (1.33 to 1.36 remove none), so the newest rows are 1.32's.
import { kubeKindOf } from "../rehearse/rules/kubernetes";
import { recordKey, type SynthRecord } from "../../synth/record";

/** One API version of some kinds that a minor stops serving, and where to move. */
export interface RemovedApi {
  /** The minor that stops serving it, such as "1.32". */
  removedIn: string;
  /** `group/version` as in `apiVersion`. */
  apiVersion: string;
  /** The kinds the guide names for it. */
  kinds: readonly string[];
  /** The `apiVersion` to migrate to. */
  replacement: string;
}

export const REMOVED_APIS: readonly RemovedApi[] = [
  {
    removedIn: "1.25",
    apiVersion: "batch/v1beta1",
    kinds: ["CronJob"],
    replacement: "batch/v1",
  },
  {
    removedIn: "1.25",
    apiVersion: "discovery.k8s.io/v1beta1",
    kinds: ["EndpointSlice"],
    replacement: "discovery.k8s.io/v1",
  },
  {
    removedIn: "1.25",
    apiVersion: "events.k8s.io/v1beta1",
    kinds: ["Event"],
    replacement: "events.k8s.io/v1",
  },
  {
    removedIn: "1.25",
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    replacement: "autoscaling/v2",
  },
  {
    removedIn: "1.25",
    apiVersion: "policy/v1beta1",
    kinds: ["PodDisruptionBudget", "PodSecurityPolicy"],
    replacement: "policy/v1 (PodSecurityPolicy: Pod Security Admission)",
  },
  {
    removedIn: "1.25",
    apiVersion: "node.k8s.io/v1beta1",
    kinds: ["RuntimeClass"],
    replacement: "node.k8s.io/v1",
  },
  {
    removedIn: "1.26",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    removedIn: "1.26",
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    replacement: "autoscaling/v2",
  },
  {
    removedIn: "1.27",
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    replacement: "storage.k8s.io/v1",
  },
  {
    removedIn: "1.29",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    removedIn: "1.32",
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
];

/** One object of ours on an API the target minor no longer serves. */
export interface RemovedApiUse {
  /** `type::name` of the object. */
  subject: string;
  api: RemovedApi;
}

/** Our objects on an API removed by `minor` (exactly that minor: a plan walks them one by one). */
export function removedApiUses(records: readonly SynthRecord[], minor: string): RemovedApiUse[] {
  return records.flatMap((r) => {
    const kind = kubeKindOf(r.type);
    const api = REMOVED_APIS.find(
      (a) =>
        a.removedIn === minor && kind?.apiVersion === a.apiVersion && a.kinds.includes(kind.kind),
    );
    return api ? [{ subject: recordKey(r), api }] : [];
  });
}
