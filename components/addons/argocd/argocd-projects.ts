// Argo CD's AppProjects: what the root application and each team's applications may deploy, where.
// Semantics of AppProject.IsGroupKindPermitted (argoproj/argo-cd
// pkg/apis/application/v1alpha1/app_project_types.go, v3): a cluster-scoped kind needs an entry in
// clusterResourceWhitelist (none: all refused); a namespaced kind, one in namespaceResourceWhitelist
// when that list is given, and a destination naming its namespace.

/** An API group and kind, as AppProject lists them (`""` is the core group). */
export interface GroupKind {
  group: string;
  kind: string;
}

/** The in-cluster API server, as Argo CD names it in destinations. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** The root application's project: Applications and ApplicationSets, in Argo CD's namespace only. */
export const BOOTSTRAP_PROJECT = "bootstrap";

/** A team's project, `team-<team>`, which its Applications name in `spec.project`. */
export const teamProjectName = (team: string): string => `team-${team}`;

const kinds = (group: string, names: string): GroupKind[] =>
  names.split(" ").map((kind) => ({ group, kind }));

/**
 * What a team may deploy from Git: workloads, their configuration and traffic, their secrets from
 * the namespace's own stores, their monitors and alert rules. Not RBAC, quotas, limit ranges,
 * network policies, PeerAuthentications or secret stores: those are the platform's, and a team
 * changing them would escape the namespace's guards.
 */
export const TEAM_KINDS: readonly GroupKind[] = [
  ...kinds("", "ConfigMap Secret Service ServiceAccount PersistentVolumeClaim"),
  ...kinds("apps", "Deployment StatefulSet"),
  ...kinds("batch", "Job CronJob"),
  ...kinds("autoscaling", "HorizontalPodAutoscaler"),
  ...kinds("policy", "PodDisruptionBudget"),
  ...kinds("networking.istio.io", "VirtualService DestinationRule"),
  ...kinds("external-secrets.io", "ExternalSecret"),
  ...kinds("monitoring.coreos.com", "ServiceMonitor PodMonitor PrometheusRule"),
];

/** An AppProject's `spec`, the fields this file sets. */
export interface ProjectSpec {
  description: string;
  sourceRepos: string[];
  destinations: { server: string; namespace: string }[];
  clusterResourceWhitelist: GroupKind[];
  namespaceResourceWhitelist: GroupKind[];
}

const project = (name: string, spec: ProjectSpec) => ({
  apiVersion: "argoproj.io/v1alpha1",
  kind: "AppProject",
  metadata: { name, namespace: "argocd" },
  spec,
});

/** The root application's project: Applications into Argo CD's namespace, from the repository. */
export const bootstrapProject = (repoUrl: string, argocdNamespace: string) =>
  project(BOOTSTRAP_PROJECT, {
    description: "The root application: Applications and ApplicationSets, in Argo CD's namespace",
    sourceRepos: [repoUrl],
    destinations: [{ server: IN_CLUSTER, namespace: argocdNamespace }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: kinds("argoproj.io", "Application ApplicationSet"),
  });

/** A team's project: its own namespaces, the kinds teams may create, nothing cluster-scoped. */
export const teamProject = (team: string, namespaces: readonly string[], repoUrl: string) =>
  project(teamProjectName(team), {
    description: `Team ${team}: its namespaces only, workload kinds only`,
    sourceRepos: [repoUrl],
    destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [...TEAM_KINDS],
  });

/**
 * `default`, which Argo CD makes allowing everything and never deletes: no repository and no
 * destination, so an Application naming it (or none) deploys nothing
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/projects/#the-default-project).
 */
export const lockedDefaultProject = (): ProjectSpec => ({
  description: "Locked: Applications name the bootstrap project or their team's",
  sourceRepos: [],
  destinations: [],
  clusterResourceWhitelist: [],
  namespaceResourceWhitelist: [],
});

const listed = (list: readonly GroupKind[], r: GroupKind) =>
  list.some(
    (x) => (x.group === "*" || x.group === r.group) && (x.kind === "*" || x.kind === r.kind),
  );

/**
 * Whether Argo CD syncs `resource` (namespace absent: cluster-scoped) from an Application in the
 * project, by IsGroupKindPermitted and the destinations.
 */
export function projectPermits(
  spec: ProjectSpec,
  resource: GroupKind & { namespace?: string },
): boolean {
  if (resource.namespace === undefined) return listed(spec.clusterResourceWhitelist, resource);
  return (
    spec.destinations.some((d) => d.server === IN_CLUSTER && d.namespace === resource.namespace) &&
    listed(spec.namespaceResourceWhitelist, resource)
  );
}
