// tools/pr-diff's Helm render: the manifest diff and its flags on manifests written here, the
// `helm template` arguments, and the section with and without helm (a stand-in runs instead).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { toolSection } from "../tools/pr-diff/comment";
import { flagsOf } from "../tools/pr-diff/flags";
import { helmRenderBody } from "../tools/pr-diff/helm-markdown";
import {
  HELM_SECTION,
  type HelmSectionContext,
  type ToolRunner,
} from "../tools/pr-diff/helm-section";
import { diffManifests, parseManifests } from "../tools/pr-diff/manifests";
import { helmRelease } from "../policy/shapes";
import {
  apiVersionsOf,
  changedReleases,
  helmTemplateArgs,
  type KindFacts,
  kubeVersionOf,
} from "../tools/pr-diff/render";

const CLUSTER_KINDS = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
]);
const kinds: KindFacts = {
  clusterScoped: (_apiVersion, kind) => CLUSTER_KINDS.has(kind),
  customKindOf: (type) => {
    const m = /^kubernetes:([^/]+\.[^/]+)\/([^:]+):(.+)$/.exec(type);
    return m && m[1] !== "helm.sh" && !m[1].endsWith("k8s.io")
      ? { apiVersion: `${m[1]}/${m[2]}`, kind: m[3] }
      : undefined;
  },
  installedKinds: (r) =>
    r.chart === "kube-prometheus-stack"
      ? [{ group: "monitoring.coreos.com", kind: "ServiceMonitor" }]
      : [],
};
const parse = (yaml: string) => parseManifests(yaml, "apps", kinds.clusterScoped);

test("a rendered stream is its objects, namespaced in the release's namespace unless set", () => {
  const objects = parse(`# Source: chart/templates/ns.yaml
---
apiVersion: v1
kind: Namespace
metadata: { name: team }
---
# Source: chart/templates/empty.yaml
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { a: "1" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: team }
`);
  expect(objects.map(({ kind, namespace, name }) => [kind, namespace, name])).toEqual([
    ["Namespace", "", "team"],
    ["ConfigMap", "apps", "settings"],
    ["ConfigMap", "team", "settings"],
  ]);
});

test.each([
  ["kind: [", "not YAML: "],
  [
    "apiVersion: v1\nkind: ConfigMap\ndata: {}",
    'an object without apiVersion, kind or metadata.name: {"apiVersion":"v1","kind":"ConfigMap","data":{}}',
  ],
])("%j is refused", (yaml, message) => {
  expect(() => parse(yaml)).toThrow(message);
});

const doc = (kind: string, name: string, body: object, apiVersion = "v1") =>
  JSON.stringify({ apiVersion, kind, metadata: { name }, ...body });
const diffOf = (base: string[], head: string[]) =>
  diffManifests(parse(base.join("\n---\n")), parse(head.join("\n---\n")));

test("objects match by kind, namespace and name; a change lists the leaf paths that differ", () => {
  const diff = diffOf(
    [doc("ConfigMap", "a", { data: { x: "1", y: "2" } }), doc("Secret", "old", {})],
    [doc("ConfigMap", "a", { data: { x: "1", y: "3", z: "4" } }), doc("Secret", "new", {})],
  );
  expect({
    added: diff.added.map((o) => o.name),
    removed: diff.removed.map((o) => o.name),
    changed: diff.changed.map((c) => [c.after.name, c.paths]),
  }).toEqual({ added: ["new"], removed: ["old"], changed: [["a", ["data.y", "data.z"]]] });
});

const lb = (type: string, extra: object = {}) => doc("Service", "gw", { spec: { type, ...extra } });
const sts = (spec: object) => doc("StatefulSet", "db", { spec }, "apps/v1");
const claim = (spec: object) => doc("PersistentVolumeClaim", "data", { spec });
const crd = (scope: string) =>
  doc(
    "CustomResourceDefinition",
    "things.example.com",
    { spec: { group: "example.com", scope } },
    "apiextensions.k8s.io/v1",
  );
const ingress = (group: string) =>
  JSON.stringify({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "web", annotations: { "alb.ingress.kubernetes.io/group.name": group } },
  });
const templates = [{ metadata: { name: "data" } }];

const keep = { "helm.sh/resource-policy": "keep" };
const kept = JSON.stringify({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "things.example.com", annotations: keep },
});
const admission = "admissionregistration.k8s.io/v1";
const GONE: string[] = [];

test.each`
  what                                               | base                                                           | head                                                    | flagged
  ${"a LoadBalancer Service deleted"}                | ${[lb("LoadBalancer")]}                                        | ${GONE}                                                 | ${"Service apps/gw deleted"}
  ${"a ClusterIP Service deleted"}                   | ${[lb("ClusterIP")]}                                           | ${GONE}                                                 | ${""}
  ${"a Service leaving type LoadBalancer"}           | ${[lb("LoadBalancer")]}                                        | ${[lb("ClusterIP")]}                                    | ${"Service apps/gw replaced"}
  ${"a LoadBalancer Service's class"}                | ${[lb("LoadBalancer", { loadBalancerClass: "a" })]}            | ${[lb("LoadBalancer", { loadBalancerClass: "b" })]}     | ${"Service apps/gw replaced"}
  ${"an Ingress deleted"}                            | ${[ingress("web")]}                                            | ${GONE}                                                 | ${"Ingress apps/web deleted"}
  ${"an Ingress moving IngressGroup"}                | ${[ingress("web")]}                                            | ${[ingress("shared")]}                                  | ${"Ingress apps/web replaced"}
  ${"a PVC deleted"}                                 | ${[claim({})]}                                                 | ${GONE}                                                 | ${"PersistentVolumeClaim apps/data deleted"}
  ${"a PVC's storage class"}                         | ${[claim({ storageClassName: "gp2" })]}                        | ${[claim({ storageClassName: "gp3" })]}                 | ${"PersistentVolumeClaim apps/data replaced"}
  ${"a PVC's requested size"}                        | ${[claim({ resources: { requests: { storage: 1 } } })]}        | ${[claim({ resources: { requests: { storage: 2 } } })]} | ${""}
  ${"a StatefulSet with claim templates deleted"}    | ${[sts({ volumeClaimTemplates: templates })]}                  | ${GONE}                                                 | ${"StatefulSet apps/db deleted"}
  ${"a StatefulSet without claim templates deleted"} | ${[sts({})]}                                                   | ${GONE}                                                 | ${""}
  ${"a StatefulSet's claim templates"}               | ${[sts({ volumeClaimTemplates: templates })]}                  | ${[sts({ volumeClaimTemplates: [] })]}                  | ${"StatefulSet apps/db replaced"}
  ${"a StatefulSet's selector"}                      | ${[sts({ selector: { matchLabels: { a: "1" } } })]}            | ${[sts({ selector: { matchLabels: { a: "2" } } })]}     | ${"StatefulSet apps/db replaced"}
  ${"a StatefulSet's pod template"}                  | ${[sts({ template: { metadata: { name: "1" } } })]}            | ${[sts({ template: { metadata: { name: "2" } } })]}     | ${""}
  ${"a CRD deleted"}                                 | ${[crd("Namespaced")]}                                         | ${GONE}                                                 | ${"CustomResourceDefinition things.example.com deleted"}
  ${"a CRD's scope"}                                 | ${[crd("Namespaced")]}                                         | ${[crd("Cluster")]}                                     | ${"CustomResourceDefinition things.example.com replaced"}
  ${"a CRD Helm keeps, removed"}                     | ${[kept]}                                                      | ${GONE}                                                 | ${"CustomResourceDefinition things.example.com left in place"}
  ${"a Namespace deleted"}                           | ${[doc("Namespace", "team", {})]}                              | ${GONE}                                                 | ${"Namespace team deleted"}
  ${"a ValidatingWebhookConfiguration deleted"}      | ${[doc("ValidatingWebhookConfiguration", "v", {}, admission)]} | ${GONE}                                                 | ${"ValidatingWebhookConfiguration v deleted"}
  ${"a MutatingWebhookConfiguration deleted"}        | ${[doc("MutatingWebhookConfiguration", "m", {}, admission)]}   | ${GONE}                                                 | ${"MutatingWebhookConfiguration m deleted"}
  ${"a Deployment deleted"}                          | ${[doc("Deployment", "api", {}, "apps/v1")]}                   | ${GONE}                                                 | ${""}
`(
  "flags: $what",
  ({ base, head, flagged }: { base: string[]; head: string[]; flagged: string }) => {
    const flags = flagsOf(diffOf(base, head)).map((f) => `${f.object} ${f.effect}`);
    expect(flags.join("; ")).toBe(flagged);
  },
);

test("each flag says what is lost and cites where that is read", () => {
  expect(flagsOf(diffOf([lb("LoadBalancer")], [lb("NodePort")]))).toEqual([
    {
      object: "Service apps/gw",
      effect: "replaced",
      why: 'leaves type LoadBalancer (now "NodePort"): its cloud load balancer is deleted',
      source:
        "https://github.com/kubernetes/cloud-provider/blob/master/controllers/service/controller.go",
    },
  ]);
});

const RELEASE = "kubernetes:helm.sh/v3:Release";
const record = (type: string, name: string, inputs: Record<string, unknown>) => ({
  type,
  name,
  parent: null,
  inputs,
});
const release = (name: string, inputs: Record<string, unknown>) => record(RELEASE, name, inputs);
const gateway = (version: string, type: string) =>
  release("prod-gateway", {
    chart: "gateway",
    version,
    repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
    name: "istio-ingressgateway",
    namespace: "istio-ingress",
    values: { service: { type } },
  });
const prometheus = release("prod-prometheus", {
  chart: "kube-prometheus-stack",
  version: "88.5.3",
  namespace: "monitoring",
  skipCrds: false,
});
const cluster = (version: string) => record("eks:index:Cluster", "prod-eks", { version });
const crdPatch = record(
  "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch",
  "prod-tgb",
  {
    spec: {
      group: "elbv2.k8s.aws",
      names: { kind: "TargetGroupBinding" },
      versions: [{ name: "v1alpha1", served: false }, { name: "v1beta1" }],
    },
  },
);
const rule = record("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "prod-rules", {});

test("a release counts as changed by its render inputs, or by being on one side only", () => {
  const renamed = { ...prometheus, inputs: { ...prometheus.inputs, skipCrds: true } };
  const changes = changedReleases(
    [
      gateway("1.30.3", "LoadBalancer"),
      prometheus,
      release("prod-old", { chart: "old" }),
      cluster("1.34"),
    ],
    [
      gateway("1.30.3", "LoadBalancer"),
      renamed,
      release("prod-new", { chart: "new" }),
      cluster("1.35"),
    ],
  );
  expect(changes.map((c) => [c.key, !!c.base, !!c.head])).toEqual([
    [`${RELEASE}::prod-new`, false, true],
    [`${RELEASE}::prod-old`, true, false],
    [`${RELEASE}::prod-prometheus`, true, true],
  ]);
});

test("the cluster's version and the stack's CRD API versions are what helm renders for", () => {
  expect(kubeVersionOf([cluster("1.35")])).toBe("1.35");
  expect(apiVersionsOf([crdPatch, rule, prometheus, gateway("1", "x")], kinds)).toEqual({
    apiVersions: [
      "elbv2.k8s.aws/v1beta1",
      "elbv2.k8s.aws/v1beta1/TargetGroupBinding",
      "monitoring.coreos.com/v1",
      "monitoring.coreos.com/v1/PrometheusRule",
    ],
    unversioned: [],
  });
  expect(apiVersionsOf([prometheus], kinds)).toEqual({
    apiVersions: [],
    unversioned: ["monitoring.coreos.com"],
  });
});

const karpenter = release("prod-karpenter", {
  chart: "oci://public.ecr.aws/karpenter/karpenter",
  version: "1.8.0",
  namespace: "karpenter",
  skipCrds: true,
});
test.each([
  [
    "a classic chart",
    gateway("1.31.0", "ClusterIP"),
    "template istio-ingressgateway gateway --repo https://istio-release.storage.googleapis.com/charts --version 1.31.0 --namespace istio-ingress --values v.json --kube-version 1.35 --api-versions a.io/v1 --api-versions a.io/v1/A --skip-tests --is-upgrade",
  ],
  [
    "an OCI chart that skips its CRDs",
    karpenter,
    "template prod-karpenter oci://public.ecr.aws/karpenter/karpenter --version 1.8.0 --namespace karpenter --values v.json --kube-version 1.35 --api-versions a.io/v1 --api-versions a.io/v1/A --skip-crds --skip-tests --is-upgrade",
  ],
])("helm template arguments for %s", (_what, record, args) => {
  const target = { kubeVersion: "1.35", apiVersions: ["a.io/v1", "a.io/v1/A"] };
  expect(helmTemplateArgs(helmRelease(record), target, "v.json")).toEqual(args.split(" "));
});

const SERVICE = (type: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: istio-ingressgateway }\nspec: { type: ${type} }\n`;
const DEPLOYMENT = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: istio-ingressgateway }\nspec: { template: { spec: { containers: [{ name: proxy, image: "${image}" }] } } }\n`;
/** What the stand-in helm prints for `<release>@<version>`; any other render fails. */
const RENDERS: Record<string, string> = {
  "istio-ingressgateway@1.30.3": `---\n# Source: gateway/templates/service.yaml\n${SERVICE("LoadBalancer")}---\n${DEPLOYMENT("proxyv2:1.30.3")}`,
  "istio-ingressgateway@1.31.0": `${SERVICE("ClusterIP")}---\n${DEPLOYMENT("proxyv2:1.31.0")}`,
};

describe("the Helm render section", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-diff-render-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const calls: string[][] = [];
  const runTool: ToolRunner = async (command, args) => {
    calls.push([command, ...args]);
    const out = RENDERS[`${args[1]}@${args[args.indexOf("--version") + 1]}`];
    return out
      ? { code: 0, stdout: out, stderr: "" }
      : { code: 1, stdout: "", stderr: `Error: chart "${args[2]}" not found in repository` };
  };
  const context = (base: object[], head: object[]): HelmSectionContext => {
    const write = (side: string, resources: object[]) => {
      const file = path.join(dir, `${side}.json`);
      fs.writeFileSync(file, JSON.stringify({ stack: "prod", resources }));
      return file;
    };
    return {
      baseFile: write("base", base),
      headFile: write("head", head),
      workDir: path.join(dir, "work"),
      runTool,
      kinds,
    };
  };
  const base = [cluster("1.34"), crdPatch, gateway("1.30.3", "LoadBalancer"), prometheus];
  const head = [
    cluster("1.35"),
    crdPatch,
    gateway("1.31.0", "ClusterIP"),
    prometheus,
    release("prod-reloader", {
      chart: "reloader",
      name: "reloader",
      version: "2.2.12",
      namespace: "reloader",
      values: { a: 1 },
    }),
  ];

  test("without helm it is skipped, naming the tool", async () => {
    expect(await toolSection(HELM_SECTION, () => false, context(base, head))).toEqual({
      title: "Helm render (base → head)",
      result: { skipped: "`helm` is not installed here (not found on PATH)" },
    });
  });

  let section: Awaited<ReturnType<typeof toolSection>>;
  beforeAll(async () => {
    section = await toolSection(HELM_SECTION, () => true, context(base, head));
  });

  test("flagged objects come first, then each release's objects; a failed render is shown", () => {
    expect(section.result).toEqual({
      body: `**2 releases changed, 1 object flagged, 1 release not rendered.**

> [!CAUTION]
> **Deleted, replaced or left behind in the cluster:**
> - \`Service istio-ingress/istio-ingressgateway\` of \`istio-ingressgateway\` **replaced**: leaves type LoadBalancer (now "ClusterIP"): its cloud load balancer is deleted ([source](https://github.com/kubernetes/cloud-provider/blob/master/controllers/service/controller.go))

_No synth record gives an API version of \`monitoring.coreos.com\`, which a release installs: an object a chart renders only where that API exists is missing from both renders._

**\`istio-ingressgateway\`** in \`istio-ingress\` (\`gateway\` 1.30.3 → 1.31.0): 0 added, 0 removed, 2 changed
- changed \`Deployment istio-ingress/istio-ingressgateway\`: \`spec.template.spec.containers[0].image\`
- changed \`Service istio-ingress/istio-ingressgateway\`: \`spec.type\`

**\`reloader\`** in \`reloader\` (new, \`reloader\` 2.2.12): the head render failed:

\`\`\`
exit 1: Error: chart "reloader" not found in repository
\`\`\``,
    });
  });

  test("each side renders with its own cluster version and CRDs, and the release's values", () => {
    const work = path.join(dir, "work");
    const values = (side: string) =>
      path.join(work, `${side}-kubernetes_helm.sh_v3_Release_prod-gateway.values.json`);
    const gatewayArgs = (side: string, version: string, kube: string) =>
      `helm template istio-ingressgateway gateway --repo https://istio-release.storage.googleapis.com/charts --version ${version} --namespace istio-ingress --values ${values(side)} --kube-version ${kube} --api-versions elbv2.k8s.aws/v1beta1 --api-versions elbv2.k8s.aws/v1beta1/TargetGroupBinding --skip-tests --is-upgrade`.split(
        " ",
      );
    expect(calls.slice(0, 2)).toEqual([
      gatewayArgs("base", "1.30.3", "1.34"),
      gatewayArgs("head", "1.31.0", "1.35"),
    ]);
    expect(fs.readFileSync(values("head"), "utf8")).toBe('{"service":{"type":"ClusterIP"}}\n');
  });

  test("with no release changed, helm does not run", async () => {
    const before = calls.length;
    expect(await HELM_SECTION.run(context(base, base))).toEqual({
      body: "No Helm release changes its chart, version, repository, values, name, namespace or skipCrds.",
    });
    expect(calls.length).toBe(before);
  });
});

test("a release's objects are listed up to 30, and a long section is cut at a line end", () => {
  const maps = Array.from({ length: 32 }, (_, i) => doc("ConfigMap", `c${i + 10}`, {}));
  const change = {
    key: "r",
    head: helmRelease(release("prod-big", { chart: "big", name: "big" })),
  };
  const renders = [{ change, head: { objects: parse(maps.join("\n---\n")) } }];
  const body = helmRenderBody(renders, []);
  expect(body.split("\n").slice(2, 4).concat(body.split("\n").slice(-2))).toEqual([
    "**`big`** in `default` (new, `big` (newest)): 32 added, 0 removed, 0 changed",
    "- added `ConfigMap apps/c10`",
    "- added `ConfigMap apps/c39`",
    "- … and 2 more",
  ]);
  const cut = helmRenderBody(renders, [], 250);
  expect(cut.length).toBeLessThanOrEqual(250);
  expect(cut).toBe(`**1 release changed, 0 objects flagged.**

**\`big\`** in \`default\` (new, \`big\` (newest)): 32 added, 0 removed, 0 changed
- added \`ConfigMap apps/c10\`

_… truncated: the section has ${body.length} characters; run \`npm run pr-diff -- <base>\` for all of it._`);
});

test("a new NLB scheme on a LoadBalancer Service is flagged as a new load balancer", () => {
  const svc = (scheme: string) => `apiVersion: v1
kind: Service
metadata:
  name: gw
  namespace: istio-ingress
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-scheme: ${scheme}
spec:
  type: LoadBalancer
`;
  const flags = flagsOf(diffManifests(parse(svc("internet-facing")), parse(svc("internal"))));
  expect(flags.map((f) => [f.object, f.effect])).toEqual([
    ["Service istio-ingress/gw", "replaced"],
  ]);
});

test("a release under a new name or namespace is flagged as replaced: Helm uninstalls the old one", () => {
  const change = {
    key: "r",
    base: helmRelease(release("prod-gw", { chart: "gateway", name: "gw", namespace: "a" })),
    head: helmRelease(release("prod-gw", { chart: "gateway", name: "gw", namespace: "b" })),
  };
  const body = helmRenderBody([{ change, base: { objects: [] }, head: { objects: [] } }], []);
  expect(body).toContain("> - release `a/gw` **replaced** by `b/gw`: Helm uninstalls it");
});
