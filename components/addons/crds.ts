/**
 * What a chart does with CustomResourceDefinitions, in the words each add-on's file uses to record
 * it beside its pin (`AddonChart.crds`). chart-crds.ts gathers the records from the registry.
 *
 * Why it matters: Helm applies a chart's `crds/` directory on install only, and never upgrades
 * or deletes it ("There is no support at this time for upgrading or deleting CRDs using Helm",
 * https://helm.sh/docs/chart_best_practices/custom_resource_definitions/). A chart bump then runs
 * a new controller on old CRDs unless each such chart has another upgrade path.
 */

/** One CRD a chart (or EKS) installs: what `apiVersion`/`kind` objects of it carry, and its scope. */
export interface CrdKind {
  /** API group, for example `karpenter.sh`. */
  group: string;
  /** The kind, for example `NodePool`. */
  kind: string;
  /** Namespaced kinds live in a namespace; Cluster kinds never do. */
  scope: "Namespaced" | "Cluster";
}

/**
 * How a chart delivers its CRDs: `templates` (ordinary manifests, upgraded with every release),
 * `crds-dir` (Helm's `crds/` directory: installed once, never upgraded), or `none`.
 */
export type CrdDelivery = "templates" | "crds-dir" | "none";

/** How a `crds-dir` chart's CRDs are kept at the chart's version, which Helm itself never does. */
export type CrdUpgradePath =
  /** A chart value runs an upgrade job (a pre-upgrade hook); the value must be `true`. */
  | { via: "values"; key: string }
  /**
   * The release sets `skipCrds` and we apply a vendored copy of the chart's `crds/` as
   * `CustomResourceDefinitionPatch` resources annotated with {@link CRD_SOURCE_ANNOTATION}.
   */
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

/** Namespaced kinds of one API group. */
export const namespacedKinds = (group: string, ...kinds: string[]): CrdKind[] =>
  kinds.map((kind) => ({ group, kind, scope: "Namespaced" as const }));

/** Cluster-scoped kinds of one API group. */
export const clusterKinds = (group: string, ...kinds: string[]): CrdKind[] =>
  kinds.map((kind) => ({ group, kind, scope: "Cluster" as const }));

/** A CustomResourceDefinition as a chart's `crds/` file holds it. */
export interface CrdManifest {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

/**
 * Args for one `CustomResourceDefinitionPatch` per vendored CRD. A Patch, not a
 * CustomResourceDefinition: since pulumi-kubernetes 4.29 creating an object that exists fails
 * with AlreadyExists (unless the provider sets upsertExistingObjects), and on a running cluster
 * Helm created these on install; a Patch is always a server-side apply (create-or-update,
 * provider/pkg/await/await.go in pulumi/pulumi-kubernetes), and deleting it only relinquishes
 * our fields, so removing the add-on never deletes the CRD and with it every TargetGroupBinding.
 * `pulumi.com/patchForce` takes the fields over from the `helm` field manager.
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
