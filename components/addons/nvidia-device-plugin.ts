import type { AddonSpec, CommonSettings } from "./spec";
import { requests, ValueLayers } from "./values";

/** The NVIDIA device plugin takes no settings of its own. */
export type NvidiaDevicePluginSettings = CommonSettings;

/**
 * The plugin alone: it advertises `nvidia.com/gpu` to the kubelet. The chart's default affinity
 * matches `nvidia.com/gpu.present: "true"`, which AL2023 GPU groups carry (DEVICE_PLUGIN_LABEL),
 * and its default tolerations take the GPU taint; GPU feature discovery (gfd) would need NFD too.
 */
export function nvidiaDevicePluginValues(): ValueLayers {
  return {
    defaults: { resources: requests("10m", "32Mi", "128Mi") },
    owned: { devicePlugin: { enabled: true }, gfd: { enabled: false } },
  };
}

export const nvidiaDevicePlugin: AddonSpec<NvidiaDevicePluginSettings> = {
  component: "NvidiaDevicePlugin",
  summary:
    "NVIDIA device plugin: `nvidia.com/gpu` on AL2023 GPU nodes (on when a node group has accelerator: nvidia on AL2023).",
  // kube-system, which carries no Pod Security label: the plugin mounts the kubelet's
  // device-plugin directory (hostPath), which no level short of privileged admits. EKS's guide:
  // https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html
  namespace: { name: "kube-system" },
  defaults: {},
  chart: {
    // app 0.20.0; Helm repo per the upstream README ("helm repo add nvdp …").
    pin: {
      chart: "nvidia-device-plugin",
      version: "0.20.0",
      repo: "https://nvidia.github.io/k8s-device-plugin",
      source:
        "https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/helm/nvidia-device-plugin/Chart.yaml",
    },
    release: "nvidia-device-plugin",
    values: nvidiaDevicePluginValues,
  },
};
