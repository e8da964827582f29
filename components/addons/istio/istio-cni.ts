import type { AddonSpec, CommonSettings } from "../spec";
import { ValueLayers } from "../values";

/**
 * Sidecars with the Istio CNI node agent rather than ambient mode: the agent sets each pod's
 * traffic redirection up from the node, so the injected `istio-init` container, which needs
 * NET_ADMIN and NET_RAW, becomes `istio-validation`, which needs no capability
 * (https://istio.io/latest/docs/setup/additional-setup/cni/). Ambient would replace the data
 * plane itself (ztunnel on every node, waypoints for L7 policy), and the gateway, the tracing
 * provider and every meshed service are configured for sidecars today; CNI keeps all of that and
 * changes only how a pod's iptables rules are made.
 */
export const ISTIO_CNI = {
  /**
   * kube-system, as the chart's README recommends so `system-node-critical` can be used; it is
   * where EKS's own privileged node agents (aws-node, kube-proxy) run, so no namespace of ours
   * needs a `privileged` exception.
   */
  namespace: "kube-system",
  release: "istio-cni",
} as const;

/** The namespace label the injector selects on (istiod's default `istio-injection`). */
export const MESH_LABEL = "istio-injection";

/**
 * Labels that put a namespace's pods in the mesh, for a team's namespace config. Not in the mesh:
 * no label at all, so a namespace that never opted in keeps exactly the labels it had.
 */
export function meshLabels(inMesh: boolean): Record<string, string> {
  return inMesh ? { [MESH_LABEL]: "enabled" } : {};
}

export type IstioCniSettings = CommonSettings;

/** Chart values (istio 1.30.3, manifests/charts/istio-cni/values.yaml). */
export function istioCniValues(): ValueLayers {
  return {
    defaults: {},
    owned: {
      // Sidecar mode: the agent only redirects injected pods; ztunnel is never involved.
      ambient: { enabled: false },
      // A pod that started before the agent ran on its node fails `istio-validation`; the
      // repair controller (on by default, repairing in place) sets it up then.
      repair: { enabled: true },
    },
  };
}

/**
 * The injected containers' security contexts with CNI on, as istiod's injection template
 * renders them (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml at
 * 1.30.3, `istio-validation` and `istio-proxy`, with `global.proxy.privileged` false, no
 * TPROXY interception, and `global.proxy.seccompProfile` as istiod's values set it).
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
