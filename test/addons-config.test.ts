import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ADDON_KEYS, AddonKey, specOf } from "../components/addons/registry";
import { installedAddons } from "../components/addons/selection";
import { resolveSettings } from "../components/addons/settings";
import { addonsConfigProblems, toAddonSelection } from "../stacks/addons-config";

/** The block proposed for Pulumi.prod2.yaml (everything on). */
const PROD2 = `
istio:
  enabled: true
  gatewayScheme: internet-facing
awsLoadBalancerController:
  enabled: true
clusterAutoscaler:
  enabled: true
fluentBit:
  enabled: true
  retentionDays: 30
prometheus:
  enabled: true
  retention: 15d
  storageSize: 100Gi
externalDns:
  enabled: true
  domainFilters: [example.com]
  hostedZoneIds: [Z0123456789EXAMPLE]
  policy: upsert-only
reloader:
  enabled: true
`;

/** The add-on problems of a stack whose only add-on config is `eks-blueprint:addons`. */
const problems = (raw: unknown) => addonsConfigProblems(raw);

const ok = (raw: unknown): Record<string, unknown> => {
  const found = problems(raw);
  if (found.length > 0) throw new Error(found.join("\n"));
  return raw === undefined ? {} : (raw as Record<string, unknown>);
};

describe("eks-blueprint:addons", () => {
  test("the prod2 block turns every add-on on, with its settings", () => {
    const selection = toAddonSelection(ok(parse(PROD2)));
    expect(installedAddons(selection)).toEqual([
      "ebsCsiDriver",
      "prometheus",
      "awsLoadBalancerController",
      "clusterAutoscaler",
      "externalDns",
      "fluentBit",
      "istio",
      "metricsServer",
      "reloader",
    ]);
    expect(selection.externalDns).toEqual({
      enabled: true,
      domainFilters: ["example.com"],
      hostedZoneIds: ["Z0123456789EXAMPLE"],
      policy: "upsert-only",
    });
    expect(selection.prometheus).toMatchObject({ retention: "15d", storageSize: "100Gi" });
  });

  test("defaults live in the registry: 30-day logs, 15d/50Gi Prometheus, upsert-only", () => {
    const s = (key: AddonKey, given: object) => resolveSettings(specOf(key), given);
    expect(s("fluentBit", {})).toEqual({ retentionDays: 30 });
    expect(s("prometheus", {})).toEqual({ retention: "15d", storageSize: "50Gi" });
    expect(s("externalDns", { domainFilters: ["example.com"], hostedZoneIds: ["Z1"] })).toEqual({
      domainFilters: ["example.com"],
      hostedZoneIds: ["Z1"],
      policy: "upsert-only",
    });
  });

  test("absent config installs only what is on by default; enabled: false leaves an add-on out", () => {
    expect(installedAddons(toAddonSelection(ok(undefined)))).toEqual([
      "clusterAutoscaler",
      "metricsServer",
    ]);
    expect(installedAddons(toAddonSelection(ok({ reloader: { enabled: false } })))).toEqual([
      "clusterAutoscaler",
      "metricsServer",
    ]);
  });

  test("the Grafana password secret is handed through, never read from the config object", () => {
    const secret = pulumi.secret("s3cret");
    const selection = toAddonSelection(ok({ prometheus: {} }), { grafanaAdminPassword: secret });
    expect(selection.prometheus?.grafanaAdminPassword).toBe(secret);
    expect(problems({ prometheus: { grafanaAdminPassword: "x" } })).toEqual([
      'eks-blueprint:addons.prometheus.grafanaAdminPassword: a secret in plain config (got "[secret]"); set it with `pulumi config set --secret eks-blueprint:grafanaAdminPassword`',
    ]);
  });

  test("Karpenter selected keeps cluster-autoscaler off; both selected is refused", () => {
    const karpenter = { nodePools: { general: { limits: { cpu: "200", memory: "800Gi" } } } };
    const selection = toAddonSelection(ok({ karpenter }));
    expect(selection.karpenter).toEqual(karpenter);
    expect(installedAddons(selection)).toEqual(["karpenter", "metricsServer"]);
    expect(problems({ clusterAutoscaler: { enabled: true }, karpenter })).toEqual([
      'eks-blueprint:addons.karpenter: on together with clusterAutoscaler (got {"nodePools":{"general":{"limits":{"cpu":"200","memory":"800Gi"}}}}); both would manage the same nodes; keep one of them (enabled: false on the other)',
    ]);
  });

  test.each([
    [
      "a Karpenter node pool without limits",
      { karpenter: { nodePools: { general: {} } } },
      'eks-blueprint:addons.karpenter.nodePools.general.limits: missing or not Kubernetes quantities (got undefined); set limits.cpu and limits.memory (such as "100" and 400Gi) so the pool cannot grow without bound',
    ],
    [
      "a misspelt add-on",
      { relaoder: {} },
      `eks-blueprint:addons.relaoder: unknown add-on (got "relaoder"); use one of ${ADDON_KEYS.join(", ")}`,
    ],
    [
      "Istio without the ALB controller",
      { istio: {} },
      "eks-blueprint:addons.awsLoadBalancerController: off, but istio needs it: the ingress gateway's NLB is made by the controller (got undefined); turn awsLoadBalancerController on or istio off",
    ],
    [
      "Istio with the ALB controller turned off",
      { istio: {}, awsLoadBalancerController: { enabled: false } },
      'eks-blueprint:addons.awsLoadBalancerController: off, but istio needs it: the ingress gateway\'s NLB is made by the controller (got {"enabled":false}); turn awsLoadBalancerController on or istio off',
    ],
    [
      "a retention CloudWatch does not offer",
      { fluentBit: { retentionDays: 45 } },
      "eks-blueprint:addons.fluentBit.retentionDays: not a CloudWatch Logs retention period (got 45); use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      "a Prometheus retention without a unit",
      { prometheus: { retention: "15" } },
      'eks-blueprint:addons.prometheus.retention: not a Prometheus retention (got "15"); use a duration such as 15d or 720h',
    ],
    [
      "a volume size in GB",
      { prometheus: { storageSize: "50GB" } },
      'eks-blueprint:addons.prometheus.storageSize: not a volume size (got "50GB"); use whole gibibytes such as 50Gi',
    ],
    [
      "a volume size that is not a number",
      { prometheus: { storageSize: "lotsGi" } },
      'eks-blueprint:addons.prometheus.storageSize: not a volume size (got "lotsGi"); use whole gibibytes such as 50Gi',
    ],
    [
      "a volume gp3 cannot make",
      { prometheus: { storageSize: "20000Gi" } },
      'eks-blueprint:addons.prometheus.storageSize: volume too large (got "20000Gi"); gp3 takes 1Gi to 16384Gi',
    ],
    [
      "a hosted zone given as a path",
      { externalDns: { domainFilters: ["example.com"], hostedZoneIds: ["/hostedzone/Z1"] } },
      'eks-blueprint:addons.externalDns.hostedZoneIds[0]: not a Route 53 hosted zone id (got "/hostedzone/Z1"); use the bare id such as Z0123456789ABCDEFGHIJ',
    ],
    [
      "ExternalDNS with no zones",
      { externalDns: { domainFilters: ["example.com"] } },
      "eks-blueprint:addons.externalDns.hostedZoneIds: no Route 53 hosted zone ids (got undefined); list the Route 53 zone ids ExternalDNS may change",
    ],
    [
      "an unknown ExternalDNS policy",
      { externalDns: { domainFilters: ["example.com"], hostedZoneIds: ["Z1"], policy: "delete" } },
      'eks-blueprint:addons.externalDns.policy: unknown ExternalDNS policy (got "delete"); use upsert-only, sync or create-only',
    ],
    [
      "an upper-case domain filter",
      { externalDns: { domainFilters: ["Example.COM"], hostedZoneIds: ["Z1"] } },
      'eks-blueprint:addons.externalDns.domainFilters[0]: not a domain filter (got "Example.COM"); use a lowercase suffix such as example.com',
    ],
    [
      "a gateway annotation that is not a string",
      { awsLoadBalancerController: {}, istio: { gatewayServiceAnnotations: { "a/b": 5 } } },
      "eks-blueprint:addons.istio.gatewayServiceAnnotations.a/b: not a string (got 5); quote numbers and booleans",
    ],
    [
      "chart values that are not a map",
      { reloader: { values: ["watchGlobally"] } },
      'eks-blueprint:addons.reloader.values: not a map of chart values (got ["watchGlobally"]); give the chart\'s keys as a map',
    ],
  ])("rejects %s with a precise error", (_what, raw, error) => {
    expect(problems(raw)).toEqual([error]);
  });

  test("every problem is reported at once", () => {
    expect(problems({ relaoder: {}, fluentBit: { retentionDays: 2 } })).toHaveLength(2);
  });
});
