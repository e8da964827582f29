// Issue 25's outage, rule by rule: prod as 7da18ff would have updated it from what runs (the
// fb96b52 synth; test/fixtures/7da18ff/make.sh), and today's prod, which updates without one.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { rehearse } from "../policy/rehearse/rehearse";
import { liveRules } from "../policy/rehearse/rules/live";
import { updateRules } from "../policy/rehearse/rules/update";
import type { RehearsalInput } from "../policy/rehearse/types";
import type { TeamSpec } from "../components/teams/team-settings";
import type { SynthRecord } from "../synth/record";
import { asRecords } from "../tools/rehearse/stack";
import { readDeployedState } from "../policy/rehearse/checkpoint";
import { albListenersTagged, ebsVolumesTagged } from "../policy/rehearse/rules/iam";
import { committedConfig, committedSynth, synthStackWith } from "./stack-harness";

const fixture = (file: string) =>
  asRecords(
    (
      JSON.parse(readFileSync(path.join(__dirname, "fixtures", file), "utf8")) as {
        resources: unknown[];
      }
    ).resources,
  );
const deployed = fixture("fb96b52/prod.json");
const exported = readDeployedState(
  readFileSync(path.join(__dirname, "fixtures", "fb96b52", "prod.export.json"), "utf8"),
  "prod.export.json",
  "prod",
);
const at7da18ff = fixture("7da18ff/prod.json");
const today = () => committedSynth("prod").resources;

/** The findings of `rules` on prod's update from what runs (fb96b52) to `head`. */
function rehearsed(head: SynthRecord[], more: Partial<RehearsalInput> = {}, rules = liveRules) {
  const input: RehearsalInput = {
    stack: "prod",
    project: { name: "eks-blueprint" },
    // Today's config: it declares game and notifications live, which no synth or export shows.
    stackConfig: committedConfig("prod"),
    head,
    base: deployed,
    ...more,
  };
  return rehearse(input, rules).findings;
}
const found = (...args: Parameters<typeof rehearsed>) =>
  rehearsed(...args).map((f) => [f.rule, f.subject]);

const GATEWAY = "kubernetes:helm.sh/v3:Release::prod-platform-addons-istio-gateway";
const withRecord = (
  records: SynthRecord[],
  key: string,
  change: (r: SynthRecord) => SynthRecord,
): SynthRecord[] => records.map((r) => (`${r.type}::${r.name}` === key ? change(r) : r));
const values = (r: SynthRecord) => r.inputs.values as Record<string, Record<string, unknown>>;

test("7da18ff's prod update: the gateway NLB, the records, the namespaces and their restrictions", () => {
  expect(found(at7da18ff)).toEqual([
    ["release-keeps-traffic-and-data", GATEWAY],
    ["existing-objects-imported", "kubernetes:core/v1:Namespace::prod-teams-ns-notifications"],
    ["existing-objects-imported", "kubernetes:core/v1:Namespace::prod-teams-ns-game"],
    ["existing-objects-imported", "aws:route53/record:Record::prod-traffic-www.example.com"],
    ["existing-objects-imported", "aws:route53/record:Record::prod-traffic-api.example.com"],
    [
      "existing-objects-imported",
      "kubernetes:core/v1:Service::prod-platform-addons-istio-gateway-service",
    ],
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-notifications"],
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-game"],
  ]);
  // The same from the state export, where the base releases list what they rendered.
  expect(found(at7da18ff, { base: exported.records, baseRendered: exported.rendered })).toEqual(
    found(at7da18ff),
  );
  // And every general node rolls: the launch template drops the stack tags (issue 25, item 6).
  expect(found(at7da18ff, {}, updateRules)).toEqual([
    ["tag-edit-rolls-nodes", "aws:ec2/launchTemplate:LaunchTemplate::prod-nodes-general"],
    ["eks-own-security-groups-kept", "eks:index:Cluster::prod-cluster"],
  ]);
});

test("today's prod updates from what runs with no finding", () => {
  expect(found(today())).toEqual([]);
  expect(found(today(), {}, updateRules)).toEqual([]);
});

test("an imported record whose alias names a Service this update creates", () => {
  const head = at7da18ff.map((r) =>
    r.type === "aws:route53/record:Record" ? { ...r, import: `Z_${String(r.inputs.name)}` } : r,
  );
  expect(found(head).filter(([, s]) => s.includes("route53"))).toEqual([
    ["existing-objects-imported", "aws:route53/record:Record::prod-traffic-www.example.com"],
    ["existing-objects-imported", "aws:route53/record:Record::prod-traffic-api.example.com"],
  ]);
});

test("a new NLB scheme replaces the gateway's load balancer; no storage spec drops Prometheus's volume", () => {
  const internal = withRecord(today(), GATEWAY, (r) => {
    const service = values(r).service as { annotations: Record<string, string> };
    const annotations = {
      ...service.annotations,
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    };
    return {
      ...r,
      inputs: { ...r.inputs, values: { ...values(r), service: { ...service, annotations } } },
    };
  });
  expect(found(internal, { base: today() })).toEqual([["release-keeps-traffic-and-data", GATEWAY]]);
  const prometheus = "kubernetes:helm.sh/v3:Release::prod-platform-addons-prometheus";
  const noStorage = withRecord(today(), prometheus, (r) => {
    const spec = { ...(values(r).prometheus.prometheusSpec as object), storageSpec: undefined };
    const v = { ...values(r), prometheus: { ...values(r).prometheus, prometheusSpec: spec } };
    return { ...r, inputs: { ...r.inputs, values: v } };
  });
  expect(found(noStorage, { base: today() })).toEqual([
    ["release-keeps-traffic-and-data", prometheus],
  ]);
});

test("a release deleted takes its carriers with it; an exported base lists them itself", () => {
  const head = today().filter((r) => `${r.type}::${r.name}` !== GATEWAY);
  expect(found(head, { base: today() })).toEqual([["release-keeps-traffic-and-data", GATEWAY]]);
  // What the release rendered, as `pulumi stack export` holds it: here it made no Service.
  const rendered = {
    [GATEWAY]: { "Deployment.apps/apps/v1": ["istio-ingress/istio-ingressgateway"] },
  };
  expect(found(head, { base: today(), baseRendered: rendered })).toEqual([]);
});

test("CRD patches without retainOnDelete stop a destroy, and an update that drops them", () => {
  const patches = (records: SynthRecord[]) =>
    records.filter((r) => r.type.endsWith("CustomResourceDefinitionPatch"));
  expect(patches(at7da18ff).length).toBeGreaterThan(0);
  expect(found(at7da18ff, { base: undefined, destroy: true, stackConfig: {} })).toEqual(
    patches(at7da18ff).map((r) => ["patch-retained-on-destroy", `${r.type}::${r.name}`]),
  );
  expect(patches(today()).every((r) => r.retainOnDelete)).toBe(true);
  const dropped = at7da18ff.filter((r) => !patches(at7da18ff).includes(r));
  expect(found(dropped, { base: at7da18ff, stackConfig: {} })).toEqual(
    patches(at7da18ff).map((r) => ["patch-retained-on-removal", `${r.type}::${r.name}`]),
  );
});

test("a live namespace goes observe, then enforce; enforce straight from what runs is refused", async () => {
  const enforce = await synthStackWith("prod", (c) => {
    const teams = c["eks-blueprint:teams"] as Record<string, TeamSpec>;
    for (const t of Object.values(teams)) {
      for (const ns of Object.values(t.namespaces)) if (ns.live) ns.live.stage = "enforce";
    }
  });
  const quotas = (r: SynthRecord[]) =>
    r.filter((x) => x.type === "kubernetes:core/v1:ResourceQuota");
  expect(quotas(today())).toEqual([]);
  expect(quotas(enforce.resources).length).toBe(2);
  expect(found(enforce.resources, { base: today() })).toEqual([]);
  expect(found(enforce.resources)).toEqual([
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-notifications"],
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-game"],
  ]);
  // An allow-all that selects no pod observes nothing.
  const narrowed = today().map((r) =>
    r.name.includes("observe-allow-all")
      ? {
          ...r,
          inputs: {
            ...r.inputs,
            spec: { ...(r.inputs.spec as object), podSelector: { matchLabels: { a: "b" } } },
          },
        }
      : r,
  );
  expect(found(enforce.resources, { base: narrowed }).sort()).toEqual([
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-game"],
    ["live-restrictions-staged", "kubernetes:core/v1:Namespace::prod-teams-ns-notifications"],
  ]);
});

test("an imported namespace is kept when the team goes; one without retainOnDelete is refused", () => {
  const gone = today().filter((r) => !r.name.startsWith("prod-teams-ns-notifications"));
  expect(found(gone, { base: today() })).toEqual([]);
  const unkept = today().map((r) => ({ ...r, retainOnDelete: undefined }));
  expect(found(gone, { base: unkept })).toEqual([
    ["adopted-namespaces-kept", "kubernetes:core/v1:Namespace::prod-teams-ns-notifications"],
  ]);
});

test("a renamed gateway Service is a new NLB", () => {
  const renamed = withRecord(today(), GATEWAY, (r) => ({
    ...r,
    inputs: { ...r.inputs, values: { ...values(r), name: "edge" } },
  }));
  expect(found(renamed, { base: today() })).toEqual([["release-keeps-traffic-and-data", GATEWAY]]);
});

test("the EBS CSI role's move to the cluster-scoped policy warns about untagged volumes", () => {
  expect(rehearsed(today(), {}, [ebsVolumesTagged]).map((f) => [f.rule, f.severity])).toEqual([
    ["ebs-volumes-tagged-for-cluster-scope", "warning"],
  ]);
  expect(rehearsed(today(), { base: today() }, [ebsVolumesTagged])).toEqual([]);
});

test("the ALB controller's move to tagged-only listener writes warns about untagged listeners", () => {
  expect(rehearsed(today(), {}, [albListenersTagged]).map((f) => [f.rule, f.severity])).toEqual([
    ["alb-listeners-tagged-for-cluster-scope", "warning"],
  ]);
  expect(rehearsed(today(), { base: today() }, [albListenersTagged])).toEqual([]);
});

test("observed, every denying policy waits for the allow-all pair, or it denies until they apply", () => {
  const raced = today().map((r) => ({
    ...r,
    dependsOn: r.dependsOn.filter((d) => !d.includes("observe-allow-all")),
  }));
  const subjects = found(raced, { base: deployed }).filter(
    ([rule]) => rule === "live-restrictions-staged",
  );
  // game's egress denials (four allows and the default deny) and the platform's ingress baseline.
  expect(subjects).toContainEqual([
    "live-restrictions-staged",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy::prod-teams-game-default-deny-egress",
  ]);
  expect(subjects).toContainEqual([
    "live-restrictions-staged",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy::prod-platform-netpol-game-default-deny-ingress",
  ]);
});
