import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { charts } from "../components/addons/registry";
import { vendoredCrdPatches } from "../components/addons/crds";
import { chartCrdFactsFor, chartCrds, type ChartCrdFacts } from "../components/addons/chart-crds";
import { prometheusValues } from "../components/addons/prometheus";
import { istioBaseValues } from "../components/addons/istio/istio";
import { valuesInput } from "./day2-context";

const facts = chartCrds as Record<string, ChartCrdFacts>;
const VENDORED_SHA256 = "35e3464909a494f5e4922a62ec67ff14b0f333c2b01e8491b88a387e86351ad9";
const VENDORED = path.join(
  __dirname,
  "../components/addons/aws-load-balancer-controller/crds-3.5.0.json",
);

test("every pinned chart has CRD facts, under the catalog's key", () => {
  expect(Object.keys(facts).sort()).toEqual(Object.keys(charts).sort());
});

test.each(Object.entries(facts))("%s facts were read at the pinned version", (_key, f) => {
  expect(f.checkedAt).toBe(f.pin.version);
});

test.each(Object.entries(facts).filter(([, f]) => f.delivery === "crds-dir"))(
  "%s ships crds/ and so names how we upgrade them",
  (_key, f) => {
    expect(f.upgrade).toBeDefined();
  },
);

test("how each chart that installs CRDs delivers them (every other chart records none)", () => {
  expect(
    Object.fromEntries(
      Object.entries(facts)
        .filter(([, f]) => f.delivery !== "none")
        .map(([k, f]) => [k, [f.delivery, f.upgrade?.via ?? null]]),
    ),
  ).toEqual({
    istioBase: ["templates", null],
    awsLoadBalancerController: ["crds-dir", "vendored"],
    prometheus: ["crds-dir", "values"],
    externalDns: ["crds-dir", "skipped"],
    karpenterCrd: ["templates", null],
    karpenter: ["crds-dir", "crd-chart"],
    externalSecrets: ["templates", null],
    snapshotController: ["templates", null],
    velero: ["crds-dir", "values"],
    argocd: ["templates", null],
  });
});

test("istio base and the controller-less base chart are told apart by repository", () => {
  expect(
    chartCrdFactsFor("base", "https://istio-release.storage.googleapis.com/charts")?.delivery,
  ).toBe("templates");
  expect(chartCrdFactsFor("base", "https://charts.example.com")).toBeUndefined();
});

describe("the vendored ALB controller CRDs (crds/ of kubernetes-sigs/aws-load-balancer-controller v3.5.0)", () => {
  const vendored = JSON.parse(fs.readFileSync(VENDORED, "utf8")) as {
    metadata: { name: string };
    spec: { group: string; names: { kind: string }; scope: string };
  }[];

  test("the copy is the one that was read (sha256 of the file)", () => {
    expect(createHash("sha256").update(fs.readFileSync(VENDORED)).digest("hex")).toBe(
      VENDORED_SHA256,
    );
  });

  test("it holds exactly the kinds chart-crds.ts records for the chart, with their scopes", () => {
    expect(vendored.map((c) => [c.spec.group, c.spec.names.kind, c.spec.scope]).sort()).toEqual(
      chartCrds.awsLoadBalancerController.kinds.map((k) => [k.group, k.kind, k.scope]).sort(),
    );
  });

  test("each becomes a force-applied patch annotated with the chart version it came from", () => {
    const [first] = vendoredCrdPatches(
      [
        {
          metadata: { name: "targetgroupbindings.elbv2.k8s.aws", annotations: { a: "b" } },
          spec: { group: "elbv2.k8s.aws" },
        },
      ],
      { chart: "aws-load-balancer-controller", version: "3.5.0" },
    );
    expect(first).toEqual({
      name: "targetgroupbindings.elbv2.k8s.aws",
      metadata: {
        name: "targetgroupbindings.elbv2.k8s.aws",
        annotations: {
          a: "b",
          "eks-blueprint.dev/crds-from-chart": "aws-load-balancer-controller@3.5.0",
          "pulumi.com/patchForce": "true",
        },
      },
      spec: { group: "elbv2.k8s.aws" },
    });
  });
});

test("kube-prometheus-stack runs its CRD upgrade job, with a pinned busybox", () => {
  const v = prometheusValues(
    valuesInput({ retention: "15d", storageSize: "50Gi" }, { clusterName: "c" }),
  );
  expect(v.owned.crds).toEqual({
    upgradeJob: { enabled: true, image: { busybox: { tag: "1.37.0" } } },
  });
});

test("istio base keeps its CRDs as templates, whatever the overrides", () => {
  expect(istioBaseValues().owned.base).toEqual({ enableCRDTemplates: true });
});
