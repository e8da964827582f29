// GPU nodes: an AL2023 NVIDIA AMI has the driver but no device plugin, so until one runs the
// kubelet advertises no `nvidia.com/gpu` and a pod that requests one stays Pending
// (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html); Bottlerocket's
// NVIDIA variants run the plugin themselves. A cluster may run the plugin another way (the GPU
// Operator, installed outside this stack), so a missing one is a warning, never a blocker.
import { isRelease, MANAGED_NODE_GROUP } from "../../shapes";
import { recordKey } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

const DEVICE_PLUGIN_CHART = "nvidia-device-plugin";

export const gpuRules: Rule[] = [
  defineRule({
    id: "gpu-device-plugin-installed",
    phase: "create",
    title: "AL2023 NVIDIA nodes get the NVIDIA device plugin, or no pod can request a GPU",
    source:
      "https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html (AL2023 NVIDIA AMIs need the plugin installed; Bottlerocket's include it)",
    smokeCheck: "nodes-ready",
    check({ head }) {
      if (head.some(isRelease(DEVICE_PLUGIN_CHART))) {
        return [];
      }
      return head
        .filter(
          (r) =>
            r.type === MANAGED_NODE_GROUP && /^AL2023_.*_NVIDIA$/.test(String(r.inputs.amiType)),
        )
        .map((r) => ({
          subject: recordKey(r),
          severity: "warning" as const,
          message: `runs ${String(r.inputs.amiType)}, which has no device plugin, and no ${DEVICE_PLUGIN_CHART} release is installed: pods requesting nvidia.com/gpu stay Pending unless one runs another way (the GPU Operator); remove addons.nvidiaDevicePlugin.enabled: false`,
        }));
    },
  }),
];
