import Ajv from "ajv";
import { albControllerValues } from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import { clusterAutoscalerValues } from "../components/addons/cluster-autoscaler";
import { externalDnsValues } from "../components/addons/external-dns";
import { externalSecretsValues } from "../components/addons/external-secrets";
import { fluentBitValues } from "../components/addons/fluent-bit";
import {
  istioBaseValues,
  istioGatewayValues,
  istiodValues,
} from "../components/addons/istio/istio";
import { nvidiaDevicePluginValues } from "../components/addons/nvidia-device-plugin";
import { openCostValues } from "../components/addons/opencost";
import { openTelemetryValues } from "../components/addons/opentelemetry";
import { prometheusValues } from "../components/addons/prometheus";
import { reloaderValues } from "../components/addons/reloader";
import { snapshotControllerValues } from "../components/addons/snapshot-controller";
import { veleroValues } from "../components/addons/velero/velero";
import { isRecord } from "../components/problems";
import { deepMerge, mergeValues, Values } from "../components/addons/values";
import { valuesInput } from "./day2-context";
import { hasUpstream, upstreamJson, upstreamYaml } from "./upstream";

const cluster = {
  clusterName: "eks-blueprint-prod2",
  region: "us-west-2",
  kubernetesVersion: "1.35" as const,
};

/** The charts this file checks; metrics-server, EFS and Karpenter are day2-*.test.ts's. */
type Checked =
  | "istioBase"
  | "istiod"
  | "istioGateway"
  | "awsLoadBalancerController"
  | "clusterAutoscaler"
  | "fluentBit"
  | "prometheus"
  | "externalDns"
  | "nvidiaDevicePlugin"
  | "reloader"
  | "externalSecrets"
  | "snapshotController"
  | "velero"
  | "openTelemetry"
  | "openCost";

/** Everything each add-on sets (both layers), with every optional feature on. */
const ours: Record<Checked, Values> = {
  istioBase: all(istioBaseValues()),
  istiod: all(istiodValues({ ...cluster, tracing: true })),
  istioGateway: all(istioGatewayValues({ scheme: "internet-facing" })),
  awsLoadBalancerController: all(albControllerValues(valuesInput({}, cluster, {}, true))),
  clusterAutoscaler: all(clusterAutoscalerValues(valuesInput({}, cluster, {}, true))),
  fluentBit: all(fluentBitValues(valuesInput({}, cluster))),
  prometheus: all(
    prometheusValues(valuesInput({ retention: "15d", storageSize: "50Gi" }, cluster)),
  ),
  externalDns: all(
    externalDnsValues(
      valuesInput(
        { domainFilters: ["example.com"], hostedZoneIds: ["Z1"], policy: "upsert-only" },
        cluster,
        {},
        true,
      ),
    ),
  ),
  nvidiaDevicePlugin: all(nvidiaDevicePluginValues()),
  reloader: all(reloaderValues()),
  externalSecrets: all(externalSecretsValues(valuesInput({}, cluster, {}, true))),
  snapshotController: all(snapshotControllerValues()),
  velero: all(
    veleroValues(
      valuesInput(
        { schedule: "0 3 * * *", retentionDays: 30, restoreFrom: "eks-blueprint-prod" },
        cluster,
        { bucket: "eks-blueprint-prod2-velero-111122223333" },
        true,
      ),
    ),
  ),
  openTelemetry: all(
    openTelemetryValues(valuesInput({ exporter: "xray", replicas: 2 }, cluster, {}, true)),
  ),
  openCost: all(openCostValues(cluster)),
};

function all(layers: { defaults: Values; owned: Values }): Values {
  return deepMerge(layers.defaults, layers.owned);
}

/** Folder of each chart under test/fixtures/upstream/charts/. */
const CHART_DIRS: Record<Checked, string> = {
  istioBase: "istio/base",
  istiod: "istio/istiod",
  istioGateway: "istio/gateway",
  awsLoadBalancerController: "aws-load-balancer-controller",
  clusterAutoscaler: "cluster-autoscaler",
  fluentBit: "aws-for-fluent-bit",
  prometheus: "kube-prometheus-stack",
  externalDns: "external-dns",
  nvidiaDevicePlugin: "nvidia-device-plugin",
  reloader: "reloader",
  externalSecrets: "external-secrets",
  snapshotController: "snapshot-controller",
  velero: "velero",
  openTelemetry: "opentelemetry-collector",
  openCost: "opencost",
};

/** Maps whose keys are the user's (Kubernetes labels, annotations, selectors, CLI flags). */
const FREE_FORM = new Set([
  "annotations",
  "labels",
  "nodeSelector",
  "extraArgs",
  "podAnnotations",
  "podLabels",
  "commonLabels",
  // istiod passes meshConfig through whole: its keys are Istio's MeshConfig API
  // (https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/), not chart values.
  "meshConfig",
  "externalLabels",
]);

/**
 * Paths into a subchart whose values.yaml the fixtures do not hold (only the parent's is
 * there). Each was checked by hand against the subchart version in the parent's Chart.yaml;
 * a new one must be added here on purpose.
 */
const SUBCHART_PATHS: Record<string, string[]> = {
  prometheus: [
    // grafana 12.11.1 (grafana-community/helm-charts charts/grafana/values.yaml)
    "grafana.resources",
    "grafana.securityContext",
    "grafana.containerSecurityContext",
    "grafana.initChownData",
    "grafana.testFramework",
    "kube-state-metrics.resources", // kube-state-metrics 8.4.0
    "prometheus-node-exporter.resources", // prometheus-node-exporter 4.56.1
  ],
};

/** Keys reloader 2.2.16 has and 2.2.12 (our pin, the vendored values.yaml) lacks. */
const RELOADER_NEWER_THAN_PIN = [
  "reloader.namespaces",
  "reloader.deployment.hostUsers",
  "reloader.deployment.runtimeClassName",
  "reloader.deployment.schedulerName",
];

const parsed = new Map<string, Values>();

/** The chart's values as Helm sees them: Istio keeps its defaults under one internal key. */
function chartValues(dir: string): Values {
  if (!parsed.has(dir)) {
    const raw = upstreamYaml<Values>(`charts/${dir}/values.yaml`);
    const internal = raw._internal_defaults_do_not_set;
    parsed.set(dir, isRecord(internal) ? deepMerge(raw, internal) : raw);
  }
  return parsed.get(dir)!;
}

/**
 * Every path in `values` that the chart's values.yaml does not declare. A key is accepted when
 * the chart has it, when its parent is a free-form map or an empty map (`resources: {}`: the
 * chart passes it through whole), or when it is under an allowed subchart path. Lists are leaves.
 */
function unknownValuePaths(values: Values, chart: Values, allowed: string[] = []): string[] {
  const unknown: string[] = [];
  const walk = (ours: Values, theirs: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(ours)) {
      const at = prefix ? `${prefix}.${key}` : key;
      if (allowed.some((a) => at === a || at.startsWith(`${a}.`))) continue;
      if (!isRecord(theirs) || !(key in theirs)) {
        unknown.push(at);
        continue;
      }
      const next = theirs[key];
      const open = FREE_FORM.has(key) || (isRecord(next) && Object.keys(next).length === 0);
      if (isRecord(value) && !open) walk(value, next, at);
    }
  };
  walk(values, chart, "");
  return unknown;
}

const schemaValidator = (dir: string) => {
  const file = `charts/${dir}/values.schema.json`;
  if (!hasUpstream(file)) return undefined;
  const schema = upstreamJson<Record<string, unknown>>(file);
  // "http://json-schema.org/schema#" (Istio, Reloader) names no draft ajv knows; the keywords
  // used are draft-07's, ajv's default.
  delete schema.$schema;
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
};

describe("values match the charts vendored at their pins (test/fixtures/upstream)", () => {
  test.each(Object.keys(CHART_DIRS) as Checked[])(
    "every values path %s sets exists in its chart's values.yaml",
    (key) => {
      const chart = chartValues(CHART_DIRS[key]);
      expect(unknownValuePaths(ours[key], chart, SUBCHART_PATHS[key])).toEqual([]);
    },
  );

  test.each([
    "istioGateway",
    "externalDns",
    "reloader",
    "externalSecrets",
    "velero",
    "openTelemetry",
  ] as const)(
    "%s values (over the chart's defaults) validate against its values.schema.json",
    (key) => {
      const validate = schemaValidator(CHART_DIRS[key])!;
      const ok = validate(deepMerge(chartValues(CHART_DIRS[key]), ours[key]));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  test("the charts with a values.schema.json are exactly the three validated above", () => {
    const withSchema = (Object.keys(CHART_DIRS) as Checked[]).filter((k) =>
      hasUpstream(`charts/${CHART_DIRS[k]}/values.schema.json`),
    );
    expect(withSchema.sort()).toEqual([
      "externalDns",
      "externalSecrets",
      "istioGateway",
      "openTelemetry",
      "reloader",
      "velero",
    ]);
  });

  test.each([
    ["awsLoadBalancerController", { serviceAcount: { name: "x" } }, ["serviceAcount"]],
    ["awsLoadBalancerController", { serviceAccount: { nmae: "x" } }, ["serviceAccount.nmae"]],
    ["clusterAutoscaler", { autoDiscovery: { clustername: "x" } }, ["autoDiscovery.clustername"]],
    ["prometheus", { grafana: { adminn: {} } }, ["grafana.adminn"]],
    ["istiod", { global: { meshId: "x" } }, ["global.meshId"]],
  ] as const)("the path check fails on a misspelt key in %s values: %j", (key, typo, expected) => {
    const chart = chartValues(CHART_DIRS[key]);
    const values = deepMerge(ours[key], typo as Values);
    expect(unknownValuePaths(values, chart, SUBCHART_PATHS[key])).toEqual(expected);
  });

  test("the schema check fails on a value outside the schema's enum (ExternalDNS policy)", () => {
    const validate = schemaValidator(CHART_DIRS.externalDns)!;
    const values = deepMerge(chartValues(CHART_DIRS.externalDns), ours.externalDns, {
      policy: "delete-everything",
    });
    expect(validate(values)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: "/policy", keyword: "enum" }),
    );
  });

  test("the schema check fails on a misspelt key where the schema is closed (Istio gateway)", () => {
    const validate = schemaValidator(CHART_DIRS.istioGateway)!;
    const values = deepMerge(chartValues(CHART_DIRS.istioGateway), ours.istioGateway, {
      servce: { type: "LoadBalancer" },
    });
    expect(validate(values)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        keyword: "additionalProperties",
        params: { additionalProperty: "servce" },
      }),
    );
  });
});

describe("what the values do, whatever the charts", () => {
  test.each([
    ["istiod", ["resources", "global.proxy.resources"]],
    ["istioGateway", ["resources"]],
    ["awsLoadBalancerController", ["resources"]],
    ["clusterAutoscaler", ["resources"]],
    ["fluentBit", ["resources"]],
    [
      "prometheus",
      [
        "prometheus.prometheusSpec.resources",
        "alertmanager.alertmanagerSpec.resources",
        "prometheusOperator.resources",
        "grafana.resources",
        "kube-state-metrics.resources",
        "prometheus-node-exporter.resources",
      ],
    ],
    ["externalDns", ["resources"]],
    ["reloader", ["reloader.deployment.resources"]],
    ["openTelemetry", ["resources"]],
    ["openCost", ["opencost.exporter.resources", "opencost.ui.resources"]],
    ["externalSecrets", ["resources", "webhook.resources", "certController.resources"]],
    ["snapshotController", ["controller.resources"]],
    ["velero", ["resources", "upgradeJobResources"]],
  ] as const)("%s sets cpu and memory requests at %j", (key, paths) => {
    for (const p of paths) {
      const res = p.split(".").reduce<unknown>((o, k) => (o as Values)[k], ours[key]) as Values;
      expect(res.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test("no Istio values write _internal_defaults_do_not_set", () => {
    for (const key of ["istioBase", "istiod", "istioGateway"] as const) {
      expect(Object.keys(ours[key])).not.toContain("_internal_defaults_do_not_set");
    }
  });

  test("we set none of the reloader keys that 2.2.12 (our pin) lacks", () => {
    const set = (p: string) =>
      p.split(".").reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), ours.reloader);
    expect(RELOADER_NEWER_THAN_PIN.filter((p) => set(p) !== undefined)).toEqual([]);
  });
});

describe("mergeValues: defaults, then the stack's overrides, then the keys we own", () => {
  const layers = {
    defaults: { replicaCount: 2, resources: { requests: { cpu: "100m", memory: "128Mi" } } },
    owned: { clusterName: "prod2", serviceAccount: { name: "alb", annotations: { a: "ours" } } },
  };

  test("keys we own win over a stack's overrides", () => {
    const merged = mergeValues(layers, {
      clusterName: "someone-else",
      serviceAccount: { name: "other", annotations: { a: "theirs", b: "extra" } },
    });
    expect(merged.clusterName).toBe("prod2");
    expect(merged.serviceAccount).toEqual({ name: "alb", annotations: { a: "ours", b: "extra" } });
  });

  test("overrides win over our defaults, key by key", () => {
    const merged = mergeValues(layers, { replicaCount: 3, resources: { requests: { cpu: "1" } } });
    expect(merged.replicaCount).toBe(3);
    expect(merged.resources).toEqual({ requests: { cpu: "1", memory: "128Mi" } });
  });

  test("lists are replaced whole and inputs are never mutated", () => {
    const defaults = { sources: ["service", "ingress"] };
    const merged = mergeValues({ defaults, owned: {} }, { sources: ["service"] });
    expect(merged.sources).toEqual(["service"]);
    expect(defaults.sources).toEqual(["service", "ingress"]);
  });
});
