import { charts } from "./catalog";
import type { AddonSpec, CommonSettings } from "./spec";
import { requests, ValueLayers } from "./values";

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
          // The chart leaves the container context empty; these two make `restricted` pass
          // (the pod context already sets runAsNonRoot and the RuntimeDefault seccomp profile).
          containerSecurityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
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
  suffix: "reloader",
  summary: "Stakater Reloader: rolls Deployments whose ConfigMaps or Secrets change.",
  namespace: {
    name: RELOADER.namespace,
    podSecurity: "restricted",
    why: "our values add the two container settings the chart leaves out",
  },
  defaults: {},
  chart: { pin: charts.reloader, release: "reloader", values: reloaderValues },
};
