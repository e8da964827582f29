// The rendered changes a reviewer must not miss: objects whose deletion or replacement loses a load
// balancer, data, custom resources or admission control. Each rule cites where its fact is read.
import { valueAt } from "../../components/addons/values";
import { type KubeObject, type ManifestDiff, objectKey } from "./manifests";

/** One flagged object of a release's render. */
export interface Flag {
  /** {@link objectKey} of the object. */
  object: string;
  effect: "deleted" | "replaced" | "left in place";
  why: string;
  source: string;
}

/** A field change that makes the API server refuse the update, or a controller recreate. */
interface Immutable {
  why: (before: KubeObject, after: KubeObject, paths: string[]) => string | undefined;
  source: string;
}

interface Watched {
  kind: string;
  /** Which objects of the kind are flagged when deleted. @default all */
  when?: (o: KubeObject) => boolean;
  /** What deleting it does. */
  deleted: string;
  source: string;
  immutable?: Immutable[];
}

const K8S = "https://github.com/kubernetes/kubernetes/blob/master";
const isLoadBalancer = (o: KubeObject) => valueAt(o.body, "spec", "type") === "LoadBalancer";
const GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name";
const INGRESS_GROUPS =
  "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#ingressgroup";

/** The changed paths at or under `prefix`, as flattenInputs writes them. */
const under = (paths: string[], prefix: string) =>
  paths.filter((p) => p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`));

/** A check naming those of `fields` that changed, and `what` that means for the object. */
const fieldsImmutable = (fields: string[], what: string, source: string): Immutable => ({
  why: (_b, _a, paths) => {
    const hit = fields.filter((f) => under(paths, f).length > 0);
    return hit.length ? `${hit.map((f) => `\`${f}\``).join(", ")} changed: ${what}` : undefined;
  },
  source,
});

const WATCHED: Watched[] = [
  {
    kind: "Service",
    when: isLoadBalancer,
    deleted: "its cloud load balancer is deleted, and the address DNS points at with it",
    source: "https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer",
    immutable: [
      {
        // The service controller cleans up the load balancer of a Service that no longer wants one.
        why: (b, a) =>
          isLoadBalancer(b) && !isLoadBalancer(a)
            ? `leaves type LoadBalancer (now ${JSON.stringify(valueAt(a.body, "spec", "type") ?? "ClusterIP")}): its cloud load balancer is deleted`
            : undefined,
        source:
          "https://github.com/kubernetes/cloud-provider/blob/master/controllers/service/controller.go",
      },
      fieldsImmutable(
        ["type", "scheme"].map(
          (a) =>
            `metadata.annotations[${JSON.stringify(`service.beta.kubernetes.io/aws-load-balancer-${a}`)}]`,
        ),
        "the AWS Load Balancer Controller makes a new NLB, with a new DNS name, and deletes the old one",
        "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/pkg/deploy/elbv2/load_balancer_synthesizer.go",
      ),
      fieldsImmutable(
        ["spec.loadBalancerClass"],
        "it may not change once set, so the upgrade fails until the Service is recreated with a new load balancer",
        `${K8S}/pkg/apis/core/validation/validation.go`,
      ),
    ],
  },
  {
    kind: "Ingress",
    deleted: "the AWS Load Balancer Controller deletes its ALB, or its rules in a shared group",
    source: INGRESS_GROUPS,
    immutable: [
      fieldsImmutable(
        [`metadata.annotations[${JSON.stringify(GROUP_ANNOTATION)}]`],
        "it moves to another IngressGroup, whose ALB is another load balancer; a group left empty loses its ALB",
        INGRESS_GROUPS,
      ),
    ],
  },
  {
    kind: "PersistentVolumeClaim",
    deleted:
      "its volume goes too where the reclaim policy is Delete, the default for dynamic volumes",
    source: "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#delete",
    immutable: [
      {
        // ValidatePersistentVolumeClaimUpdate: only these may change on a bound claim.
        why: (_b, _a, paths) =>
          under(paths, "spec").some(
            (p) =>
              under([p], "spec.resources.requests").length === 0 &&
              under([p], "spec.volumeAttributesClassName").length === 0,
          )
            ? "its spec is immutable after creation (but resources.requests and volumeAttributesClassName): the upgrade fails until the claim, and its data, is recreated"
            : undefined,
        source: `${K8S}/pkg/apis/core/validation/validation.go`,
      },
    ],
  },
  {
    kind: "StatefulSet",
    when: (o) => Array.isArray(valueAt(o.body, "spec", "volumeClaimTemplates")),
    deleted:
      "its pods stop; their claims stay unless persistentVolumeClaimRetentionPolicy deletes them",
    source:
      "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention",
    immutable: [
      fieldsImmutable(
        [
          "spec.selector",
          "spec.volumeClaimTemplates",
          "spec.serviceName",
          "spec.podManagementPolicy",
        ],
        "immutable, so the API server refuses the upgrade until the StatefulSet is deleted and recreated",
        `${K8S}/pkg/apis/apps/validation/validation.go`,
      ),
    ],
  },
  {
    kind: "CustomResourceDefinition",
    deleted: "every custom resource of it is deleted with it",
    source:
      "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition",
    immutable: [
      fieldsImmutable(
        ["spec.group", "spec.names.plural", "spec.scope", "spec.names.kind"],
        "immutable once established (the storage depends on them), so the API server refuses the change",
        "https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go",
      ),
    ],
  },
  {
    kind: "Namespace",
    deleted: "everything in it is deleted with it",
    source: "https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace",
  },
  ...["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"].map((kind) => ({
    kind,
    deleted:
      "its webhooks stop admitting requests, and the checks or defaults they applied with them",
    source:
      "https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/",
  })),
];

const KEEP = "helm.sh/resource-policy";
const KEPT_SOURCE =
  "https://helm.sh/docs/howto/charts_tips_and_tricks/#tell-helm-not-to-uninstall-a-resource";

/** The deletions and replacements in one release's render diff that lose something. */
export function flagsOf(diff: ManifestDiff): Flag[] {
  const flags: Flag[] = [];
  for (const o of diff.removed) {
    const w = WATCHED.find((x) => x.kind === o.kind && (x.when?.(o) ?? true));
    if (!w) continue;
    const kept = valueAt(o.body, "metadata", "annotations", KEEP) === "keep";
    flags.push(
      kept
        ? {
            object: objectKey(o),
            effect: "left in place",
            why: `\`${KEEP}: keep\`: Helm leaves it in the cluster, no longer part of the release`,
            source: KEPT_SOURCE,
          }
        : { object: objectKey(o), effect: "deleted", why: w.deleted, source: w.source },
    );
  }
  for (const c of diff.changed) {
    const checks = WATCHED.find((x) => x.kind === c.after.kind)?.immutable ?? [];
    for (const check of checks) {
      const why = check.why(c.before, c.after, c.paths);
      if (why)
        flags.push({ object: objectKey(c.after), effect: "replaced", why, source: check.source });
    }
  }
  return flags;
}
