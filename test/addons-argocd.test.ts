import * as pulumi from "@pulumi/pulumi";
import {
  ARGOCD,
  argocdProblems,
  argocdValues,
  rootApplication,
  withGitOpsFacts,
} from "../components/addons/argocd/argocd";
import { gitOpsClusterMetadata } from "../components/addons/argocd/argocd-cluster";
import {
  bootstrapProject,
  lockedDefaultProject,
  projectPermits,
  teamProject,
} from "../components/addons/argocd/argocd-projects";
import { charts } from "../components/addons/registry";
import { mergeValues } from "../components/addons/values";
import { migrationGitOpsFacts } from "../stacks/workload-config";
import type { SynthResult } from "../synth/record";
import { addonOf, byType, fakeContext, one, synthProgram } from "./day2-context";
import { committedSynth } from "./stack-harness";
import { chartFixture, upstreamYaml } from "./upstream";

const bootstrap = {
  repoUrl: "https://github.com/example-org/platform-apps.git",
  revision: "9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3",
  path: "clusters/production",
};

test("the pin is the vendored chart's version", () => {
  expect(charts.argocd).toEqual({
    chart: "argo-cd",
    version: "10.1.1",
    repo: "https://argoproj.github.io/argo-helm",
    source: "https://github.com/argoproj/argo-helm/blob/argo-cd-10.1.1/charts/argo-cd/Chart.yaml",
  });
});

test("every key we set exists in the chart's values, and CRDs are installed and kept", () => {
  const upstream = upstreamYaml<Record<string, Record<string, unknown>>>(
    chartFixture(charts.argocd, "values.yaml"),
  );
  const values = mergeValues(argocdValues(), {}) as Record<string, Record<string, unknown>>;
  for (const [top, v] of Object.entries(values)) {
    expect(Object.keys(upstream)).toContain(top);
    for (const key of Object.keys(v)) expect(Object.keys(upstream[top])).toContain(key);
  }
  expect(upstream.crds).toMatchObject({ install: true, keep: true });
  expect(values.crds).toEqual({ install: true, keep: true });
  // The chart's defaults are what the `restricted` namespace relies on.
  const restricted = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    seccompProfile: { type: "RuntimeDefault" },
    capabilities: { drop: ["ALL"] },
  };
  for (const component of ["controller", "repoServer", "server", "applicationSet"]) {
    expect(upstream[component].containerSecurityContext).toMatchObject(restricted);
  }
  // Redis sets the non-root user and the seccomp profile for the pod, the rest per container.
  expect({
    ...(upstream.redis.securityContext as object),
    ...(upstream.redis.containerSecurityContext as object),
  }).toMatchObject(restricted);
});

test("the root application has no deletion finalizer, so turning Argo CD off leaves the workloads", () => {
  expect(rootApplication(bootstrap)).toEqual({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "bootstrap", namespace: "argocd" },
    spec: {
      project: "bootstrap",
      source: {
        repoURL: "https://github.com/example-org/platform-apps.git",
        targetRevision: "9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3",
        path: "clusters/production",
      },
      destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  });
});

test("on a cluster that runs the workloads already, the root application syncs by hand", () => {
  expect(rootApplication({ ...bootstrap, autoSync: false }).spec).not.toHaveProperty("syncPolicy");
  expect(
    argocdProblems({ bootstrap: { ...bootstrap, autoSync: "no" as unknown as boolean } }, "a"),
  ).toEqual(['a.bootstrap.autoSync: not a boolean (got "no"); use true or false']);
});

test("the cluster metadata: gitops-bridge's labels and annotations, owned singletons selectable", () => {
  expect(
    gitOpsClusterMetadata({
      clusterName: "eks-blueprint-prod",
      region: "us-west-2",
      accountId: "111122223333",
      facts: { weight: 100, singletons: { "match-server": true, "push-sender": false } },
      roleArns: { leaderboard: "arn:aws:iam::111122223333:role/eks-blueprint-prod-leaderboard" },
    }),
  ).toEqual({
    labels: {
      "argocd.argoproj.io/secret-type": "cluster",
      cluster_name: "eks-blueprint-prod",
      enable_argocd: "true",
      "singleton.eks-blueprint.dev/match-server": "owned",
    },
    annotations: {
      aws_account_id: "111122223333",
      aws_cluster_name: "eks-blueprint-prod",
      aws_region: "us-west-2",
      cluster_name: "eks-blueprint-prod",
      leaderboard_iam_role_arn: "arn:aws:iam::111122223333:role/eks-blueprint-prod-leaderboard",
      migration_weight: "100",
      singletons_owned: "match-server",
    },
  });
});

test("the stack's facts: weight while serving shared hostnames, and each singleton's ownership", () => {
  expect(
    migrationGitOpsFacts({
      weight: 0,
      hostnames: ["www.example.com"],
      singletons: { "match-server": { namespace: "game", owned: false } },
    }),
  ).toEqual({ weight: 0, singletons: { "match-server": false } });
  expect(withGitOpsFacts({}, { weight: 1 })).toEqual({});
  expect(withGitOpsFacts({ argocd: { cluster: { weight: 5 } } }, { roleArns: {} })).toEqual({
    argocd: { cluster: { weight: 5, roleArns: {} } },
  });
});

test.each([
  [
    { ...bootstrap, repoUrl: "https://user:token@github.com/o/r.git" },
    'addons.argocd.bootstrap.repoUrl: credentials in the URL (got "[redacted]"); drop them from the URL and give credentialsKey, a Secrets Manager key that holds them',
  ],
  [
    { ...bootstrap, repoUrl: "github.com/o/r" },
    'addons.argocd.bootstrap.repoUrl: not a Git repository URL (got "github.com/o/r"); use https://… or git@host:org/repo.git',
  ],
  [
    { ...bootstrap, revision: "v1.0.0" },
    'addons.argocd.bootstrap.revision: not a full commit id (got "v1.0.0"); pin the commit this stack deploys (40 hex digits, `git rev-parse <ref>`); a tag or branch moves under every cluster at once (docs/gitops.md)',
  ],
  [
    { ...bootstrap, revision: "9a8b7c6" },
    'addons.argocd.bootstrap.revision: not a full commit id (got "9a8b7c6"); pin the commit this stack deploys (40 hex digits, `git rev-parse <ref>`); a tag or branch moves under every cluster at once (docs/gitops.md)',
  ],
  [
    { ...bootstrap, credentialsKey: "argocd repo" },
    'addons.argocd.bootstrap.credentialsKey: not a Secrets Manager key (got "argocd repo"); give the secret\'s name under the External Secrets prefix, such as argocd/repository',
  ],
])("bootstrap %j is a problem", (b, expected) => {
  expect(argocdProblems({ bootstrap: b }, "addons.argocd")).toEqual([expected]);
});

describe("the add-on", () => {
  let r: SynthResult;
  beforeAll(async () => {
    r = await synthProgram(() =>
      addonOf(
        "cd",
        "argocd",
        {
          bootstrap: { ...bootstrap, credentialsKey: "argocd/repository" },
          cluster: { roleArns: { leaderboard: pulumi.output("arn:aws:iam::1:role/lb") } },
        },
        fakeContext(),
        ["externalSecrets"],
      ),
    );
  });

  test("installs the pinned chart into a restricted argocd namespace", () => {
    const ns = byType(r, "kubernetes:core/v1:Namespace")[0];
    expect(ns.inputs.metadata).toMatchObject({
      name: "argocd",
      labels: { "pod-security.kubernetes.io/enforce": "restricted" },
    });
    expect(one(r, "kubernetes:helm.sh/v3:Release", "cd").inputs).toMatchObject({
      chart: "argo-cd",
      version: "10.1.1",
      namespace: "argocd",
      name: "argocd",
    });
  });

  test("the root app waits for the cluster Secret and the repository's ExternalSecret", () => {
    const root = one(r, "kubernetes:argoproj.io/v1alpha1:Application", "cd-root");
    expect(root.inputs.metadata).toEqual({ name: ARGOCD.rootApp, namespace: "argocd" });
    expect(root.dependsOn).toEqual(
      expect.arrayContaining([
        "kubernetes:core/v1:Secret::cd-cluster",
        "kubernetes:external-secrets.io/v1:ExternalSecret::cd-repository",
      ]),
    );
    const repo = one(r, "kubernetes:external-secrets.io/v1:ExternalSecret", "cd-repository");
    expect(repo.inputs.spec).toMatchObject({
      dataFrom: [{ extract: { key: "argocd/repository" } }],
      target: {
        template: {
          metadata: { labels: { "argocd.argoproj.io/secret-type": "repository" } },
          data: { type: "git", url: bootstrap.repoUrl },
        },
      },
    });
  });

  test("a private repository without External Secrets is an error", async () => {
    await expect(
      synthProgram(() =>
        addonOf("cd", "argocd", { bootstrap: { ...bootstrap, credentialsKey: "argocd/repo" } }),
      ),
    ).rejects.toThrow(
      'addons.argocd.bootstrap.credentialsKey: set, but addons.externalSecrets is off: the repository Secret is an ExternalSecret (got "argocd/repo"); turn addons.externalSecrets on, or drop credentialsKey for a public repository',
    );
  });
});

test("each stack pins its own commit of the one repository; only that, their cluster Secrets and prod's first sync differ", async () => {
  // One at a time: the mocks are the process's.
  const prod = committedSynth("prod");
  const prod2 = committedSynth("prod2");
  const app = (s: SynthResult, stack: string) =>
    one(s, "kubernetes:argoproj.io/v1alpha1:Application", `${stack}-platform-addons-argocd-root`)
      .inputs.spec as { source: Record<string, string>; syncPolicy?: unknown };
  // prod runs the workloads already: its first sync is by hand (Pulumi.prod.yaml, autoSync).
  const { syncPolicy, source: prod2Source, ...prod2Rest } = app(prod2, "prod2");
  expect(syncPolicy).toEqual({ automated: { prune: true, selfHeal: true } });
  const { source: prodSource, ...prodRest } = app(prod, "prod");
  expect(prodRest).toEqual(prod2Rest);
  expect(prodSource.targetRevision).toMatch(/^[0-9a-f]{40}$/);
  expect(prod2Source.targetRevision).toMatch(/^[0-9a-f]{40}$/);
  expect(prodSource.targetRevision).not.toBe(prod2Source.targetRevision);
  expect({ ...prodSource, targetRevision: "" }).toEqual({ ...prod2Source, targetRevision: "" });
  const secret = (s: SynthResult, stack: string) =>
    one(s, "kubernetes:core/v1:Secret", `${stack}-platform-addons-argocd-cluster`).inputs
      .metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  expect(secret(prod, "prod").labels).toMatchObject({
    "singleton.eks-blueprint.dev/match-server": "owned",
    "singleton.eks-blueprint.dev/push-sender": "owned",
  });
  expect(Object.keys(secret(prod2, "prod2").labels)).not.toContain(
    "singleton.eks-blueprint.dev/match-server",
  );
  expect(secret(prod2, "prod2").annotations).toMatchObject({
    aws_cluster_name: "eks-blueprint-prod2",
    migration_weight: "0",
    singletons_owned: "",
  });
});

describe("projects", () => {
  const repo = bootstrap.repoUrl;
  const api = teamProject("api", ["api"], repo).spec;

  test("a team path deploys its workloads into its own namespaces only", () => {
    expect(projectPermits(api, { group: "apps", kind: "Deployment", namespace: "api" })).toBe(true);
    expect(
      projectPermits(api, {
        group: "external-secrets.io",
        kind: "ExternalSecret",
        namespace: "api",
      }),
    ).toBe(true);
    expect(projectPermits(api, { group: "apps", kind: "Deployment", namespace: "game" })).toBe(
      false,
    );
  });

  test.each([
    ["rbac.authorization.k8s.io", "ClusterRoleBinding"],
    ["", "Namespace"],
    ["apiextensions.k8s.io", "CustomResourceDefinition"],
    ["external-secrets.io", "ClusterSecretStore"],
  ])("a team path's cluster-scoped %s/%s is refused", (group, kind) => {
    expect(projectPermits(api, { group, kind })).toBe(false);
  });

  test.each([
    ["rbac.authorization.k8s.io", "RoleBinding"],
    ["networking.k8s.io", "NetworkPolicy"],
    ["", "ResourceQuota"],
    ["security.istio.io", "PeerAuthentication"],
    ["external-secrets.io", "SecretStore"],
  ])("a team path's %s/%s, one of its namespace's guards, is refused", (group, kind) => {
    expect(projectPermits(api, { group, kind, namespace: "api" })).toBe(false);
  });

  test("the root application creates Applications and ApplicationSets in argocd only; the locked default deploys nothing", () => {
    const root = bootstrapProject(repo, "argocd").spec;
    expect(
      projectPermits(root, { group: "argoproj.io", kind: "Application", namespace: "argocd" }),
    ).toBe(true);
    expect(
      projectPermits(root, { group: "argoproj.io", kind: "ApplicationSet", namespace: "argocd" }),
    ).toBe(true);
    expect(
      projectPermits(root, { group: "argoproj.io", kind: "Application", namespace: "game" }),
    ).toBe(false);
    expect(projectPermits(root, { group: "apps", kind: "Deployment", namespace: "argocd" })).toBe(
      false,
    );
    expect(
      projectPermits(root, { group: "argoproj.io", kind: "AppProject", namespace: "argocd" }),
    ).toBe(false);
    expect(
      projectPermits(lockedDefaultProject(), {
        group: "apps",
        kind: "Deployment",
        namespace: "api",
      }),
    ).toBe(false);
  });

  test("prod2: a project per team over its namespaces, the default locked, no local admin", () => {
    const r = committedSynth("prod2");
    const projects = byType(r, "kubernetes:argoproj.io/v1alpha1:AppProject").map((p) => [
      (p.inputs.metadata as { name: string }).name,
      (p.inputs.spec as { destinations: { namespace: string }[] }).destinations.map(
        (d) => d.namespace,
      ),
    ]);
    expect(projects).toEqual(
      expect.arrayContaining([
        ["bootstrap", ["argocd"]],
        ["team-api", ["api"]],
        ["team-data", ["batch-jobs"]],
        ["team-game", ["game"]],
        ["team-notifications", ["notifications"]],
      ]),
    );
    expect(projects).toHaveLength(5);
    const locked = one(
      r,
      "kubernetes:argoproj.io/v1alpha1:AppProjectPatch",
      "prod2-platform-addons-argocd-default-project",
    );
    expect(locked.inputs.spec).toEqual(lockedDefaultProject());
    expect(locked.retainOnDelete).toBe(true);
    const release = one(r, "kubernetes:helm.sh/v3:Release", "prod2-platform-addons-argocd");
    expect((release.inputs.values as { configs: unknown }).configs).toEqual({
      cm: { "admin.enabled": false },
    });
  });
});
