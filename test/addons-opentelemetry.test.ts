import { istiodValues } from "../components/addons/istio/istio";
import {
  collectorConfig,
  meshTracingSpec,
  openTelemetryPolicy,
  openTelemetryProblems,
  type OpenTelemetrySettings,
} from "../components/addons/opentelemetry";
import { addonOf, one, byType, synthProgram } from "./day2-context";

const xray = { clusterName: "eks-blueprint-prod2", region: "us-west-2", exporter: "xray" } as const;

describe("the collector's configuration", () => {
  test("OTLP in, the cluster's name on every span, X-Ray in the cluster's region out", () => {
    expect(collectorConfig(xray)).toEqual({
      extensions: { health_check: { endpoint: "${env:MY_POD_IP}:13133" } },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: "${env:MY_POD_IP}:4317" },
            http: { endpoint: "${env:MY_POD_IP}:4318" },
          },
        },
      },
      processors: {
        memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
        "attributes/cluster": {
          actions: [{ key: "k8s.cluster.name", value: "eks-blueprint-prod2", action: "upsert" }],
        },
        batch: {},
      },
      exporters: { awsxray: { region: "us-west-2", indexed_attributes: ["k8s.cluster.name"] } },
      service: {
        extensions: ["health_check"],
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
            exporters: ["awsxray"],
          },
        },
      },
    });
  });

  test("with exporter otlp the spans go to the configured endpoint instead", () => {
    const c = collectorConfig({ ...xray, exporter: "otlp", otlpEndpoint: "otlp.example.com:4317" });
    expect(c.exporters).toEqual({ otlp: { endpoint: "otlp.example.com:4317" } });
    expect((c.service as { pipelines: { traces: object } }).pipelines.traces).toMatchObject({
      exporters: ["otlp"],
    });
  });
});

test("the role may only write traces, in the cluster's region", () => {
  expect(openTelemetryPolicy({ region: "us-west-2" })).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "us-west-2" } },
      },
    ],
  });
});

const defaults: OpenTelemetrySettings = { exporter: "xray", replicas: 2, samplingPercent: 1 };

test.each<[string, OpenTelemetrySettings, string[]]>([
  ["the defaults", defaults, []],
  [
    "an OTLP endpoint",
    { ...defaults, exporter: "otlp", otlpEndpoint: "otel.example.com:4317" },
    [],
  ],
  [
    "otlp without an endpoint",
    { ...defaults, exporter: "otlp" },
    [
      "addons.openTelemetry.otlpEndpoint: not an OTLP/gRPC endpoint (got undefined); use host:port such as otlp.example.com:4317 when exporter is otlp",
    ],
  ],
  [
    "an endpoint with a scheme",
    { ...defaults, exporter: "otlp", otlpEndpoint: "https://otel.example.com:4317" },
    [
      'addons.openTelemetry.otlpEndpoint: not an OTLP/gRPC endpoint (got "https://otel.example.com:4317"); use host:port such as otlp.example.com:4317 when exporter is otlp',
    ],
  ],
  [
    "an endpoint beside X-Ray",
    { ...defaults, otlpEndpoint: "otel.example.com:4317" },
    [
      'addons.openTelemetry.otlpEndpoint: set while exporter is xray (got "otel.example.com:4317"); remove it, or set exporter to otlp',
    ],
  ],
  [
    "an unknown exporter and a sampling rate above 100",
    { ...defaults, exporter: "jaeger" as "xray", samplingPercent: 150 },
    [
      'addons.openTelemetry.exporter: unknown trace exporter (got "jaeger"); use xray or otlp',
      "addons.openTelemetry.samplingPercent: not a percentage (got 150); use a whole number from 0 to 100",
    ],
  ],
])("settings problems: %s", (_what, settings, expected) => {
  expect(openTelemetryProblems(settings, "addons.openTelemetry")).toEqual(expected);
});

describe("Istio's tracing points at the collector", () => {
  test("with tracing, istiod registers the collector's OTLP/gRPC Service as a provider", () => {
    expect(istiodValues({ clusterName: "c", tracing: true }).owned.meshConfig).toEqual({
      extensionProviders: [
        {
          name: "otel-tracing",
          opentelemetry: {
            service: "opentelemetry-collector.tracing.svc.cluster.local",
            port: 4317,
          },
        },
      ],
    });
  });

  test("without it, istiod's values have no meshConfig of ours", () => {
    expect(istiodValues({ clusterName: "c" }).owned.meshConfig).toBeUndefined();
  });

  test("the Telemetry resource turns the provider on at the configured sampling rate", () => {
    expect(meshTracingSpec(5)).toEqual({
      tracing: [{ providers: [{ name: "otel-tracing" }], randomSamplingPercentage: 5 }],
    });
  });
});

describe("the add-on in a synth", () => {
  test("the pinned chart in `tracing`, its role's write-only policy, and the mesh's Telemetry", async () => {
    const r = await synthProgram(() =>
      addonOf("o", "openTelemetry", {}, undefined, ["istio", "prometheus"]),
    );
    const release = one(r, "kubernetes:helm.sh/v3:Release", "o");
    expect(release.inputs).toMatchObject({
      chart: "opentelemetry-collector",
      version: "0.170.0",
      repositoryOpts: { repo: "https://open-telemetry.github.io/opentelemetry-helm-charts" },
      name: "opentelemetry-collector",
      namespace: "tracing",
    });
    const values = release.inputs.values as Record<string, unknown>;
    expect(values).toMatchObject({
      mode: "deployment",
      replicaCount: 2,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      serviceMonitor: { enabled: true },
      serviceAccount: {
        name: "opentelemetry-collector",
        annotations: { "eks.amazonaws.com/role-arn": expect.stringContaining("otel-collector") },
      },
    });
    const ns = one(r, "kubernetes:core/v1:Namespace", "o-ns-tracing");
    expect(
      (ns.inputs.metadata as { labels: Record<string, string> }).labels[
        "pod-security.kubernetes.io/enforce"
      ],
    ).toBe("restricted");
    const policy = byType(r, "aws:iam/rolePolicy:RolePolicy")[0];
    expect(JSON.parse(policy.inputs.policy as string).Statement).toEqual([
      {
        Sid: "WriteTraces",
        Effect: "Allow",
        Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "us-west-2" } },
      },
    ]);
    const telemetry = one(r, "kubernetes:telemetry.istio.io/v1:Telemetry", "o-mesh-tracing");
    expect(telemetry.inputs).toMatchObject({
      metadata: { name: "mesh-default", namespace: "istio-system" },
      spec: { tracing: [{ providers: [{ name: "otel-tracing" }], randomSamplingPercentage: 1 }] },
    });
  });

  test("without Istio there is no Telemetry resource (its CRD would not exist)", async () => {
    const r = await synthProgram(() => addonOf("o", "openTelemetry", {}));
    expect(byType(r, "kubernetes:telemetry.istio.io/v1:Telemetry")).toEqual([]);
  });
});
