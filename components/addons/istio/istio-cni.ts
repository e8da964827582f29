import type { AddonSpec, CommonSettings } from "../spec";
import { ValueLayers } from "../values";

/**
 * The Istio CNI node agent redirects each pod's traffic from the node, so `istio-init` (NET_ADMIN,
 * NET_RAW) becomes the capability-free `istio-validation`
 * (https://istio.io/latest/docs/setup/additional-setup/cni/). Not ambient, which would replace the
 * sidecar data plane our gateway, tracing and services use.
 */
export const ISTIO_CNI = {
  /** kube-system per the chart's README (`system-node-critical`); ours need no `privileged`. */
  namespace: "kube-system",
  release: "istio-cni",
} as const;

/** The namespace label the injector selects on (istiod's default `istio-injection`). */
export const MESH_LABEL = "istio-injection";

/** Mesh labels for a team namespace; none outside the mesh, leaving its labels as they were. */
export const meshLabels = (inMesh: boolean): Record<string, string> =>
  inMesh ? { [MESH_LABEL]: "enabled" } : {};

export type IstioCniSettings = CommonSettings;

/** Chart values (istio 1.30.3, manifests/charts/istio-cni/values.yaml). */
export function istioCniValues(): ValueLayers {
  return {
    defaults: {},
    owned: {
      // Sidecar mode: the agent only redirects injected pods; ztunnel is never involved.
      ambient: { enabled: false },
      // Pods started before the agent fail `istio-validation`; the repair controller fixes them.
      repair: { enabled: true },
    },
  };
}

/**
 * Security contexts of the injected containers with CNI on (unprivileged, no TPROXY), as rendered
 * by manifests/charts/istio-control/istio-discovery/files/injection-template.yaml at 1.30.3.
 */
export function injectedContainers(seccompProfile?: { type: string }) {
  const common = {
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    runAsGroup: 1337,
    runAsUser: 1337,
    runAsNonRoot: true,
    ...(seccompProfile ? { seccompProfile } : {}),
  };
  return {
    initContainers: [{ name: "istio-validation", securityContext: { ...common } }],
    containers: [{ name: "istio-proxy", securityContext: { ...common } }],
  };
}

export const istioCni: AddonSpec<IstioCniSettings> = {
  component: "IstioCni",
  summary:
    "The Istio CNI node agent: meshed pods need no NET_ADMIN init container, so they pass `restricted`.",
  namespace: { name: ISTIO_CNI.namespace },
  defaults: {},
  requires: { istio: "it sets up traffic redirection for Istio's sidecars" },
  chart: {
    pin: {
      chart: "cni",
      version: "1.30.3",
      repo: "https://istio-release.storage.googleapis.com/charts",
      source: "https://github.com/istio/istio/blob/1.30.3/manifests/charts/istio-cni/Chart.yaml",
    },
    release: ISTIO_CNI.release,
    values: () => istioCniValues(),
  },
};
