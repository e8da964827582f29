/** Every chart's CRD record (`AddonChart.crds`; see crds.ts) and carriers, plus the CRDs EKS installs. */
import type { ChartPin, OciChartPin } from "./catalog";
import { clusterKinds, namespacedKinds, type ChartCrds, type CrdKind } from "./crds";
import { addonCharts } from "./registry";
import type { ChartCarrier } from "./spec";

/** One chart's CRD facts with the pin they were read for. */
export interface ChartCrdFacts extends ChartCrds {
  /** The pin the facts were read for: `chart` (and `repo`) identify our releases of it. */
  pin: ChartPin | OciChartPin;
}

/** A chart that records no CRDs installs none: the directory of its Chart.yaml says so. */
const none = (pin: ChartPin | OciChartPin): ChartCrds => ({
  checkedAt: pin.version,
  delivery: "none",
  kinds: [],
  source: pin.source.replace(/Chart\.yaml$/, ""),
});

/** Every chart's CRD facts, under its key in `charts`. */
export const chartCrds: Readonly<Record<string, ChartCrdFacts>> = Object.fromEntries(
  addonCharts().map(([key, c]) => [key, { pin: c.pin, ...(c.crds ?? none(c.pin)) }]),
);

/** CRDs EKS installs, needing no release of ours; `installedBy` is what must exist first. */
export const eksCrds: (CrdKind & { installedBy: "control-plane" | "vpc-cni"; source: string })[] = [
  // The VPC resource controller on the EKS control plane installs these and checks them on
  // platform updates (aws/containers-roadmap#1124, aws/amazon-vpc-resource-controller-k8s#358).
  {
    ...namespacedKinds("vpcresources.k8s.aws", "SecurityGroupPolicy")[0],
    installedBy: "control-plane",
    source:
      "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/master/config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml",
  },
  {
    ...clusterKinds("vpcresources.k8s.aws", "CNINode")[0],
    installedBy: "control-plane",
    source:
      "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/master/config/crd/bases/vpcresources.k8s.aws_cninodes.yaml",
  },
  // ENIConfig ships in the VPC CNI's manifest, i.e. with the vpc-cni add-on (same thread).
  {
    ...clusterKinds("crd.k8s.amazonaws.com", "ENIConfig")[0],
    installedBy: "vpc-cni",
    source: "https://github.com/aws/amazon-vpc-cni-k8s/blob/master/config/master/aws-k8s-cni.yaml",
  },
];

/** The facts for a release's `chart` (and repo, for classic charts), or undefined for a chart we do not know. */
export function chartCrdFactsFor(chart: string, repo?: string): ChartCrdFacts | undefined {
  return Object.values(chartCrds).find(
    (f) =>
      f.pin.chart === chart && (!("repo" in f.pin) || repo === undefined || f.pin.repo === repo),
  );
}

/** What a release's chart renders that carries traffic or data (`AddonChart.carries`). */
export function chartCarriersFor(chart: string, repo?: string): ChartCarrier[] {
  return addonCharts()
    .map(([, c]) => c)
    .filter(
      (c) =>
        c.pin.chart === chart && (!("repo" in c.pin) || repo === undefined || c.pin.repo === repo),
    )
    .flatMap((c) => c.carries ?? []);
}
