// What the API server refuses: an object in a namespace that does not exist yet, or not matching
// its kind's schema. (Custom resources without their CRD: ./crds.ts.)
import * as fs from "node:fs";
import * as path from "node:path";
import { eksCrds, chartCrds } from "../../../components/addons/chart-crds";
import { kubeMeta, REDACTED, type SynthRecord, recordKey } from "../../../synth/record";
import { ResourceGraph } from "../graph";
import { EKS_SYSTEM_NAMESPACES } from "../../../components/teams/namespace";
import { str, stringLeaves } from "../../values";
import { defineRule, type Finding, type Rule } from "../types";
import { HELM_RELEASE } from "../../shapes";

/** A record's Kubernetes identity, from its type token `kubernetes:<group>/<version>:<Kind>`. */
export interface KubeKind {
  /** "" for the core group (Pulumi's `core`). */
  group: string;
  version: string;
  kind: string;
  /** `v1`, `apps/v1`, `karpenter.sh/v1`. */
  apiVersion: string;
}

/** Pulumi's Helm, YAML and kustomize wrappers: no API objects. */
const NOT_API_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

export function kubeKindOf(type: string): KubeKind | undefined {
  const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!m || NOT_API_GROUPS.has(m[1])) return undefined;
  const group = m[1] === "core" ? "" : m[1];
  return { group, version: m[2], kind: m[3], apiVersion: group ? `${group}/${m[2]}` : m[2] };
}

/** API groups served without a CRD (https://kubernetes.io/docs/reference/kubernetes-api/). */
export const BUILT_IN_GROUPS = new Set([
  "",
  ...`admissionregistration.k8s.io apiextensions.k8s.io apiregistration.k8s.io apps
    authentication.k8s.io authorization.k8s.io autoscaling batch certificates.k8s.io
    coordination.k8s.io discovery.k8s.io events.k8s.io extensions flowcontrol.apiserver.k8s.io
    networking.k8s.io node.k8s.io policy rbac.authorization.k8s.io resource.k8s.io
    scheduling.k8s.io storage.k8s.io`.split(/\s+/),
]);

/**
 * Cluster-scoped built-in kinds (`kubectl api-resources --namespaced=false`;
 * https://kubernetes.io/docs/reference/kubernetes-api/); custom kinds' scopes come from their CRDs.
 */
export const CLUSTER_SCOPED_BUILT_IN = new Set(
  `Namespace Node PersistentVolume ComponentStatus ClusterRole ClusterRoleBinding StorageClass
  CSIDriver CSINode VolumeAttachment VolumeAttributesClass CustomResourceDefinition
  MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy
  ValidatingAdmissionPolicyBinding MutatingAdmissionPolicy MutatingAdmissionPolicyBinding
  APIService PriorityClass RuntimeClass IngressClass IPAddress ServiceCIDR FlowSchema
  PriorityLevelConfiguration CertificateSigningRequest ClusterTrustBundle DeviceClass
  ResourceSlice`.split(/\s+/),
);

const customScopes = new Map<string, "Namespaced" | "Cluster">(
  [...Object.values(chartCrds).flatMap((f) => f.kinds), ...eksCrds].map((k) => [
    `${k.group}/${k.kind}`,
    k.scope,
  ]),
);

/** A Patch resource has its kind's scope. */
export function isClusterScoped(k: KubeKind): boolean {
  const kind = k.kind.replace(/Patch$/, "");
  if (BUILT_IN_GROUPS.has(k.group)) return CLUSTER_SCOPED_BUILT_IN.has(kind);
  return customScopes.get(`${k.group}/${kind}`) === "Cluster";
}

/** The four namespaces every cluster starts with. */
export const INITIAL_NAMESPACES: ReadonlySet<string> = new Set(EKS_SYSTEM_NAMESPACES);

/** undefined for a cluster-scoped object. */
export function namespaceOf(r: SynthRecord, graph: ResourceGraph): string | undefined {
  if (r.type === HELM_RELEASE) return str(r.inputs.namespace) ?? "default";
  const k = kubeKindOf(r.type);
  if (!k || isClusterScoped(k)) return undefined;
  // Without metadata.namespace the provider's `namespace` applies (default: "default").
  const provider = r.dependsOn
    .map((d) => graph.get(d))
    .find((d) => d?.type === "pulumi:providers:kubernetes");
  return kubeMeta(r).namespace ?? str(provider?.inputs.namespace) ?? "default";
}

export const namespaceExists = defineRule({
  id: "k8s-namespace-exists",
  phase: "create",
  title: "a namespaced object can only be created in a namespace that exists",
  source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
  smokeCheck: "pulumi-up-succeeds",
  check({ head }) {
    const graph = new ResourceGraph(head);
    const namespaces = head.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    const findings: Omit<Finding, "rule">[] = [];
    for (const r of head) {
      const ns = namespaceOf(r, graph);
      if (ns === undefined || ns === REDACTED || INITIAL_NAMESPACES.has(ns)) continue;
      if (r.type === HELM_RELEASE && r.inputs.createNamespace === true) continue;
      const creators = namespaces.filter((n) => kubeMeta(n).name === ns).map(recordKey);
      if (creators.some((c) => graph.waitsFor(recordKey(r), c))) continue;
      findings.push({
        subject: recordKey(r),
        message:
          creators.length === 0
            ? `namespace: no Namespace in the stack creates it (got ${JSON.stringify(ns)}); the API server answers namespaces "${ns}" not found: declare it (workloadNamespaces) or use one that exists`
            : `namespace: created by ${creators.join(", ")}, which this object does not wait for (got ${JSON.stringify(ns)}); depend on the Namespace resource (use its metadata.name)`,
      });
    }
    return findings;
  },
});

/** First match wins. */
const MODEL_PACKAGES = [
  "kubernetes-models",
  "@kubernetes-models/karpenter",
  "@kubernetes-models/istio",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/external-secrets",
];

const nodeModules = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "node_modules", "kubernetes-models", "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return path.join(dir, "node_modules");
})();

/** The kubernetes-models module for a kind, if an installed package models it. */
export function modelFileFor(k: KubeKind): string | undefined {
  if (!nodeModules || k.kind.endsWith("Patch")) return undefined;
  return MODEL_PACKAGES.map((p) => path.join(nodeModules, p, k.apiVersion, `${k.kind}.js`)).find(
    (f) => fs.existsSync(f),
  );
}

interface SchemaError {
  instancePath: string;
  message: string;
  params?: { allowedValues?: unknown[]; missingProperty?: string; type?: string };
}

type Model = { kind: string; apiVersion: string; new (object: unknown): { validate(): void } };

/**
 * The schema errors of `object` by the kubernetes-models class in `file` (none if it models no
 * such kind). The packages are ES modules without top-level await, which Node's `require` loads
 * (Node >= 22.12; nodejs.org/api/modules.html#loading-ecmascript-modules-using-require).
 */
function schemaErrors(file: string, kind: string, apiVersion: string, object: unknown) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = Object.values(require(file) as Record<string, unknown>);
  const model = exports.find(
    (c): c is Model =>
      typeof c === "function" &&
      (c as Partial<Model>).kind === kind &&
      (c as Partial<Model>).apiVersion === apiVersion,
  );
  if (!model) return [];
  try {
    new model(object).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: SchemaError[] }).errors;
    return errors ?? [{ instancePath: "", message: String((e as Error).message) }];
  }
}

/** `type::name`, as the synth renders a resource passed as an input. */
const RESOURCE_REF = /^[a-z][\w-]*:[\w./-]*:[\w.-]+::\S+$/i;

/**
 * JSON pointers of synth stand-ins (secrets, `type::name` references): the real value has the
 * schema's type, so errors at or under these are dropped.
 */
export const placeholderPaths = (value: unknown): string[] =>
  stringLeaves(value, true)
    .filter(([, s]) => s === REDACTED || RESOURCE_REF.test(s))
    .map(([pointer]) => pointer);

const at = (obj: unknown, pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);

const dotted = (pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("") || "(object)";

function schemaMessage(e: SchemaError, object: unknown, schemaOf: string): string {
  const p = e.params ?? {};
  const valid = p.allowedValues
    ? `one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`
    : p.missingProperty
      ? `set ${p.missingProperty}`
      : p.type
        ? `a value of type ${p.type}`
        : `see the ${schemaOf} schema`;
  return `${dotted(e.instancePath)}: ${e.message} (got ${JSON.stringify(at(object, e.instancePath)) ?? "nothing"}); ${valid}`;
}

export const objectSchema = defineRule({
  id: "k8s-object-schema",
  phase: "create",
  title: "the API server rejects an object that does not match its kind's OpenAPI schema",
  source:
    "https://github.com/tommy351/kubernetes-models-ts (kubernetes-models 5.1.0, @kubernetes-models/karpenter 2.0.0, @kubernetes-models/istio 3.0.1)",
  smokeCheck: "pulumi-up-succeeds",
  check({ head }) {
    return head.flatMap((r) => {
      const k = kubeKindOf(r.type);
      const file = k && modelFileFor(k);
      if (!k || !file) return [];
      const { apiVersion, kind } = k;
      const object = { ...r.inputs, apiVersion, kind };
      const stand = placeholderPaths(object);
      return schemaErrors(file, kind, apiVersion, object)
        .filter(
          (e) => !stand.some((s) => e.instancePath === s || e.instancePath.startsWith(`${s}/`)),
        )
        .map((e) => ({
          subject: recordKey(r),
          message: schemaMessage(e, object, `${apiVersion} ${kind}`),
        }));
    });
  },
});

export const kubernetesRules: Rule[] = [namespaceExists, objectSchema];
