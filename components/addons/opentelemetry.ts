import { allow, policyDocument, PolicyDocument } from "../access/irsa-policy";
import { customResource } from "./crds";
import { oneOfProblems, problemList } from "../problems";
import { wholeNumberProblems } from "./settings";
import type { AddonSpec, CommonSettings, Prepared, ValuesInput, WithDefaults } from "./spec";
import { irsaServiceAccount, NO_PRIVILEGES, requests, ValueLayers, Values } from "./values";

export const OPEN_TELEMETRY = {
  namespace: "tracing",
  serviceAccount: "opentelemetry-collector",
  /** Release name and (fullnameOverride) the Service's name. */
  release: "opentelemetry-collector",
  /** OTLP over gRPC: chart `ports.otlp`, the port Istio's OpenTelemetry provider sends to. */
  otlpGrpcPort: 4317,
  /** The name meshConfig.extensionProviders gives the collector (istio.ts). */
  meshProvider: "otel-tracing",
  /** The resource attribute every span gets, indexed in X-Ray so the two clusters stay apart. */
  clusterAttribute: "k8s.cluster.name",
} as const;

/** The collector's Service, as Istio's provider names it. */
export const collectorService = `${OPEN_TELEMETRY.release}.${OPEN_TELEMETRY.namespace}.svc.cluster.local`;

export const TRACE_EXPORTERS = ["xray", "otlp"] as const;
export type TraceExporter = (typeof TRACE_EXPORTERS)[number];

export interface OpenTelemetrySettings extends CommonSettings {
  /** Where traces go: AWS X-Ray in the cluster's region, or `otlpEndpoint`. @default "xray" */
  exporter?: TraceExporter;
  /** `host:port` of an OTLP/gRPC receiver (TLS); required when `exporter` is otlp. @default none */
  otlpEndpoint?: string;
  /** Collector replicas. @default 2 */
  replicas?: number;
  /** Share of requests Istio traces, in percent (Telemetry `randomSamplingPercentage`). @default 1 */
  samplingPercent?: number;
}

export interface CollectorConfigInput {
  clusterName: string;
  region: string;
  exporter: TraceExporter;
  otlpEndpoint?: string;
}

/** OTLP in, the cluster's name on every span, X-Ray or OTLP out; receivers on the pod IP. */
export function collectorConfig(i: CollectorConfigInput): Values {
  const exporter =
    i.exporter === "xray"
      ? // awsxray exporter (opentelemetry-collector-contrib exporter/awsxrayexporter): indexed
        // attributes become X-Ray annotations, so a trace filter can pick one cluster.
        { awsxray: { region: i.region, indexed_attributes: [OPEN_TELEMETRY.clusterAttribute] } }
      : { otlp: { endpoint: i.otlpEndpoint } };
  return {
    extensions: { health_check: { endpoint: "${env:MY_POD_IP}:13133" } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `\${env:MY_POD_IP}:${OPEN_TELEMETRY.otlpGrpcPort}` },
          http: { endpoint: "${env:MY_POD_IP}:4318" },
        },
      },
    },
    processors: {
      memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
      "attributes/cluster": {
        actions: [{ key: OPEN_TELEMETRY.clusterAttribute, value: i.clusterName, action: "upsert" }],
      },
      batch: {},
    },
    exporters: exporter,
    service: {
      extensions: ["health_check"],
      // The collector's own metrics on :8888, for the ServiceMonitor.
      telemetry: {
        metrics: {
          readers: [
            { pull: { exporter: { prometheus: { host: "${env:MY_POD_IP}", port: 8888 } } } },
          ],
        },
      },
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "attributes/cluster", "batch"],
          exporters: Object.keys(exporter),
        },
      },
    },
  };
}

/** opentelemetry-collector chart values (opentelemetry-collector-0.170.0, values.yaml). */
export function openTelemetryValues({
  context: ctx,
  settings: s,
  resolved,
  serviceMonitor,
}: ValuesInput<WithDefaults<OpenTelemetrySettings, "exporter" | "replicas">>): ValueLayers {
  return {
    defaults: {
      replicaCount: s.replicas,
      // The limit sets GOMEMLIMIT (`useGOMEMLIMIT`); memory_limiter keeps under 80% of it.
      resources: requests("100m", "256Mi", "512Mi"),
      serviceMonitor: { enabled: serviceMonitor },
    },
    owned: {
      mode: "deployment",
      fullnameOverride: OPEN_TELEMETRY.release,
      // The chart has none (NOTES.txt fails); contrib has awsxray; the tag is the appVersion.
      image: {
        repository:
          "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib",
      },
      // `alternateConfig` replaces the chart's undeletable default `config` whole (values.yaml).
      alternateConfig: collectorConfig({ ...ctx, ...s }),
      ports: {
        "jaeger-compact": { enabled: false },
        "jaeger-thrift": { enabled: false },
        "jaeger-grpc": { enabled: false },
        zipkin: { enabled: false },
        metrics: { enabled: true },
      },
      // `restricted` (the image's user is 10001); the chart leaves both contexts empty.
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: { ...NO_PRIVILEGES, readOnlyRootFilesystem: true },
      serviceAccount: irsaServiceAccount(OPEN_TELEMETRY.serviceAccount, resolved),
    },
  };
}

/**
 * AWSXRayDaemonWriteAccess minus sampling reads (awsproxy only). Neither action takes a resource
 * ARN (Service Authorization Reference, AWS X-Ray): `*` in the region; the cluster attribute, not
 * IAM, keeps clusters apart.
 */
export function openTelemetryPolicy(i: { region: string }): PolicyDocument {
  return policyDocument(
    allow("WriteTraces", ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*", {
      StringEquals: { "aws:RequestedRegion": i.region },
    }),
  );
}

/** A gRPC target as the OTLP exporter takes it: host:port, no scheme. */
const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/;

export function openTelemetryProblems(s: OpenTelemetrySettings, at: string): string[] {
  const [out, add] = problemList([
    ...oneOfProblems(s.exporter, TRACE_EXPORTERS, `${at}.exporter`, "trace exporter"),
    ...wholeNumberProblems(s.replicas, 1, 10, `${at}.replicas`, "a replica count"),
    ...wholeNumberProblems(s.samplingPercent, 0, 100, `${at}.samplingPercent`, "a percentage"),
  ]);
  if (
    s.exporter === "otlp" &&
    !(typeof s.otlpEndpoint === "string" && HOST_PORT.test(s.otlpEndpoint))
  ) {
    add(
      `${at}.otlpEndpoint`,
      "not an OTLP/gRPC endpoint",
      s.otlpEndpoint,
      "use host:port such as otlp.example.com:4317 when exporter is otlp",
    );
  }
  if (s.exporter === "xray" && s.otlpEndpoint !== undefined) {
    add(
      `${at}.otlpEndpoint`,
      "set while exporter is xray",
      s.otlpEndpoint,
      "remove it, or set exporter to otlp",
    );
  }
  return out;
}

/** Istio's Telemetry resource turning the provider on mesh-wide (istio-system is the root namespace). */
export const meshTracingSpec = (percent: number): Values => ({
  tracing: [
    { providers: [{ name: OPEN_TELEMETRY.meshProvider }], randomSamplingPercentage: percent },
  ],
});

export const openTelemetry: AddonSpec<
  OpenTelemetrySettings,
  Prepared,
  "exporter" | "replicas" | "samplingPercent"
> = {
  component: "OpenTelemetry",
  summary: "OpenTelemetry collector: OTLP traces from Istio and apps, exported to X-Ray or OTLP.",
  namespace: {
    name: OPEN_TELEMETRY.namespace,
    podSecurity: "restricted",
    why: "our values set the non-root, no-capability, RuntimeDefault contexts the chart leaves empty",
  },
  defaults: { exporter: "xray", otlpEndpoint: undefined, replicas: 2, samplingPercent: 1 },
  problems: openTelemetryProblems,
  installAfter: {
    prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs",
    istio: "its Telemetry resource needs Istio's CRDs (the base chart)",
  },
  role: {
    serviceAccount: OPEN_TELEMETRY.serviceAccount,
    roleSuffix: "otel-collector",
    policy: (ctx) => openTelemetryPolicy(ctx),
  },
  chart: {
    // app 0.158.0. Not ADOT: its EKS add-on needs cert-manager; this chart has a values schema.
    pin: {
      chart: "opentelemetry-collector",
      version: "0.170.0",
      repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
      source:
        "https://github.com/open-telemetry/opentelemetry-helm-charts/blob/opentelemetry-collector-0.170.0/charts/opentelemetry-collector/Chart.yaml",
    },
    release: OPEN_TELEMETRY.release,
    values: openTelemetryValues,
  },
  // Istio sends spans only where a Telemetry resource selects a provider
  // (https://istio.io/latest/docs/tasks/observability/distributed-tracing/opentelemetry/).
  finish: ({ name, settings: s, installed, after, k8s: k8sOpts }, { released }) => {
    if (!installed.has("istio")) return {};
    const telemetry = customResource(
      `${name}-mesh-tracing`,
      ["telemetry.istio.io/v1", "Telemetry"],
      { name: "mesh-default", namespace: "istio-system" },
      meshTracingSpec(s.samplingPercent),
      { ...k8sOpts, dependsOn: [...released, ...after] },
    );
    return { ready: [...released, telemetry] };
  },
};
