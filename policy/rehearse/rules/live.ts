// What exists beyond the synth's state: objects no state holds (records a controller published,
// namespaces made by hand, objects of a release), Patches the provider will not delete, and running
// workloads that new restrictions meet.
import {
  enforcedLevel,
  type PodSecurityLevel,
  stricterLevel,
} from "../../../components/teams/namespace";
import { PROMETHEUS } from "../../../components/addons/prometheus";
import {
  teamNamespaces as teamNamespacesOf,
  type TeamSpec,
} from "../../../components/teams/team-settings";
import { kubeMeta, kubernetesId, recordKey, type SynthRecord } from "../../../synth/record";
import { ResourceGraph } from "../graph";
import { matchToHead } from "../identity";
import { defineRule, type Rule } from "../types";
import { isHelm } from "../../shapes";
import { stringLeaves } from "../../values";
import { kubeKindOf } from "./kubernetes";
import { carriersOf, releaseKeeps } from "./releases";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const QUOTA = "kubernetes:core/v1:ResourceQuota";
const LIMIT_RANGE = "kubernetes:core/v1:LimitRange";
const RECORD = "aws:route53/record:Record";
const HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";
const SET_ID_ANNOTATION = "external-dns.alpha.kubernetes.io/set-identifier";

/** Hostname and set identifier of each record ExternalDNS publishes from the base's release values. */
function publishedRecords(
  base: readonly SynthRecord[],
): { name: string; setIdentifier?: string; by: string }[] {
  return base.filter(isHelm).flatMap((r) => {
    const leaves = new Map(stringLeaves(r.inputs.values, true));
    return [...leaves]
      .filter(([at]) => at.endsWith(`/${HOSTNAME_ANNOTATION}`))
      .flatMap(([at, names]) => {
        const setId = leaves.get(`${at.slice(0, -HOSTNAME_ANNOTATION.length)}${SET_ID_ANNOTATION}`);
        return names.split(",").map((name) => ({
          name: name.trim(),
          by: recordKey(r),
          ...(setId !== undefined ? { setIdentifier: setId } : {}),
        }));
      });
  });
}

/** Namespaces `eks-blueprint:teams` declares live (`live:`), with their declared labels. */
function declaredLive(stackConfig: Record<string, unknown>): Map<string, Record<string, string>> {
  const teams = (stackConfig["eks-blueprint:teams"] ?? {}) as Record<string, TeamSpec>;
  const out = new Map<string, Record<string, string>>();
  for (const team of Object.values(teams)) {
    for (const [ns, spec] of Object.entries(team?.namespaces ?? {})) {
      if (spec?.live) out.set(ns, spec.live.labels ?? {});
    }
  }
  return out;
}

const existingImported = defineRule({
  id: "existing-objects-imported",
  phase: "create",
  title:
    "creating an object that exists outside the state fails: records a controller published, namespaces made by hand, objects of a release",
  source:
    "https://github.com/pulumi/pulumi-kubernetes/blob/v4.32.0/provider/pkg/await/await.go (Creation: AlreadyExists is not retried; upsertExistingObjects is false by default since 4.29.0); https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html (CREATE of an existing set fails); https://github.com/pulumi/pulumi/blob/v3.259.0/pkg/resource/deploy/step_generator.go (`import`: skipped once the state holds the same id)",
  smokeCheck: "pulumi-up-succeeds",
  check({ base = [], head, stackConfig, baseRendered = {} }) {
    const inBase = new Set(base.map(recordKey));
    const baseNames = new Set(
      base.filter((r) => r.type === NAMESPACE).map((r) => kubeMeta(r).name),
    );
    const created = (r: SynthRecord) => !inBase.has(recordKey(r)) && !r.import && !r.read;
    const findings: { subject: string; message: string }[] = [];
    for (const [ns] of declaredLive(stackConfig)) {
      const r = head.find((x) => x.type === NAMESPACE && kubeMeta(x).name === ns);
      if (r && created(r) && !baseNames.has(ns)) {
        findings.push({
          subject: recordKey(r),
          message: `namespace ${ns} runs already (eks-blueprint:teams declares it live) and no state holds it: import it (\`import: "${ns}"\`), never delete it to create it again`,
        });
      }
    }
    const headByKey = new Map(head.map((r) => [recordKey(r), r]));
    for (const p of publishedRecords(base)) {
      for (const r of head.filter((x) => x.type === RECORD && x.inputs.name === p.name)) {
        if (p.setIdentifier !== undefined && r.inputs.setIdentifier !== p.setIdentifier) continue;
        if (created(r)) {
          findings.push({
            subject: recordKey(r),
            message: `${p.name} (set ${String(r.inputs.setIdentifier)}) exists: ExternalDNS published it from ${p.by}, and no state holds it. Import it (migration:importRecords: true); deleting it to create it again is the outage, and allowOverwrite would hide the same`,
          });
          continue;
        }
        // The alias's source, or the Services the record waits for where no provenance is kept.
        const sources =
          r.provenance?.["aliases[0].name"]?.map((s) => s.resource) ??
          r.dependsOn.filter((d) => d.startsWith("kubernetes:core/v1:Service::"));
        const moved = sources
          .map((key) => headByKey.get(key))
          .filter((s): s is SynthRecord => s !== undefined && created(s));
        for (const s of moved) {
          findings.push({
            subject: recordKey(r),
            message: `imported, yet its alias names the load balancer of ${recordKey(s)}, which this update creates: the live record aliases the NLB that serves today; keep that one`,
          });
        }
      }
    }
    const fromReleases = new Map<string, string>();
    for (const b of base.filter(isHelm)) {
      const rendered = baseRendered[recordKey(b)];
      for (const { carrier, id } of carriersOf(b, rendered)) {
        fromReleases.set(`${carrier.kind}/${id}`, recordKey(b));
      }
      for (const [key, names] of Object.entries(rendered ?? {})) {
        const kind = key.slice(0, key.search(/[./]/));
        for (const n of names) fromReleases.set(`${kind}/${n}`, recordKey(b));
      }
    }
    for (const r of head.filter((x) => created(x) && !x.type.endsWith("Patch"))) {
      const [kind, id] = [kubeKindOf(r.type)?.kind, kubernetesId(r)];
      const owner =
        kind &&
        id &&
        (fromReleases.get(`${kind}/${id}`) ?? fromReleases.get(`${kind}/${kubeMeta(r).name}`));
      if (owner) {
        findings.push({
          subject: recordKey(r),
          message: `${kind} ${id} exists: ${owner} rendered it. Creating it fails with AlreadyExists; keep it in the release`,
        });
      }
    }
    return findings;
  },
});

const PATCH_SOURCE =
  'https://github.com/pulumi/pulumi-kubernetes/blob/v4.32.0/provider/pkg/provider/provider.go (Delete: "this Patch resource is currently managing a required field, so it can\'t be deleted directly. Either set the `retainOnDelete` resource option, or transfer ownership")';
const patchMessage =
  "a Patch that is the sole manager of its object's required fields cannot be deleted: the provider refuses, and the destroy stops; only the cluster knows whether another manager (Helm) co-owns them, so set `retainOnDelete: true` (the object stays in the cluster)";
/** Base records an update deletes (matched to the head, absent from it) without retainOnDelete. */
const deletedOutright = (base: SynthRecord[], head: SynthRecord[]) => {
  const now = new Set(head.map(recordKey));
  return matchToHead(base, head).filter((r) => !r.retainOnDelete && !now.has(recordKey(r)));
};

const isPatch = (r: SynthRecord) => r.type.startsWith("kubernetes:") && r.type.endsWith("Patch");

const patchOnDestroy = defineRule({
  id: "patch-retained-on-destroy",
  phase: "destroy",
  title: "the provider will not delete a Patch that solely manages required fields",
  source: PATCH_SOURCE,
  smokeCheck: "pulumi-destroy-succeeds",
  check: ({ head }) =>
    head
      .filter((r) => isPatch(r) && !r.retainOnDelete)
      .map((r) => ({ subject: recordKey(r), message: patchMessage })),
});

const patchOnRemoval = defineRule({
  id: "patch-retained-on-removal",
  phase: "update",
  title: "a Patch removed from the program is deleted, which the provider refuses as above",
  source: PATCH_SOURCE,
  smokeCheck: "pulumi-up-succeeds",
  check: ({ base = [], head }) =>
    deletedOutright(base, head)
      .filter(isPatch)
      .map((r) => ({ subject: recordKey(r), message: `removed: ${patchMessage}` })),
});

const adoptedKept = defineRule({
  id: "adopted-namespaces-kept",
  phase: "update",
  title:
    "deleting a Namespace deletes every object in it; one the stack imported ran before it and holds workloads it does not manage",
  source:
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/ (deleting a namespace deletes everything in it); https://www.pulumi.com/docs/iac/concepts/options/retainondelete/",
  smokeCheck: "pulumi-up-succeeds",
  check: ({ base = [], head }) =>
    deletedOutright(base, head)
      .filter((r) => r.type === NAMESPACE && r.import)
      .map((r) => ({
        subject: recordKey(r),
        message: `namespace ${kubeMeta(r).name} was imported (it ran before this stack) and this update deletes it, with every workload in it: keep it (retainOnDelete: true, as \`live\` namespaces have), or move its workloads first`,
      })),
});

type Direction = "Ingress" | "Egress";

const directionsOf = (r: SynthRecord) =>
  ((r.inputs.spec ?? {}) as { policyTypes?: string[] }).policyTypes ?? [];

/** Whether a policy allows every pod every peer and port in `d` (`podSelector: {}`, a rule `{}`). */
const allowsAll = (r: SynthRecord, d: Direction) => {
  const spec = (r.inputs.spec ?? {}) as Record<string, unknown>;
  const rules = spec[d === "Ingress" ? "ingress" : "egress"];
  const everyPod = Object.keys((spec.podSelector ?? {}) as object).length === 0;
  return (
    everyPod &&
    (spec.policyTypes as string[] | undefined)?.includes(d) === true &&
    Array.isArray(rules) &&
    rules.some((x) => Object.keys((x ?? {}) as object).length === 0)
  );
};

/** One namespace's restrictions in one synth. */
function restrictions(records: readonly SynthRecord[], ns: string) {
  const inside = records.filter((r) => kubeMeta(r).namespace === ns);
  const policies = inside.filter((r) => r.type === NETWORK_POLICY);
  const has = (d: Direction) => policies.some((p) => directionsOf(p).includes(d));
  const open = (d: Direction) => policies.some((p) => allowsAll(p, d));
  const namespace = records.find((r) => r.type === NAMESPACE && kubeMeta(r).name === ns);
  return {
    policies,
    restricts: (d: Direction) => has(d) && !open(d),
    unrestricted: (d: Direction) => !has(d),
    observed: (["Ingress", "Egress"] as const).some(open),
    quota: inside.some((r) => r.type === QUOTA),
    limits: inside.some((r) => r.type === LIMIT_RANGE),
    level: namespace ? enforcedLevel(kubeMeta(namespace).labels) : undefined,
  };
}

const staged = defineRule({
  id: "live-restrictions-staged",
  phase: "update",
  title:
    "restrictions new to a namespace that runs apply to its workloads at once: NetworkPolicies cut flows, a LimitRange caps pods when next created, a quota refuses new ones, Pod Security refuses new pods",
  source:
    "https://kubernetes.io/docs/concepts/services-networking/network-policies/; https://kubernetes.io/docs/concepts/policy/limit-range/ (defaults at pod admission); https://kubernetes.io/docs/concepts/policy/resource-quotas/; https://kubernetes.io/docs/concepts/security/pod-security-admission/",
  smokeCheck: "gateway-answers",
  check({ base = [], head, stackConfig }) {
    const live = declaredLive(stackConfig);
    const teamNamespaces = new Set(
      teamNamespacesOf((stackConfig["eks-blueprint:teams"] ?? {}) as Record<string, TeamSpec>),
    );
    const names = new Set<string>([
      ...base.filter((r) => r.type === NAMESPACE).map((r) => kubeMeta(r).name ?? ""),
      ...live.keys(),
    ]);
    const graph = new ResourceGraph(head);
    const inBase = new Set(base.map(recordKey));
    return [...names].filter(Boolean).flatMap((ns) => {
      const [before, after] = [restrictions(base, ns), restrictions(head, ns)];
      // Applied in one update, a deny that does not wait for its allow-all may win for a moment.
      const raced = after.policies
        .filter((p) => !inBase.has(recordKey(p)))
        .flatMap((p) =>
          (["Ingress", "Egress"] as const)
            .filter((d) => !allowsAll(p, d) && directionsOf(p).includes(d))
            .flatMap((d) =>
              after.policies
                .filter((o) => allowsAll(o, d) && !inBase.has(recordKey(o)))
                .filter((o) => !graph.waitsFor(recordKey(p), recordKey(o)))
                .map((o) => ({
                  subject: recordKey(p),
                  message: `is applied with ${recordKey(o)}, which allows all ${d.toLowerCase()} while ${ns} is observed, without waiting for it: until that one applies, this one denies; depend on it`,
                })),
            ),
        );
      if (before.observed) return raced;
      const nsRecord = head.find((r) => r.type === NAMESPACE && kubeMeta(r).name === ns);
      if (!nsRecord) return [];
      const cuts: string[] = [];
      for (const d of ["Ingress", "Egress"] as const) {
        if (before.unrestricted(d) && after.restricts(d))
          cuts.push(`${d.toLowerCase()} NetworkPolicies deny what is not listed`);
      }
      if (after.quota && !before.quota)
        cuts.push("a ResourceQuota refuses pods above it and pods without requests");
      if (after.limits && !before.limits)
        cuts.push(
          "a LimitRange gives every unsized container its memory limit when its pod is next created",
        );
      const from: PodSecurityLevel = before.level ?? enforcedLevel(live.get(ns));
      if (after.level && stricterLevel(from, after.level)) {
        cuts.push(`Pod Security enforces ${after.level} (was ${from}) on every new pod`);
      }
      return cuts.length === 0
        ? raced
        : [
            ...raced,
            {
              subject: recordKey(nsRecord),
              message: `namespace ${ns} runs workloads, and this update restricts it at once: ${cuts.join("; ")}. Stage it: ${teamNamespaces.has(ns) ? "`live: {stage: observe}` on its team namespace" : `its add-on's \`podSecurityStage: observe\` (\`addons.prometheus\` for ${PROMETHEUS.namespace})`} first (denies nothing new), then \`enforce\` after the runbook's checks (docs/migration.md, "Restrictions on live namespaces")`,
            },
          ];
    });
  },
});

/** Rules over what the synth cannot see: release contents, live objects, running workloads. */
export const liveRules: Rule[] = [
  releaseKeeps,
  existingImported,
  patchOnDestroy,
  patchOnRemoval,
  staged,
  adoptedKept,
];
