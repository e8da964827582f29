/**
 * What EKS refuses: an add-on version it does not offer for the cluster's Kubernetes minor.
 * CreateAddon takes `addonVersion` and fails with InvalidParameterException for a version that
 * `describe-addon-versions --kubernetes-version <minor>` does not list
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html; the user guide's
 * "Verify Amazon EKS add-on version compatibility with a cluster",
 * https://docs.aws.amazon.com/eks/latest/userguide/addon-compat.html). Offline we cannot ask the
 * API, so an add-on passes only with the version the catalog documents, with its source, for
 * that minor; .github/workflows/addon-versions.yml checks the catalog itself against the API.
 */
import {
  eksAddonNames,
  eksAddonVersionSources,
  eksAddonVersions,
  type EksAddonVersions,
} from "../../../components/addons/catalog";
import type { SynthRecord } from "../../../synth/record";
import { recordKey } from "../../../synth/record";
import type { Finding, Rule } from "../types";

const ADDON = "aws:eks/addon:Addon";
const CLUSTER = "eks:index:Cluster";
const RULE = "eks-addon-version-documented";

/** The parts of components/addons/catalog.ts the rule reads; tests pass their own. */
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

const problem = (path: string, what: string, got: unknown, valid: string) =>
  `${path}: ${what} (got ${JSON.stringify(got)}); ${valid}`;

/**
 * The pulumi-eks cluster an add-on goes on: the one whose `name` input is the add-on's
 * `clusterName`, else the one it waits for, else the only cluster of the stack.
 */
export function clusterOf(addon: SynthRecord, clusters: SynthRecord[]): SynthRecord | undefined {
  const byName = clusters.find((c) => c.inputs.name === addon.inputs.clusterName);
  if (byName) return byName;
  const refs = new Set([...(addon.dependsOn ?? []), addon.inputs.clusterName]);
  return (
    clusters.find((c) => refs.has(recordKey(c))) ??
    (clusters.length === 1 ? clusters[0] : undefined)
  );
}

/** Every reason one add-on record's version is not one the catalog documents for its minor. */
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
      problem(
        "addonName",
        "not an add-on the catalog pins",
        name,
        `use one of ${Object.values(catalog.names).join(", ")} or add it to eksAddonNames and eksAddonVersions in components/addons/catalog.ts`,
      ),
    ];
  }
  const cluster = clusterOf(addon, clusters);
  if (!cluster) {
    return [
      problem(
        "clusterName",
        `matches no ${CLUSTER} in the synth, so its Kubernetes minor is unknown`,
        addon.inputs.clusterName,
        "take the cluster name from the cluster resource",
      ),
    ];
  }
  const minor = cluster.inputs.version;
  const pinned = typeof minor === "string" ? catalog.versions[minor] : undefined;
  if (!pinned) {
    return [
      problem(
        `${recordKey(cluster)} version`,
        "not a minor the catalog pins add-on versions for",
        minor,
        `use one of ${Object.keys(catalog.versions).join(", ")}`,
      ),
    ];
  }
  const source = catalog.sources[key];
  const p: string[] = [];
  if (addon.inputs.addonVersion !== pinned[key]) {
    p.push(
      problem(
        "addonVersion",
        `not the version the catalog documents for ${name} on Kubernetes ${minor}`,
        addon.inputs.addonVersion ?? null,
        `use ${JSON.stringify(pinned[key])}`,
      ),
    );
  }
  if (typeof source !== "string" || !source.startsWith("https://")) {
    p.push(
      problem(
        `eksAddonVersionSources.${key}`,
        "the pin has no source URL",
        source ?? null,
        "give the public AWS page the version was read from",
      ),
    );
  }
  return p;
}

/** The rule, over any catalog (the rehearsal uses components/addons/catalog.ts). */
export function addonVersionDocumentedRule(catalog: EksAddonCatalog = eksAddonCatalog): Rule {
  return {
    id: RULE,
    phase: "create",
    title: "every EKS add-on has a version documented, with its source, for the cluster's minor",
    source: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html",
    smokeCheck: "addons-ready",
    check: ({ head }) => {
      const clusters = head.filter((r) => r.type === CLUSTER);
      return head
        .filter((r) => r.type === ADDON)
        .flatMap((r) =>
          addonVersionProblems(r, clusters, catalog).map((message): Finding => ({
            rule: RULE,
            subject: recordKey(r),
            message,
          })),
        );
    },
  };
}

export const eksAddonRules: Rule[] = [addonVersionDocumentedRule()];
