import * as k8s from "@pulumi/kubernetes";
import { irsaAnnotation, PolicyDocument } from "../access/irsa-policy";
import { problem } from "../problems";
import { oneOfProblems } from "../problems";
import { wholeNumberProblems } from "./settings";
import { type AddonSpec, type CommonSettings, type Prepared, present } from "./spec";
import { requests, ValueLayers, Values } from "./values";

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

/**
 * The collector's whole configuration: OTLP in, the cluster's name on every span, X-Ray or OTLP
 * out. Receivers listen on the pod IP as the chart's own default does (values.yaml `config`).
 */
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

export interface OpenTelemetryValuesInput extends CollectorConfigInput {
  replicas: number;
  roleArn: string;
  /** Create a ServiceMonitor (needs the Prometheus operator's CRDs). @default false */
  serviceMonitor?: boolean;
}

/** opentelemetry-collector chart values (opentelemetry-collector-0.170.0, values.yaml). */
export function openTelemetryValues(i: OpenTelemetryValuesInput): ValueLayers {
  return {
    defaults: {
      replicaCount: i.replicas,
      // A memory limit sets GOMEMLIMIT (values.yaml `useGOMEMLIMIT`), and memory_limiter keeps
      // the collector under 80% of it.
      resources: requests("100m", "256Mi", "512Mi"),
      serviceMonitor: { enabled: i.serviceMonitor ?? false },
    },
    owned: {
      mode: "deployment",
      fullnameOverride: OPEN_TELEMETRY.release,
      // The chart has no default image (NOTES.txt fails without one); contrib is the distribution
      // with the awsxray exporter, its tag the chart's appVersion.
      image: {
        repository:
          "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib",
      },
      // `config` is merged with the chart's defaults (Jaeger, Zipkin and Prometheus receivers,
      // debug pipelines for logs and metrics), and Helm values cannot delete a default key:
      // `alternateConfig` is used instead, whole (values.yaml: "IS NOT MERGED with config").
      alternateConfig: collectorConfig(i),
      ports: {
        "jaeger-compact": { enabled: false },
        "jaeger-thrift": { enabled: false },
        "jaeger-grpc": { enabled: false },
        zipkin: { enabled: false },
        metrics: { enabled: true },
      },
      // `restricted`: non-root (the image's user is 10001), no privilege escalation, no
      // capabilities, the RuntimeDefault seccomp profile; the chart leaves both contexts empty.
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
      },
      serviceAccount: {
        create: true,
        name: OPEN_TELEMETRY.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
    },
  };
}

/**
 * X-Ray writes only (the AWSXRayDaemonWriteAccess actions minus the sampling reads, which only
 * the awsproxy extension would make). X-Ray's PutTraceSegments and PutTelemetryRecords take no
 * resource ARN (Service Authorization Reference, AWS X-Ray: no resource types for either), so
 * the statement is `*`, held to the cluster's region; the cluster attribute, not IAM, tells the
 * two clusters' traces apart.
 */
export function openTelemetryPolicy(i: { region: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": i.region } },
      },
    ],
  };
}

/** A gRPC target as the OTLP exporter takes it: host:port, no scheme. */
const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/;

export function openTelemetryProblems(s: OpenTelemetrySettings, at: string): string[] {
  const out = [
    ...oneOfProblems(s.exporter, TRACE_EXPORTERS, `${at}.exporter`, "trace exporter"),
    ...wholeNumberProblems(s.replicas, 1, 10, `${at}.replicas`, "a replica count"),
    ...wholeNumberProblems(s.samplingPercent, 0, 100, `${at}.samplingPercent`, "a percentage"),
  ];
  if (
    s.exporter === "otlp" &&
    !(typeof s.otlpEndpoint === "string" && HOST_PORT.test(s.otlpEndpoint))
  ) {
    out.push(
      problem(
        `${at}.otlpEndpoint`,
        "not an OTLP/gRPC endpoint",
        s.otlpEndpoint,
        "use host:port such as otlp.example.com:4317 when exporter is otlp",
      ),
    );
  }
  if (s.exporter === "xray" && s.otlpEndpoint !== undefined) {
    out.push(
      problem(
        `${at}.otlpEndpoint`,
        "set while exporter is xray",
        s.otlpEndpoint,
        "remove it, or set exporter to otlp",
      ),
    );
  }
  return out;
}

/** Istio's Telemetry resource turning the provider on mesh-wide (istio-system is the root namespace). */
export function meshTracingSpec(samplingPercent: number): Values {
  return {
    tracing: [
      {
        providers: [{ name: OPEN_TELEMETRY.meshProvider }],
        randomSamplingPercentage: samplingPercent,
      },
    ],
  };
}

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
    // app 0.158.0. Chosen over ADOT: the ADOT EKS add-on needs cert-manager for its operator,
    // and the upstream chart ships a values.schema.json the values test validates against.
    pin: {
      chart: "opentelemetry-collector",
      version: "0.170.0",
      repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
      source:
        "https://github.com/open-telemetry/opentelemetry-helm-charts/blob/opentelemetry-collector-0.170.0/charts/opentelemetry-collector/Chart.yaml",
    },
    release: OPEN_TELEMETRY.release,
    values: ({ context, settings: s, resolved, serviceMonitor }) =>
      openTelemetryValues({
        clusterName: context.clusterName,
        region: context.region,
        exporter: s.exporter,
        otlpEndpoint: s.otlpEndpoint,
        replicas: s.replicas,
        roleArn: present(resolved.roleArn, "its IRSA role"),
        serviceMonitor,
      }),
  },
  // Istio sends spans only where a Telemetry resource selects a provider
  // (https://istio.io/latest/docs/tasks/observability/distributed-tracing/opentelemetry/).
  finish: ({ name, settings: s, installed, after, k8s: k8sOpts }, { released }) => {
    if (!installed.has("istio")) return {};
    const telemetry = new k8s.apiextensions.CustomResource(
      `${name}-mesh-tracing`,
      {
        apiVersion: "telemetry.istio.io/v1",
        kind: "Telemetry",
        metadata: { name: "mesh-default", namespace: "istio-system" },
        spec: meshTracingSpec(s.samplingPercent),
      },
      { ...k8sOpts, dependsOn: [...released, ...after] },
    );
    return { ready: [...released, telemetry] };
  },
};
