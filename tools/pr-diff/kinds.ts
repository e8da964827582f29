// The real KindFacts: the add-on catalog's CRD records and the rehearsal's kind tables. Loaded only
// when a release is rendered, since the add-on registry behind them takes half a second to import.
import { chartCrdFactsFor } from "../../components/addons/chart-crds";
import {
  BUILT_IN_GROUPS,
  isClusterScoped,
  kubeKindOf,
} from "../../policy/rehearse/rules/kubernetes";
import type { KindFacts } from "./render";

/** `apiVersion` and kind as the record type token the kind tables read. */
const typeToken = (apiVersion: string, kind: string) =>
  `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;

export const kindFacts: KindFacts = {
  clusterScoped: (apiVersion, kind) => {
    const k = kubeKindOf(typeToken(apiVersion, kind));
    return k !== undefined && isClusterScoped(k);
  },
  customKindOf: (type) => {
    const k = kubeKindOf(type);
    return k && !BUILT_IN_GROUPS.has(k.group)
      ? { apiVersion: k.apiVersion, kind: k.kind }
      : undefined;
  },
  installedKinds: (release) => {
    const f = chartCrdFactsFor(release.chart, release.repo);
    // Helm installs crds/ only when the release does not skip it; templates always.
    const installs =
      f?.delivery === "templates" || (f?.delivery === "crds-dir" && !release.skipCrds);
    return installs ? f.kinds : [];
  },
};
