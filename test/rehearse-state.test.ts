// The rehearsal's base from the deployed state: `pulumi stack export` read into synth records. The
// synthetic export of prod (test/fixtures/fb96b52/make-export.ts) reads back as prod.json, which is
// the proof the reader maps ResourceV3 as the synth records; small exports show what it leaves out.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { readDeployedState } from "../policy/rehearse/checkpoint";
import type { SynthRecord } from "../synth/record";
import { asRecords, rehearseStack } from "../tools/rehearse/stack";
import { committedSynth } from "../tools/jest/committed";
import { exportOf } from "./fixtures/fb96b52/make-export";

const DIR = path.join(__dirname, "fixtures", "fb96b52");
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const prodSynth = asRecords((JSON.parse(read("prod.json")) as { resources: unknown[] }).resources);
const deployed = readDeployedState(read("prod.export.json"), "prod.export.json", "prod");

const compared = (r: SynthRecord) => ({
  type: r.type,
  name: r.name,
  parent: r.parent,
  dependsOn: r.dependsOn,
  inputs: r.inputs,
  protect: r.protect,
  retainOnDelete: r.retainOnDelete,
});

test("the synthetic export of prod reads back as prod.json's records", () => {
  expect(deployed.records.map(compared)).toEqual(prodSynth.map(compared));
});

test("the committed export is what make-export.ts writes from prod.json", () => {
  expect(exportOf(read("prod.json"))).toBe(read("prod.export.json"));
});

test("rendered holds each release's resourceNames, the gateway's LoadBalancer Service among them", () => {
  expect(Object.keys(deployed.rendered)).toEqual([
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-alb-controller",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-cluster-autoscaler",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-external-dns",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-fluent-bit",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-istio-base",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-istio-gateway",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-istio-istiod",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-prometheus",
    "kubernetes:helm.sh/v3:Release::prod-platform-addons-reloader",
    "kubernetes:helm.sh/v3:Release::prod-platform-metrics-server",
  ]);
  expect(
    deployed.rendered["kubernetes:helm.sh/v3:Release::prod-platform-addons-istio-gateway"],
  ).toEqual({
    "Deployment.apps/apps/v1": ["istio-ingress/istio-ingressgateway"],
    "Service/v1": ["istio-ingress/istio-ingressgateway"],
  });
});

test("rehearsing prod from the export reports the update summary it reports from prod.json", async () => {
  const head = committedSynth("prod").resources;
  const fromState = await rehearseStack("prod", {
    base: deployed.records,
    baseRendered: deployed.rendered,
    head,
  });
  const fromSynth = await rehearseStack("prod", { base: prodSynth, head });
  expect(fromState.phases).toContain("update");
  expect(fromState.update).toEqual(fromSynth.update);
  expect(fromState.input.baseRendered).toBe(deployed.rendered);
});

const urn = (qualifiedType: string, name: string, stack = "prod") =>
  `urn:pulumi:${stack}::eks-blueprint::${qualifiedType}::${name}`;
const SIG = "4dabf18193072939515e22adb298388d";
const STACK = urn("pulumi:pulumi:Stack", "eks-blueprint-prod");
const AWS = urn("pulumi:providers:aws", "default_7_48_0");
const K8S = urn("pulumi:providers:kubernetes", "k8s");
const VPC = urn("awsx:ec2:Vpc", "net");
const ROLE = urn("aws:iam/role:Role", "role");
const exported = (deployment: Record<string, unknown>, version = 3) =>
  JSON.stringify({ version, deployment: { manifest: { version: "v3.270.0" }, ...deployment } });

test("the stack, default providers, remote components' children and pending deletes are left out", () => {
  const text = exported({
    resources: [
      { urn: STACK, custom: false, type: "pulumi:pulumi:Stack" },
      { urn: AWS, custom: true, type: "pulumi:providers:aws", inputs: { version: "7.48.0" } },
      {
        urn: urn("pulumi:providers:awsx", "default_3_9_0"),
        custom: true,
        type: "pulumi:providers:awsx",
      },
      {
        urn: VPC,
        custom: false,
        type: "awsx:ec2:Vpc",
        parent: STACK,
        protect: true,
        inputs: { cidrBlock: "10.10.0.0/16" },
      },
      {
        urn: urn("awsx:ec2:Vpc$aws:ec2/vpc:Vpc", "net"),
        custom: true,
        type: "aws:ec2/vpc:Vpc",
        parent: VPC,
      },
      // The bridge's `__defaults` names the inputs it filled: the autoname is not the program's.
      {
        urn: ROLE,
        custom: true,
        type: "aws:iam/role:Role",
        parent: STACK,
        provider: `${AWS}::0a1b`,
        retainOnDelete: true,
        inputs: { __defaults: ["name"], name: "role-4f2c1a7", path: "/" },
      },
      {
        urn: ROLE,
        custom: true,
        type: "aws:iam/role:Role",
        parent: STACK,
        delete: true,
        inputs: { path: "/old/" },
      },
      {
        urn: K8S,
        custom: true,
        type: "pulumi:providers:kubernetes",
        parent: STACK,
        inputs: {
          kubeconfig: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:AAAA" },
        },
      },
      {
        urn: urn("kubernetes:core/v1:Secret", "s"),
        custom: true,
        type: "kubernetes:core/v1:Secret",
        parent: STACK,
        provider: `${K8S}::5e6f`,
        dependencies: [ROLE],
        inputs: {
          role: { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: ROLE, id: "role-4f2c1a7" },
          stringData: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '{"a":"b"}' },
        },
      },
    ],
  });
  expect(readDeployedState(text, "f.json", "prod").records).toEqual([
    {
      type: "aws:iam/role:Role",
      name: "role",
      parent: null,
      dependsOn: [],
      inputs: { path: "/" },
      retainOnDelete: true,
    },
    {
      type: "awsx:ec2:Vpc",
      name: "net",
      parent: null,
      dependsOn: [],
      inputs: { cidrBlock: "10.10.0.0/16" },
      protect: true,
    },
    {
      type: "kubernetes:core/v1:Secret",
      name: "s",
      parent: null,
      dependsOn: ["aws:iam/role:Role::role", "pulumi:providers:kubernetes::k8s"],
      inputs: { role: "aws:iam/role:Role::role", stringData: "[secret]" },
    },
    {
      type: "pulumi:providers:kubernetes",
      name: "k8s",
      parent: null,
      dependsOn: [],
      inputs: { kubeconfig: "[secret]" },
    },
  ]);
});

const MAKE = "make it with `pulumi stack export --stack prod --file f.json`";
test.each([
  [
    "text that is not JSON",
    "<html>502 Bad Gateway</html>",
    `f.json: not JSON (begins "<html>502 Bad Gatewa"), where a \`pulumi stack export\` file is expected; ${MAKE}`,
  ],
  [
    "a synth JSON",
    JSON.stringify({ stack: "prod", resources: [] }),
    `f.json: not a \`pulumi stack export\` file (found keys stack, resources, the shape of a synth, which --base reads; expected version and deployment.manifest); ${MAKE}`,
  ],
  [
    "version 4, written only for state using newer features,",
    JSON.stringify({ version: 4, features: ["taint"], deployment: { manifest: {} } }),
    `f.json: checkpoint version 4, where version 3 is expected (features: taint, which the rehearsal does not read); ${MAKE} once none is in use`,
  ],
  [
    "version 2",
    exported({}, 2),
    `f.json: checkpoint version 2, where version 3 is expected; ${MAKE} with a current Pulumi CLI`,
  ],
  [
    "an interrupted deploy",
    exported({ pending_operations: [{ type: "creating", resource: { urn: ROLE } }] }),
    "f.json: a deploy of prod was interrupted: 1 pending operation(s) (creating aws:iam/role:Role::role), where none are expected. " +
      "Check in AWS and the cluster whether each finished, then run `pulumi refresh --stack prod` (pending creates: " +
      "`--import-pending-creates <urn> <id>` or `--clear-pending-creates`; `pulumi cancel` first if the update still holds the stack; " +
      `https://www.pulumi.com/docs/iac/operations/troubleshooting/interrupted-updates/), and ${MAKE}`,
  ],
  [
    "another stack's state",
    exported({
      resources: [
        {
          urn: urn("pulumi:pulumi:Stack", "eks-blueprint-prod2", "prod2"),
          custom: false,
          type: "pulumi:pulumi:Stack",
        },
      ],
    }),
    `f.json: holds stack prod2's state, where prod's is expected; ${MAKE}`,
  ],
])("%s is refused", (_, text, message) => {
  expect(() => readDeployedState(text, "f.json", "prod")).toThrow(new Error(message));
});
