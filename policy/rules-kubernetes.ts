import { BEST_PRACTICES } from "./rules-cluster";
import { HELM_TYPES } from "./shapes";
import { PolicyResource, Rule } from "./types";
import { obj, str } from "./values";
import { valueAt } from "../components/addons/values";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
const PSA_LEVELS = ["privileged", "baseline", "restricted"];
const DEFAULT_CLASS_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

/** Exact SemVer 2.0: no ranges (^, ~, x, *, >=), which Helm would resolve to "latest matching". */
const EXACT_SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function chartPinProblems(r: PolicyResource): string[] {
  const chart = str(r.inputs.chart) ?? "";
  const version = str(r.inputs.version);
  const repo = str(valueAt(r.inputs, "repositoryOpts", "repo"));
  const problems: string[] = [];
  if (!version) problems.push(`chart ${chart} has no version: Helm installs whatever is latest`);
  else if (!EXACT_SEMVER.test(version))
    problems.push(`version ${version} is not an exact chart version`);
  const source = chart.startsWith("oci://") ? chart : repo;
  if (!source)
    problems.push(
      `chart ${chart} comes from no repository (repositoryOpts.repo or an oci:// chart)`,
    );
  else if (!/^(https|oci):\/\//.test(source))
    problems.push(`repository ${source} is neither https:// nor oci://`);
  return problems;
}

function podSecurityProblems(r: PolicyResource): string[] {
  const level = valueAt(r.inputs, "metadata", "labels", PSA_ENFORCE);
  if (level === undefined)
    return [
      `no ${PSA_ENFORCE} label: the namespace falls back to the cluster default (privileged)`,
    ];
  return PSA_LEVELS.includes(String(level))
    ? []
    : [`${PSA_ENFORCE} is ${JSON.stringify(level)}; use one of ${PSA_LEVELS.join(", ")}`];
}

const isExternalDns = (r: PolicyResource) => {
  const chart = str(r.inputs.chart) ?? "";
  return chart === "external-dns" || chart.endsWith("/external-dns");
};

function externalDnsOwnerProblems(r: PolicyResource, clusterNames: string[]): string[] {
  if (!isExternalDns(r)) return [];
  const owner = valueAt(r.inputs, "values", "txtOwnerId");
  if (typeof owner !== "string" || owner === "") {
    return [
      "values.txtOwnerId is not set: two clusters' ExternalDNS would fight over the same records",
    ];
  }
  if (clusterNames.length && !clusterNames.includes(owner)) {
    return [`values.txtOwnerId is "${owner}", not the cluster name (${clusterNames.join(", ")})`];
  }
  return [];
}

function defaultStorageClassProblems(r: PolicyResource): string[] {
  const annotations = obj(valueAt(r.inputs, "metadata", "annotations"));
  if (!DEFAULT_CLASS_ANNOTATIONS.some((a) => String(annotations[a]) === "true")) return [];
  const encrypted = valueAt(r.inputs, "parameters", "encrypted");
  return encrypted === "true"
    ? []
    : [
        `default StorageClass has parameters.encrypted ${JSON.stringify(encrypted ?? null)}, not "true"`,
      ];
}

export const kubernetesRules: Rule[] = [
  {
    id: "helm-chart-pinned",
    description: "Helm releases pin an exact chart version from an https:// or oci:// repository.",
    enforcement: "mandatory",
    // Our design: one catalog pins every chart, so an upgrade is a reviewed one-line change.
    link: "https://helm.sh/docs/topics/registries/",
    types: HELM_TYPES,
    check: chartPinProblems,
  },
  {
    id: "namespace-pod-security",
    description: "Every namespace we create carries a Pod Security Admission enforce label.",
    enforcement: "mandatory",
    link: `${BEST_PRACTICES}/pod-security.html`,
    types: [NAMESPACE],
    check: podSecurityProblems,
  },
  {
    id: "externaldns-owner-is-cluster",
    description:
      "ExternalDNS's txtOwnerId equals the cluster name, so two clusters never delete each other's records.",
    enforcement: "mandatory",
    link: "https://kubernetes-sigs.github.io/external-dns/latest/docs/registry/txt/",
    types: HELM_TYPES,
    crossResource: true,
    check: (r, ctx) => externalDnsOwnerProblems(r, ctx.facts.clusterNames),
  },
  {
    id: "default-storageclass-encrypted",
    description:
      'The default StorageClass creates encrypted EBS volumes (parameters.encrypted "true").',
    enforcement: "mandatory",
    link: `${BEST_PRACTICES}/data-encryption-and-secrets-management.html`,
    types: [STORAGE_CLASS],
    check: defaultStorageClassProblems,
  },
];
