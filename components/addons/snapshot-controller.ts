import { clusterKinds, namespacedKinds } from "./crds";
import type { AddonSpec, CommonSettings } from "./spec";
import { requests, ValueLayers } from "./values";

export const SNAPSHOT_CONTROLLER = { namespace: "snapshot-controller" } as const;

/** The CSI snapshot controller takes no settings of its own. */
export type SnapshotControllerSettings = CommonSettings;

/** Values per charts/snapshot-controller/values.yaml at 5.2.0, plus the pod's seccomp profile. */
export function snapshotControllerValues(): ValueLayers {
  return {
    defaults: { controller: { resources: requests("10m", "32Mi", "128Mi") } },
    owned: {
      // The CRDs are templates here (templates/crds.yaml), so every upgrade moves them.
      installCRDs: true,
      controller: { podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } } },
      // Only for v1beta1/v1beta2 VolumeGroupSnapshots (values.yaml); a new cluster has none.
      webhook: { enabled: false },
    },
  };
}

export const snapshotController: AddonSpec<SnapshotControllerSettings> = {
  component: "SnapshotController",
  summary:
    "The CSI snapshot controller and the snapshot.storage.k8s.io CRDs, which EBS CSI snapshots (and Velero) need.",
  namespace: {
    name: SNAPSHOT_CONTROLLER.namespace,
    podSecurity: "restricted",
    why: "the chart's container context meets it, and our values add the seccomp profile",
  },
  defaults: {},
  chart: {
    // app v8.6.0 (kubernetes-csi/external-snapshotter). A chart, not the EKS add-on: the same
    // upstream code at a version Renovate moves, without per-minor pins.
    pin: {
      chart: "snapshot-controller",
      version: "5.2.0",
      repo: "https://piraeus.io/helm-charts/",
      source:
        "https://github.com/piraeusdatastore/helm-charts/blob/snapshot-controller-5.2.0/charts/snapshot-controller/Chart.yaml",
    },
    // The Makefile fills crds.yaml from external-snapshotter at appVersion; installCRDs renders it.
    crds: {
      checkedAt: "5.2.0",
      delivery: "templates",
      kinds: [
        ...clusterKinds("snapshot.storage.k8s.io", "VolumeSnapshotClass VolumeSnapshotContent"),
        ...namespacedKinds("snapshot.storage.k8s.io", "VolumeSnapshot"),
        ...clusterKinds(
          "groupsnapshot.storage.k8s.io",
          "VolumeGroupSnapshotClass VolumeGroupSnapshotContent",
        ),
        ...namespacedKinds("groupsnapshot.storage.k8s.io", "VolumeGroupSnapshot"),
      ],
      source:
        "https://github.com/piraeusdatastore/helm-charts/blob/snapshot-controller-5.2.0/charts/snapshot-controller/Makefile",
    },
    release: "snapshot-controller",
    values: snapshotControllerValues,
  },
};
