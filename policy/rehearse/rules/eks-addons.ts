// CreateAddon fails (InvalidParameterException) for a version not offered for the cluster's minor
// (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html,
// https://docs.aws.amazon.com/eks/latest/userguide/addon-compat.html). Offline, an add-on passes
// only with the version the catalog documents for that minor; a workflow checks the catalog.
import {
  eksAddonNames,
  eksAddonVersionSources,
  eksAddonVersions,
  type EksAddonVersions,
} from "../../../components/addons/catalog";
import type { SynthRecord } from "../../../synth/record";
import { recordKey } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

const ADDON = "aws:eks/addon:Addon";
const CLUSTER = "eks:index:Cluster";

/** The parts of the add-on catalog the rule reads; tests pass their own. */
export interface EksAddonCatalog {
  names: Record<keyof EksAddonVersions, string>;
  versions: Record<string, EksAddonVersions>;
  sources: Record<keyof EksAddonVersions, string>;
}

export const eksAddonCatalog: EksAddonCatalog = {
  names: eksAddonNames,
  versions: eksAddonVersions,
  sources: eksAddonVersionSources,
};

/** The cluster named by its `clusterName`, else the one it waits for, else the only one. */
export function clusterOf(addon: SynthRecord, clusters: SynthRecord[]): SynthRecord | undefined {
  const byName = clusters.find((c) => c.inputs.name === addon.inputs.clusterName);
  if (byName) return byName;
  const refs = new Set([...(addon.dependsOn ?? []), addon.inputs.clusterName]);
  return (
    clusters.find((c) => refs.has(recordKey(c))) ??
    (clusters.length === 1 ? clusters[0] : undefined)
  );
}

export function addonVersionProblems(
  addon: SynthRecord,
  clusters: SynthRecord[],
  catalog: EksAddonCatalog,
): string[] {
  const name = addon.inputs.addonName;
  const key = (Object.keys(catalog.names) as (keyof EksAddonVersions)[]).find(
    (k) => catalog.names[k] === name,
  );
  if (!key) {
    return [
      `addonName: not an add-on the catalog pins (got ${JSON.stringify(name)}); use one of ${Object.values(catalog.names).join(", ")} or add it to eksAddonNames and eksAddonVersions in components/addons/catalog.ts`,
    ];
  }
  const cluster = clusterOf(addon, clusters);
  if (!cluster) {
    return [
      `clusterName: matches no ${CLUSTER} in the synth, so its Kubernetes minor is unknown (got ${JSON.stringify(addon.inputs.clusterName)}); take the cluster name from the cluster resource`,
    ];
  }
  const minor = cluster.inputs.version;
  const pinned = typeof minor === "string" ? catalog.versions[minor] : undefined;
  if (!pinned) {
    return [
      `${recordKey(cluster)} version: not a minor the catalog pins add-on versions for (got ${JSON.stringify(minor)}); use one of ${Object.keys(catalog.versions).join(", ")}`,
    ];
  }
  const source = catalog.sources[key];
  return [
    addon.inputs.addonVersion !== pinned[key] &&
      `addonVersion: not the version the catalog documents for ${name} on Kubernetes ${minor} (got ${JSON.stringify(addon.inputs.addonVersion ?? null)}); use ${JSON.stringify(pinned[key])}`,
    (typeof source !== "string" || !source.startsWith("https://")) &&
      `eksAddonVersionSources.${key}: the pin has no source URL (got ${JSON.stringify(source ?? null)}); give the public AWS page the version was read from`,
  ].filter((m) => m !== false);
}

export function addonVersionDocumentedRule(catalog: EksAddonCatalog = eksAddonCatalog): Rule {
  return defineRule({
    id: "eks-addon-version-documented",
    phase: "create",
    title: "every EKS add-on has a version documented, with its source, for the cluster's minor",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html",
    smokeCheck: "addons-ready",
    check: ({ head }) => {
      const clusters = head.filter((r) => r.type === CLUSTER);
      return head
        .filter((r) => r.type === ADDON)
        .flatMap((r) =>
          addonVersionProblems(r, clusters, catalog).map((message) => ({
            subject: recordKey(r),
            message,
          })),
        );
    },
  });
}

/** Add-ons whose updates must not skip a minor of their own version. */
export const ONE_MINOR_ADDONS = ["vpc-cni", "eks-pod-identity-agent"] as const;

/** `v1.21.1-eksbuild.7` → [1, 21]; undefined for anything else. */
const majorMinor = (v: unknown): [number, number] | undefined => {
  const m = /^v(\d+)\.(\d+)\./.exec(String(v));
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};

export const addonOneMinorRule: Rule = defineRule({
  id: "eks-addon-one-minor",
  phase: "update",
  title: "vpc-cni and eks-pod-identity-agent move one minor version of their own at a time",
  source:
    'https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html ("We recommend that you update one minor version at a time"); the pod identity agent alike (components/addons/catalog.ts, eksAddonVersions)',
  smokeCheck: "addons-ready",
  check({ base = [], head }) {
    const old = new Map(base.map((r) => [recordKey(r), r]));
    return head
      .filter((r) => r.type === ADDON && ONE_MINOR_ADDONS.some((n) => n === r.inputs.addonName))
      .flatMap((r) => {
        const [from, to] = [
          majorMinor(old.get(recordKey(r))?.inputs.addonVersion),
          majorMinor(r.inputs.addonVersion),
        ];
        if (!from || !to || (from[0] === to[0] && to[1] - from[1] <= 1)) return [];
        const was = String(old.get(recordKey(r))?.inputs.addonVersion);
        const message = `moves ${was} → ${String(r.inputs.addonVersion)}, skipping a minor; pin v${from[0]}.${from[1] + 1}.x for one pulumi up first (eksAddonVersions in components/addons/catalog.ts)`;
        return [{ subject: recordKey(r), message }];
      });
  },
});

export const eksAddonRules: Rule[] = [addonVersionDocumentedRule(), addonOneMinorRule];
