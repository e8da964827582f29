import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { installedAddons } from "../components/addons/bundle";
import { parseAddonsConfig, toAddonSelection } from "../stacks/addons-config";

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

const ok = (raw: unknown) => {
  const parsed = parseAddonsConfig(raw);
  if (!parsed.config) throw new Error(parsed.problems.join("\n"));
  return parsed.config;
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
      "reloader",
      "istioBase",
      "istiod",
      "istioGateway",
    ]);
    expect(selection.externalDns).toEqual({
      domainFilters: ["example.com"],
      hostedZoneIds: ["Z0123456789EXAMPLE"],
      policy: "upsert-only",
      values: {},
    });
    expect(selection.prometheus).toMatchObject({ retention: "15d", storageSize: "100Gi" });
  });

  test("defaults: enabled when the block is present, 30-day logs, 15d/50Gi Prometheus, upsert-only", () => {
    const selection = toAddonSelection(
      ok({
        fluentBit: {},
        prometheus: {},
        externalDns: { domainFilters: ["example.com"], hostedZoneIds: ["Z1"] },
      }),
    );
    expect(selection.fluentBit?.retentionDays).toBe(30);
    expect(selection.prometheus).toMatchObject({ retention: "15d", storageSize: "50Gi" });
    expect(selection.externalDns?.policy).toBe("upsert-only");
    expect(selection.istio).toBeUndefined();
  });

  test("absent config installs nothing; enabled: false leaves an add-on out", () => {
    expect(toAddonSelection(ok(undefined))).toEqual({});
    expect(toAddonSelection(ok({ reloader: { enabled: false } }))).toEqual({});
  });

  test("the Grafana password secret is handed through, never read from the config object", () => {
    const secret = pulumi.secret("s3cret");
    const selection = toAddonSelection(ok({ prometheus: {} }), { grafanaAdminPassword: secret });
    expect(selection.prometheus?.grafanaAdminPassword).toBe(secret);
    expect(parseAddonsConfig({ prometheus: { grafanaAdminPassword: "x" } }).problems).toEqual([
      'eks-blueprint:addons.prometheus: unknown key grafanaAdminPassword (got ["grafanaAdminPassword"]); remove it or check its spelling against the stack config table in README.md',
    ]);
  });

  test.each([
    [
      "a misspelt add-on",
      { relaoder: {} },
      'eks-blueprint:addons: unknown key relaoder (got ["relaoder"]); remove it or check its spelling against the stack config table in README.md',
    ],
    [
      "Istio without the ALB controller",
      { istio: {} },
      "eks-blueprint:addons.awsLoadBalancerController: off, but Istio's ingress gateway needs it for its NLB (got undefined); set awsLoadBalancerController: {enabled: true} or turn Istio off",
    ],
    [
      "Istio with the ALB controller turned off",
      { istio: {}, awsLoadBalancerController: { enabled: false } },
      'eks-blueprint:addons.awsLoadBalancerController: off, but Istio\'s ingress gateway needs it for its NLB (got {"enabled":false}); set awsLoadBalancerController: {enabled: true} or turn Istio off',
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
      "eks-blueprint:addons.externalDns.hostedZoneIds: no hosted zones (got undefined); list the Route 53 zone ids ExternalDNS may change",
    ],
    [
      "an unknown ExternalDNS policy",
      { externalDns: { domainFilters: ["example.com"], hostedZoneIds: ["Z1"], policy: "delete" } },
      'eks-blueprint:addons.externalDns.policy: unknown ExternalDNS policy (got "delete"); use upsert-only, sync or create-only',
    ],
    [
      "an upper-case domain filter",
      { externalDns: { domainFilters: ["Example.COM"], hostedZoneIds: ["Z1"] } },
      'eks-blueprint:addons.externalDns.domainFilters[0]: not a domain name (got "Example.COM"); use a lowercase suffix such as example.com',
    ],
    [
      "a gateway annotation that is not a string",
      { awsLoadBalancerController: {}, istio: { gatewayServiceAnnotations: { "a/b": 5 } } },
      "eks-blueprint:addons.istio.gatewayServiceAnnotations.a/b: annotation values are strings (got 5); quote numbers and booleans",
    ],
    [
      "chart values that are not a map",
      { reloader: { values: ["watchGlobally"] } },
      'eks-blueprint:addons.reloader.values: not a map of chart values (got ["watchGlobally"]); give the chart\'s keys as a YAML map',
    ],
  ])("rejects %s with a precise error", (_what, raw, error) => {
    expect(parseAddonsConfig(raw).problems).toEqual([error]);
  });

  test("every problem is reported at once", () => {
    expect(parseAddonsConfig({ istio: {}, fluentBit: { retentionDays: 2 } }).problems).toHaveLength(
      2,
    );
  });
});
