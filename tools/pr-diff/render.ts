// Which Helm releases a change touches, and the `helm template` command that renders one of them
// as the cluster would: pure, so the arguments are tested without Helm.
import { stableJson } from "../../components/access/irsa-policy";
import { CLUSTER_TYPES, HELM_RELEASE, type HelmRelease, helmRelease } from "../../policy/shapes";
import { str } from "../../policy/values";
import { valueAt } from "../../components/addons/values";
import type { DiffRecord } from "../../synth/diff";
import { recordKey } from "../../synth/record";
import type { ClusterScoped } from "./manifests";

/** A release in base, head or both, whose render inputs differ. */
export interface ReleaseChange {
  key: string;
  base?: HelmRelease;
  head?: HelmRelease;
}

const renderInputs = ({ name, chart, version, repo, namespace, values, skipCrds }: HelmRelease) =>
  stableJson({ name, chart, version, repo, namespace, values, skipCrds });

/** Releases whose chart, version, repository, values, name, namespace or skipCrds differ, by key. */
export function changedReleases(
  base: readonly DiffRecord[],
  head: readonly DiffRecord[],
): ReleaseChange[] {
  const releases = (records: readonly DiffRecord[]) =>
    new Map(
      records.filter((r) => r.type === HELM_RELEASE).map((r) => [recordKey(r), helmRelease(r)]),
    );
  const [before, after] = [releases(base), releases(head)];
  return [...new Set([...before.keys(), ...after.keys()])]
    .sort()
    .map((key) => ({ key, base: before.get(key), head: after.get(key) }))
    .filter((c) => !c.base || !c.head || renderInputs(c.base) !== renderInputs(c.head));
}

/** The cluster's Kubernetes version (`1.34`), which charts read as `.Capabilities.KubeVersion`. */
export const kubeVersionOf = (records: readonly DiffRecord[]): string | undefined =>
  str(records.find((r) => CLUSTER_TYPES.some((t) => t === r.type))?.inputs.version);

/** What the pure code needs of the add-on catalog and the Kubernetes kinds (see kinds.ts). */
export interface KindFacts {
  clusterScoped: ClusterScoped;
  /** A custom resource's `apiVersion` and kind from its record type, or undefined for a built-in. */
  customKindOf: (type: string) => { apiVersion: string; kind: string } | undefined;
  /** The CRD kinds a release installs, as the catalog declares them (no API version). */
  installedKinds: (release: HelmRelease) => { group: string; kind: string }[];
}

const CRD_TYPES = [
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch",
];

/**
 * `--api-versions` for the CRDs the stack installs (`group/version` and `group/version/Kind`, the
 * two forms charts test with `.Capabilities.APIVersions.Has`): the served versions of its CRD and
 * CRD patch records, and the apiVersion of each custom resource it creates. `unversioned`: groups
 * a release installs by the catalog whose version no record shows.
 */
export function apiVersionsOf(
  records: readonly DiffRecord[],
  facts: KindFacts,
): { apiVersions: string[]; unversioned: string[] } {
  const found: [string, string][] = []; // [group/version, kind]
  for (const r of records) {
    if (CRD_TYPES.includes(r.type)) {
      const [group, kind] = [
        str(valueAt(r.inputs, "spec", "group")),
        str(valueAt(r.inputs, "spec", "names", "kind")),
      ];
      const versions = valueAt(r.inputs, "spec", "versions");
      for (const v of Array.isArray(versions) ? versions : []) {
        if (group && kind && typeof v?.name === "string" && v.served !== false)
          found.push([`${group}/${v.name}`, kind]);
      }
    }
    const custom = facts.customKindOf(r.type);
    if (custom) found.push([custom.apiVersion, custom.kind]);
  }
  const versioned = new Set(found.map(([gv]) => gv.split("/")[0]));
  const unversioned = records
    .filter((r) => r.type === HELM_RELEASE)
    .flatMap((r) => facts.installedKinds(helmRelease(r)).map((k) => k.group))
    .filter((g) => !versioned.has(g));
  return {
    apiVersions: [...new Set(found.flatMap(([gv, kind]) => [gv, `${gv}/${kind}`]))].sort(),
    unversioned: [...new Set(unversioned)].sort(),
  };
}

/** The stack-wide facts a render takes: the cluster's version and the APIs it serves. */
export interface RenderTarget {
  kubeVersion?: string;
  apiVersions: string[];
}

/**
 * `helm template` as the provider installs the release. `crds/` prints only with --include-crds,
 * left out: Helm installs it once and neither upgrades nor deletes it, so its files change nothing
 * in the cluster (--skip-crds is still passed as the record sets it). --skip-tests: test hooks run
 * only under `helm test`, which the provider never runs. --is-upgrade: the release exists on both
 * sides of a change, as a chart's `.Release.IsUpgrade` branches see it.
 */
export function helmTemplateArgs(
  release: HelmRelease,
  target: RenderTarget,
  valuesFile: string,
): string[] {
  return [
    "template",
    release.name,
    release.chart,
    ...(release.repo ? ["--repo", release.repo] : []),
    ...(release.version ? ["--version", release.version] : []),
    "--namespace",
    release.namespace,
    "--values",
    valuesFile,
    ...(target.kubeVersion ? ["--kube-version", target.kubeVersion] : []),
    ...target.apiVersions.flatMap((v) => ["--api-versions", v]),
    ...(release.skipCrds ? ["--skip-crds"] : []),
    "--skip-tests",
    "--is-upgrade",
  ];
}
