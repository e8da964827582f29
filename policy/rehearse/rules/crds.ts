// A custom resource needs its CRD first, and a chart's CRDs must move with the chart.
import { CRD_SOURCE_ANNOTATION, type CrdKind } from "../../../components/addons/crds";
import {
  chartCrdFactsFor,
  eksCrds,
  type ChartCrdFacts,
} from "../../../components/addons/chart-crds";
import type { SynthRecord } from "../../../synth/record";
import { ResourceGraph } from "../graph";
import { recordKey } from "../../../synth/record";
import { defineRule, type Finding, type Rule } from "../types";
import { BUILT_IN_GROUPS, kubeKindOf } from "./kubernetes";
import { HELM_RELEASE } from "../../shapes";
import { str } from "../../values";
import { valueAt } from "../../../components/addons/values";
import { isEksAddon, isRelease } from "../../shapes";

const CRD_TYPES = new Set([
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch",
]);

const factsOf = (r: SynthRecord): ChartCrdFacts | undefined =>
  r.type === HELM_RELEASE && typeof r.inputs.chart === "string"
    ? chartCrdFactsFor(r.inputs.chart, str(valueAt(r.inputs, "repositoryOpts", "repo")))
    : undefined;

const kindName = (k: Pick<CrdKind, "group" | "kind">) => `${k.kind}.${k.group}`;

const isCrdOf = (r: SynthRecord, group: string, kind: string) =>
  CRD_TYPES.has(r.type) &&
  valueAt(r.inputs, "spec", "group") === group &&
  valueAt(r.inputs, "spec", "names", "kind") === kind;

/** Releases and CRD resources that install the CRD of `group`/`kind`. */
function installersOf(head: SynthRecord[], group: string, kind: string): string[] {
  return head
    .filter((r) => {
      if (CRD_TYPES.has(r.type)) return isCrdOf(r, group, kind);
      const f = factsOf(r);
      if (!f || !f.kinds.some((k) => k.group === group && k.kind === kind)) return false;
      // Helm installs crds/ on install unless the release skips it.
      return (
        f.delivery === "templates" || (f.delivery === "crds-dir" && r.inputs.skipCrds !== true)
      );
    })
    .map(recordKey);
}

export const crdInstalled = defineRule({
  id: "k8s-crd-installed",
  phase: "create",
  title: "a custom resource can only be created once its CustomResourceDefinition is installed",
  source:
    "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/",
  smokeCheck: "pulumi-up-succeeds",
  check({ head }) {
    const graph = new ResourceGraph(head);
    const vpcCni = head.filter(isEksAddon("vpc-cni")).map(recordKey);
    const findings: Omit<Finding, "rule">[] = [];
    for (const r of head) {
      const typed = kubeKindOf(r.type);
      if (!typed || BUILT_IN_GROUPS.has(typed.group)) continue;
      // A CustomResourcePatch's type is `<Kind>Patch`; its CRD is its kind's.
      const k = { ...typed, kind: typed.kind.replace(/Patch$/, "") };
      const subject = recordKey(r);
      const eks = eksCrds.find((c) => c.group === k.group && c.kind === k.kind);
      // The control plane's CRDs exist as soon as the cluster does.
      if (eks?.installedBy === "control-plane") continue;
      const installers = eks ? vpcCni : installersOf(head, k.group, k.kind);
      if (eks && installers.length === 0) continue; // the default vpc-cni EKS installs itself
      if (installers.some((i) => graph.waitsFor(subject, i))) continue;
      findings.push({
        subject,
        message:
          installers.length === 0
            ? `${k.apiVersion} ${k.kind}: no release of ours installs its CRD, nor does EKS (got ${JSON.stringify(kindName(k))}); the API server answers no matches for kind "${k.kind}": install the chart that ships it and depend on its release`
            : `${k.apiVersion} ${k.kind}: its CRD is installed by ${installers.join(", ")}, which this object does not wait for; add it to dependsOn`,
      });
    }
    return findings;
  },
});

/** Why a release's crds/ would stay at its old version, or undefined. */
function missingUpgrade(
  r: SynthRecord,
  f: ChartCrdFacts,
  head: SynthRecord[],
  graph: ResourceGraph,
): string | undefined {
  const version = String(r.inputs.version);
  const up = f.upgrade;
  if (!up) return "chart-crds.ts records no upgrade path for it";
  if (up.via === "values")
    return valueAt(r.inputs.values, ...up.key.split(".")) === true
      ? undefined
      : `set the value ${up.key}: true`;
  if (r.inputs.skipCrds !== true) return `set skipCrds: true and ${fixFor(f)}`;
  if (up.via === "skipped") return undefined;
  if (up.via === "crd-chart") {
    const crdChart = head.find((c) => isRelease(up.chart)(c) && c.inputs.version === version);
    return crdChart && graph.waitsFor(recordKey(r), recordKey(crdChart))
      ? undefined
      : `install ${up.chart} at ${version} and make this release depend on it`;
  }
  const stale = f.kinds.filter(
    (k) =>
      !head.some(
        (c) =>
          isCrdOf(c, k.group, k.kind) &&
          valueAt(c.inputs, "metadata", "annotations", CRD_SOURCE_ANNOTATION) ===
            `${f.pin.chart}@${version}` &&
          graph.waitsFor(recordKey(r), recordKey(c)),
      ),
  );
  return stale.length === 0
    ? undefined
    : `vendor the chart's crds/ at ${version} into components/addons/${up.file.replace(/[\d.]+\.json$/, `${version}.json`)} (its copies of ${stale.map(kindName).join(", ")} are not at ${version}, or the release does not wait for them)`;
}

function fixFor(f: ChartCrdFacts): string {
  const up = f.upgrade;
  if (!up) return "record an upgrade path in chart-crds.ts";
  if (up.via === "values") return `set ${up.key}: true`;
  if (up.via === "vendored") return `apply the vendored CRDs (${up.file})`;
  if (up.via === "crd-chart") return `install ${up.chart} at the same version`;
  return up.why;
}

export const helmCrdsUpgraded = defineRule({
  id: "helm-crds-upgraded",
  phase: "update",
  title: "Helm installs a chart's crds/ directory once and never upgrades it",
  source: "https://helm.sh/docs/chart_best_practices/custom_resource_definitions/",
  smokeCheck: "addons-ready",
  check({ base, head }) {
    if (!base) return [];
    const graph = new ResourceGraph(head);
    const before = new Map(
      base.filter((r) => r.type === HELM_RELEASE).map((r) => [recordKey(r), r]),
    );
    const findings: Omit<Finding, "rule">[] = [];
    for (const r of head.filter((h) => h.type === HELM_RELEASE)) {
      const old = before.get(recordKey(r));
      if (!old || old.inputs.version === r.inputs.version) continue;
      const bump = `${JSON.stringify(old.inputs.version)} → ${JSON.stringify(r.inputs.version)}`;
      const f = factsOf(r);
      if (!f) {
        findings.push({
          subject: recordKey(r),
          message: `chart ${String(r.inputs.chart)}: version changed (got ${bump}) but components/addons/chart-crds.ts does not say how its CRDs arrive; read its crds/ and templates/ and add an entry`,
        });
        continue;
      }
      if (f.delivery !== "crds-dir") continue;
      const why = missingUpgrade(r, f, head, graph);
      if (why)
        findings.push({
          subject: recordKey(r),
          message: `chart ${f.pin.chart}: version changed (got ${bump}) and its crds/ (${f.kinds.map(kindName).join(", ")}) would stay at the old version, since Helm never upgrades crds/; ${why}`,
        });
    }
    return findings;
  },
});

export const crdRules: Rule[] = [crdInstalled, helmCrdsUpgraded];
