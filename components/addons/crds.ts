/**
 * How each chart's CRDs reach the cluster: Helm never upgrades `crds/`
 * (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** One CRD a chart (or EKS) installs: what `apiVersion`/`kind` objects of it carry, and its scope. */
export interface CrdKind {
  /** API group, for example `karpenter.sh`. */
  group: string;
  /** The kind, for example `NodePool`. */
  kind: string;
  /** Namespaced kinds live in a namespace; Cluster kinds never do. */
  scope: "Namespaced" | "Cluster";
}

/** `templates` move with each release; `crds-dir` (Helm's `crds/`) installs once, no upgrades. */
export type CrdDelivery = "templates" | "crds-dir" | "none";

/** How a `crds-dir` chart's CRDs are kept at the chart's version, which Helm itself never does. */
export type CrdUpgradePath =
  /** A chart value runs an upgrade job (a pre-upgrade hook); the value must be `true`. */
  | { via: "values"; key: string }
  /** `skipCrds`; we apply a vendored copy of `crds/` as patches ({@link CRD_SOURCE_ANNOTATION}). */
  | { via: "vendored"; file: string }
  /** The release sets `skipCrds`; a separate chart (same version) ships them as templates. */
  | { via: "crd-chart"; chart: string }
  /** The release sets `skipCrds`: nothing we run uses these kinds. */
  | { via: "skipped"; why: string };

/** A chart's CRDs, as read in the chart at one version. */
export interface ChartCrds {
  /** The chart version these facts were read at; must equal the pin's version. */
  checkedAt: string;
  /** How the chart delivers them. */
  delivery: CrdDelivery;
  /** The CRDs the chart installs. @default [] when `delivery` is `none` */
  kinds: CrdKind[];
  /** The chart file or directory the kinds were read in. */
  source: string;
  /** How they upgrade; required when `delivery` is `crds-dir`. @default none: they need no path */
  upgrade?: CrdUpgradePath;
}

/** On our vendored CRDs: `<chart>@<version>` of the chart whose `crds/` they copy. */
export const CRD_SOURCE_ANNOTATION = "eks-blueprint.dev/crds-from-chart";

/** CRDs of one group and scope; each string names a kind, or several separated by spaces. */
const kindsIn =
  (scope: CrdKind["scope"]) =>
  (group: string, ...kinds: string[]): CrdKind[] =>
    kinds.flatMap((k) => k.trim().split(/\s+/)).map((kind) => ({ group, kind, scope }));
export const namespacedKinds = kindsIn("Namespaced");
export const clusterKinds = kindsIn("Cluster");

/** One object of a CRD's kind, as the add-ons' hooks create them. */
export const customResource = (
  name: string,
  [apiVersion, kind]: [string, string],
  metadata: k8s.types.input.meta.v1.ObjectMeta,
  spec: pulumi.Input<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
) => new k8s.apiextensions.CustomResource(name, { apiVersion, kind, metadata, spec }, opts);

/** A CustomResourceDefinition as a chart's `crds/` file holds it. */
export interface CrdManifest {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * A Patch per vendored CRD: Helm created them, and since pulumi-kubernetes 4.29 creating an
 * existing object fails (unless upsertExistingObjects). A Patch is a server-side apply
 * (provider/pkg/await/await.go in pulumi/pulumi-kubernetes); deleting it only drops our fields, so
 * the CRD and its TargetGroupBindings outlive the add-on. patchForce takes `helm`'s fields.
 */
export function vendoredCrdPatches(
  manifests: readonly CrdManifest[],
  from: { chart: string; version: string },
): { name: string; metadata: CrdManifest["metadata"]; spec: Record<string, unknown> }[] {
  return manifests.map((m) => ({
    name: m.metadata.name,
    metadata: {
      ...m.metadata,
      annotations: {
        ...m.metadata.annotations,
        [CRD_SOURCE_ANNOTATION]: `${from.chart}@${from.version}`,
        "pulumi.com/patchForce": "true",
      },
    },
    spec: m.spec,
  }));
}
