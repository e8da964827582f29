import type { AddonSpec, CommonSettings } from "./spec";
import { NO_PRIVILEGES, requests, ValueLayers } from "./values";

export const RELOADER = { namespace: "reloader" } as const;

/** Stakater Reloader takes no settings of its own. */
export type ReloaderSettings = CommonSettings;

/** Stakater Reloader: rolls workloads whose ConfigMaps or Secrets change. No AWS access. */
export function reloaderValues(): ValueLayers {
  return {
    defaults: {
      reloader: {
        deployment: {
          resources: requests("10m", "64Mi", "256Mi"),
          // The chart leaves it empty; the pod context already has runAsNonRoot and RuntimeDefault.
          containerSecurityContext: NO_PRIVILEGES,
        },
      },
    },
    owned: {
      // One instance for the whole cluster: workloads opt in with reloader.stakater.com annotations.
      reloader: { watchGlobally: true },
    },
  };
}

export const reloader: AddonSpec<ReloaderSettings> = {
  component: "Reloader",
  summary: "Stakater Reloader: rolls Deployments whose ConfigMaps or Secrets change.",
  namespace: {
    name: RELOADER.namespace,
    podSecurity: "restricted",
    why: "our values add the two container settings the chart leaves out",
  },
  defaults: {},
  chart: {
    // app v1.4.17. Not 2.2.16, which only the OCI registry has, not the stakater-charts index; its
    // new keys (reloader.namespaces, hostUsers, runtimeClassName, schedulerName) are none we set.
    pin: {
      chart: "reloader",
      version: "2.2.12",
      repo: "https://stakater.github.io/stakater-charts",
      source:
        "https://github.com/stakater/Reloader/blob/chart-v2.2.12/deployments/kubernetes/chart/reloader/Chart.yaml",
    },
    release: "reloader",
    values: reloaderValues,
  },
};
