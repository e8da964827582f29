import { createRequire } from "node:module";
import { ADDON_ALERTS, alertGroups } from "../components/addons/alerts/alert-rules";
import { alertmanagerConfigSpec, alertsProblems } from "../components/addons/alerts/alerts";
import { prometheusValues } from "../components/addons/prometheus";
import { ADDON_KEYS } from "../components/addons/registry";
import { addonOf, one, byType, synthProgram, valuesInput } from "./day2-context";

/** The little of lezer's syntax tree this file walks. */
interface PromQLNode {
  name: string;
  from: number;
  type: { isError: boolean };
  node: { getChild(name: string): { from: number; to: number } | null };
}
interface LezerPromQL {
  parser: { parse(expr: string): { iterate(spec: { enter(n: PromQLNode): void }): void } };
}
// @prometheus-io/lezer-promql is ESM to TypeScript ("type": "module"), but its "exports" give
// `require` a CommonJS build (dist/index.cjs): loaded that way, the grammar runs inside jest.
const { parser } = createRequire(__filename)("@prometheus-io/lezer-promql") as LezerPromQL;

/** Parses one expression with Prometheus's own grammar: its error nodes and selected metric names. */
function parsePromQL(expr: string): { errors: number[]; metrics: string[] } {
  const errors: number[] = [];
  const metrics = new Set<string>();
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(n.from);
      if (n.name === "VectorSelector") {
        const id = n.node.getChild("Identifier");
        if (id) metrics.add(expr.slice(id.from, id.to));
      }
    },
  });
  return { errors, metrics: [...metrics].sort() };
}

const rules = Object.entries(ADDON_ALERTS).flatMap(([key, g]) =>
  g.rules.map((r) => [r.alert, key, r.expr, g.metrics] as const),
);

describe("every rule is PromQL on a metric its add-on exports", () => {
  test("the grammar check fails on a broken expression", () => {
    expect(parsePromQL("sum(rate(x[5m]) >").errors).not.toEqual([]);
  });

  test.each(rules)("%s (%s) parses without errors", (_alert, _key, expr) => {
    expect(parsePromQL(expr).errors).toEqual([]);
  });

  test.each(rules)("%s (%s) reads only metrics its group cites", (_alert, _key, expr, cited) => {
    const unknown = parsePromQL(expr).metrics.filter((m) => !(m in cited));
    expect(unknown).toEqual([]);
  });

  test("each add-on's rules read exactly these metrics", () => {
    const read = Object.fromEntries(
      Object.entries(ADDON_ALERTS).map(([key, g]) => [
        key,
        [...new Set(g.rules.flatMap((r) => parsePromQL(r.expr).metrics))].sort(),
      ]),
    );
    expect(read).toEqual({
      clusterAutoscaler: [
        "cluster_autoscaler_errors_total",
        "cluster_autoscaler_failed_scale_ups_total",
      ],
      awsLoadBalancerController: ["controller_runtime_reconcile_errors_total"],
      karpenter: [
        "controller_runtime_reconcile_errors_total",
        "karpenter_cloudprovider_errors_total",
      ],
      fluentBit: ["fluentbit_output_errors_total", "fluentbit_output_retries_failed_total"],
      externalDns: ["external_dns_registry_errors_total", "external_dns_source_errors_total"],
      velero: [
        "velero_backup_failure_total",
        "velero_backup_last_successful_timestamp",
        "velero_backup_partial_failure_total",
      ],
      openTelemetry: ["otelcol_exporter_send_failed_spans_total"],
    });
  });

  test("every cited source is an https page or a file at a tag", () => {
    for (const g of Object.values(ADDON_ALERTS)) {
      for (const url of Object.values(g.metrics)) expect(url).toMatch(/^https:\/\//);
    }
  });

  test("every group is for a registry add-on", () => {
    expect(Object.keys(ADDON_ALERTS).filter((k) => !(ADDON_KEYS as string[]).includes(k))).toEqual(
      [],
    );
  });

  test("every rule routes by severity and names itself once", () => {
    const names = rules.map(([alert]) => alert);
    expect(new Set(names).size).toBe(names.length);
    for (const g of Object.values(ADDON_ALERTS)) {
      for (const r of g.rules) expect(["warning", "critical"]).toContain(r.labels.severity);
    }
  });
});

test("only the installed add-ons get rules, in key order", () => {
  expect(alertGroups(new Set(["velero", "fluentBit", "prometheus"])).map(([k]) => k)).toEqual([
    "fluentBit",
    "velero",
  ]);
});

describe("the receiver", () => {
  test.each([
    [
      { type: "slack", secretName: "alertmanager-slack", channel: "#platform" },
      {
        slackConfigs: [
          {
            apiURL: { name: "alertmanager-slack", key: "url" },
            sendResolved: true,
            channel: "#platform",
          },
        ],
      },
    ],
    [
      { type: "pagerduty", secretName: "pagerduty" },
      {
        pagerdutyConfigs: [
          { routingKey: { name: "pagerduty", key: "routingKey" }, sendResolved: true },
        ],
      },
    ],
    [
      { type: "webhook", secretName: "hook", secretKey: "endpoint" },
      { webhookConfigs: [{ urlSecret: { name: "hook", key: "endpoint" }, sendResolved: true }] },
    ],
  ] as const)("%j: the credential is a Secret key reference, never a value", (r, receiver) => {
    expect(alertmanagerConfigSpec(r)).toEqual({
      route: {
        receiver: "platform",
        groupBy: ["alertname", "namespace"],
        groupWait: "30s",
        groupInterval: "5m",
        repeatInterval: "4h",
        matchers: [{ name: "severity", matchType: "=~", value: "warning|critical" }],
      },
      receivers: [{ name: "platform", ...receiver }],
    });
  });

  test.each([
    [{ type: "slack", secretName: "s" }, []],
    [
      { type: "email", secretName: "Bad_Name" },
      [
        'addons.alerts.receiver.type: unknown receiver type (got "email"); use slack, pagerduty or webhook',
        "addons.alerts.receiver.secretName: not a Secret name (got \"Bad_Name\"); use at most 63 lowercase letters, digits and '-'",
      ],
    ],
    [
      { type: "pagerduty", secretName: "pd", secretKey: "a key", channel: "#x" },
      [
        "addons.alerts.receiver.secretKey: not a Secret key (got \"a key\"); use letters, digits, '-', '_' and '.'",
        'addons.alerts.receiver.channel: only Slack has channels (got "#x"); remove it, or use type slack',
      ],
    ],
  ] as const)("receiver %j: problems %j", (receiver, expected) => {
    expect(alertsProblems({ receiver: receiver as never }, "addons.alerts")).toEqual(expected);
  });

  test("an AlertmanagerConfig in `monitoring` routes every alert (Prometheus's matcher strategy)", () => {
    const v = prometheusValues(
      valuesInput({ retention: "15d", storageSize: "50Gi" }, { clusterName: "c" }),
    );
    expect(v.owned.alertmanager).toEqual({
      alertmanagerSpec: {
        alertmanagerConfigMatcherStrategy: { type: "OnNamespaceExceptForAlertmanagerNamespace" },
      },
    });
    // kube-prometheus-stack's own rules stay on: we never set defaultRules.
    expect(v.defaults.defaultRules).toBeUndefined();
    expect(v.owned.defaultRules).toBeUndefined();
  });
});

test("in a synth: one PrometheusRule per installed add-on and the receiver, in monitoring", async () => {
  const r = await synthProgram(() =>
    addonOf(
      "a",
      "alerts",
      { receiver: { type: "slack", secretName: "alertmanager-slack" } },
      undefined,
      ["prometheus", "clusterAutoscaler", "externalDns"],
    ),
  );
  const rulesOut = byType(r, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
  expect(rulesOut.map((x) => [x.name, (x.inputs.metadata as { name: string }).name])).toEqual([
    ["a-cluster-autoscaler", "eks-blueprint-cluster-autoscaler"],
    ["a-external-dns", "eks-blueprint-external-dns"],
  ]);
  const config = one(
    r,
    "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig",
    "a-receiver",
  );
  expect(config.inputs.metadata).toEqual({ name: "platform-alerts", namespace: "monitoring" });
  expect(byType(r, "kubernetes:core/v1:Namespace")).toEqual([]);
});
