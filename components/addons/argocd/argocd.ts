import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isRecord, problem, problemList, unknownFieldProblems } from "../../problems";
import { gitOpsClusterMetadata, GitOpsClusterFacts, gitOpsClusterSecret } from "./argocd-cluster";
import {
  BOOTSTRAP_PROJECT,
  IN_CLUSTER,
  bootstrapProject,
  lockedDefaultProject,
  teamProject,
} from "./argocd-projects";
import { namespacedKinds } from "../crds";
import { EXTERNAL_SECRETS } from "../external-secrets";
import type { AddonSpec, CommonSettings } from "../spec";
import { requests, ValueLayers } from "../values";

export const ARGOCD = {
  namespace: "argocd",
  /** The root application: every other one comes from its path. */
  rootApp: "bootstrap",
  /** The repository Secret the ExternalSecret writes, when the repository is private. */
  repoSecret: "bootstrap-repository",
} as const;

/** The app-of-apps: where both clusters read what they run. */
export interface ArgocdBootstrap {
  /** Git repository URL (https:// or ssh). */
  repoUrl: string;
  /**
   * The commit this cluster deploys, in full (40 hex digits): each stack pins its own, moved by a
   * pull request per stack, so a change reaches prod2 before prod. Tags and branches move under
   * every cluster at once.
   */
  revision: string;
  /** Directory of Application and ApplicationSet manifests in the repository. */
  path: string;
  /**
   * A private repository's Secrets Manager key, under `<prefix>/argocd/` (External Secrets'
   * prefix; Argo CD's store reads only there): a JSON of
   * `username` and `password`, or `sshPrivateKey`. Needs `addons.externalSecrets`.
   * @default none: a public repository
   */
  credentialsKey?: string;
  /**
   * Sync automatically, pruning and healing. `false` on a cluster that already runs what the
   * repository holds: the first sync would overwrite live objects at once; sync by hand after
   * `argocd app diff` (docs/migration.md, step 0), then turn it on. @default true
   */
  autoSync?: boolean;
}

export interface ArgocdSettings extends CommonSettings {
  /** The root application. @default none: Argo CD runs, and deploys nothing until one is added */
  bootstrap?: ArgocdBootstrap;
  /**
   * Facts for the cluster Secret (`migration:*`, role ARNs).
   * @default the cluster's name, region and account only
   */
  cluster?: GitOpsClusterFacts;
  /**
   * Namespaces by team: each team gets a project (`team-<team>`) deploying only there, only the
   * kinds teams may create. @default none: no team project
   */
  teams?: Record<string, string[]>;
}

/** Chart values (argo-cd 10.1.1, charts/argo-cd/values.yaml at argo-cd-10.1.1). */
export function argocdValues(): ValueLayers {
  return {
    defaults: {
      controller: { resources: requests("250m", "512Mi", "2Gi") },
      repoServer: { resources: requests("100m", "256Mi", "1Gi") },
      server: { resources: requests("50m", "128Mi", "256Mi") },
      applicationSet: { resources: requests("50m", "128Mi", "256Mi") },
      redis: { resources: requests("50m", "64Mi", "256Mi") },
      // SSO is each organisation's own (values `configs.cm`, `dex`); until then `argocd --core`.
      dex: { enabled: false },
    },
    owned: {
      // No local admin: a shared password that bypasses the cluster's access entries. Operators use
      // `argocd --core` with their own Kubernetes access, or SSO (values.yaml `configs.cm`,
      // `admin.enabled`; https://argo-cd.readthedocs.io/en/stable/faq/#how-to-disable-admin-user).
      configs: { cm: { "admin.enabled": false } },
      // Templates, upgraded with the chart, kept on uninstall: that would delete every Application.
      crds: { install: true, keep: true },
    },
  };
}

/** The root Application: the repository's path at the pinned commit, in the bootstrap project. */
export function rootApplication(b: ArgocdBootstrap) {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    // No deletion finalizer: removing this Application leaves what it deployed in place
    // (https://argo-cd.readthedocs.io/en/stable/user-guide/app_deletion/#about-the-deletion-finalizer).
    metadata: { name: ARGOCD.rootApp, namespace: ARGOCD.namespace },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: { repoURL: b.repoUrl, targetRevision: b.revision, path: b.path },
      destination: { server: IN_CLUSTER, namespace: ARGOCD.namespace },
      ...(b.autoSync === false
        ? {}
        : { syncPolicy: { automated: { prune: true, selfHeal: true } } }),
    },
  };
}

/**
 * The private repository's Secret, from `credentialsKey`: labelled as an Argo CD repository, url
 * and type ours, credentials merged in (https://external-secrets.io/v2.9.0/guides/templating/).
 */
export function repositoryExternalSecret(b: ArgocdBootstrap & { credentialsKey: string }) {
  return {
    apiVersion: EXTERNAL_SECRETS.apiVersion,
    kind: "ExternalSecret",
    metadata: { name: ARGOCD.repoSecret, namespace: ARGOCD.namespace },
    spec: {
      refreshInterval: "1h",
      // Argo CD's own store, under `<prefix>/argocd/`: no team namespace can read it.
      secretStoreRef: { kind: "SecretStore", name: EXTERNAL_SECRETS.stores.secretsManager },
      target: {
        name: ARGOCD.repoSecret,
        template: {
          mergePolicy: "Merge",
          metadata: { labels: { "argocd.argoproj.io/secret-type": "repository" } },
          data: { type: "git", url: b.repoUrl },
        },
      },
      dataFrom: [{ extract: { key: b.credentialsKey } }],
    },
  };
}

/** A full commit id: the only revision that cannot move under a cluster. */
const COMMIT = /^[0-9a-f]{40}$/;

const REPO_URL = /^(https:\/\/[^\s@]+|ssh:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/;
const CREDENTIALS_IN_URL = /^https:\/\/[^/]*@/;

/** Every field of a bootstrap: the compiler keeps it whole, the check refuses any other key. */
const BOOTSTRAP_FIELDS: Record<keyof ArgocdBootstrap, true> = {
  repoUrl: true,
  revision: true,
  path: true,
  credentialsKey: true,
  autoSync: true,
};

const CLUSTER_FACTS: Record<keyof GitOpsClusterFacts, true> = {
  weight: true,
  singletons: true,
  roleArns: true,
};

const isNameList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

export function argocdProblems(s: ArgocdSettings, at: string): string[] {
  const facts = [
    ...unknownFieldProblems(s.cluster, Object.keys(CLUSTER_FACTS), `${at}.cluster`),
    ...Object.entries(s.teams ?? {})
      .filter(([, ns]) => !isNameList(ns))
      .map(([team, ns]) =>
        problem(
          `${at}.teams.${team}`,
          "not a list of namespaces",
          ns,
          "list the team's namespaces",
        ),
      ),
  ];
  const b = s.bootstrap;
  if (b === undefined) return facts;
  const p = `${at}.bootstrap`;
  if (!isRecord(b)) {
    return [problem(p, "not a map", b, "give repoUrl, revision and path (and credentialsKey)")];
  }
  const [out, add] = problemList([
    ...facts,
    ...unknownFieldProblems(b, Object.keys(BOOTSTRAP_FIELDS), p),
  ]);
  // Credentials first: the value is then never echoed in an error.
  if (typeof b.repoUrl === "string" && CREDENTIALS_IN_URL.test(b.repoUrl)) {
    add(
      `${p}.repoUrl`,
      "credentials in the URL",
      "[redacted]",
      "drop them from the URL and give credentialsKey, a Secrets Manager key that holds them",
    );
  } else if (typeof b.repoUrl !== "string" || !REPO_URL.test(b.repoUrl)) {
    add(
      `${p}.repoUrl`,
      "not a Git repository URL",
      b.repoUrl,
      "use https://… or git@host:org/repo.git",
    );
  }
  if (typeof b.path !== "string" || b.path.trim() === "") {
    add(`${p}.path`, "missing", b.path, "give the directory of the root app's manifests");
  }
  if (typeof b.revision !== "string" || !COMMIT.test(b.revision)) {
    add(
      `${p}.revision`,
      "not a full commit id",
      b.revision,
      "pin the commit this stack deploys (40 hex digits, `git rev-parse <ref>`); a tag or branch moves under every cluster at once (docs/gitops.md)",
    );
  }
  if (b.autoSync !== undefined && typeof b.autoSync !== "boolean") {
    add(`${p}.autoSync`, "not a boolean", b.autoSync, "use true or false");
  }
  if (b.credentialsKey !== undefined && !/^[A-Za-z0-9/_+=.@-]+$/.test(b.credentialsKey)) {
    add(
      `${p}.credentialsKey`,
      "not a Secrets Manager key",
      b.credentialsKey,
      "give the secret's name under the External Secrets prefix, such as argocd/repository",
    );
  }
  return out;
}

export const argocd: AddonSpec<ArgocdSettings> = {
  component: "Argocd",
  summary:
    "Argo CD without a local admin: an app-of-apps at this stack's pinned commit, a project per team, and this cluster's facts in its cluster Secret.",
  namespace: {
    name: ARGOCD.namespace,
    podSecurity: "restricted",
    why: "every Argo CD container runs non-root, read-only, without capabilities, with the RuntimeDefault seccomp profile (the chart's containerSecurityContext defaults)",
  },
  defaults: { bootstrap: undefined, cluster: undefined, teams: undefined },
  problems: argocdProblems,
  installAfter: {
    externalSecrets:
      "a private repository's Secret is an ExternalSecret, whose CRD and store it needs",
  },
  chart: {
    // app v3.4.4
    pin: {
      chart: "argo-cd",
      version: "10.1.1",
      repo: "https://argoproj.github.io/argo-helm",
      source: "https://github.com/argoproj/argo-helm/blob/argo-cd-10.1.1/charts/argo-cd/Chart.yaml",
    },
    crds: {
      checkedAt: "10.1.1",
      delivery: "templates",
      kinds: namespacedKinds("argoproj.io", "Application ApplicationSet AppProject"),
      source:
        "https://github.com/argoproj/argo-helm/tree/argo-cd-10.1.1/charts/argo-cd/templates/crds",
    },
    // Its templates name everything after the release (`argocd-server`, `argocd-repo-server`).
    release: "argocd",
    values: () => argocdValues(),
  },
  finish: ({ name, context: ctx, settings: s, installed, k8s: k8sOpts }, { released }) => {
    const b = s.bootstrap;
    if (b?.credentialsKey !== undefined && !installed.has("externalSecrets")) {
      throw new Error(
        problem(
          "addons.argocd.bootstrap.credentialsKey",
          "set, but addons.externalSecrets is off: the repository Secret is an ExternalSecret",
          b.credentialsKey,
          "turn addons.externalSecrets on, or drop credentialsKey for a public repository",
        ),
      );
    }
    const facts = s.cluster ?? {};
    const metadata = pulumi
      .all([ctx.accountId, pulumi.all(facts.roleArns ?? {})])
      .apply(([accountId, roleArns]) =>
        gitOpsClusterMetadata({ ...ctx, accountId, facts, roleArns }),
      );
    const clusterSecret = new k8s.core.v1.Secret(
      `${name}-cluster`,
      gitOpsClusterSecret({ clusterName: ctx.clusterName, namespace: ARGOCD.namespace, metadata }),
      { ...k8sOpts, dependsOn: released },
    );
    const ready: pulumi.Resource[] = [...released, clusterSecret];
    // Argo CD makes `default` at start-up: a Patch takes it over (patchForce), left on delete.
    new k8s.apiextensions.CustomResourcePatch(
      `${name}-default-project`,
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "AppProject",
        metadata: {
          name: "default",
          namespace: ARGOCD.namespace,
          annotations: { "pulumi.com/patchForce": "true" },
        },
        spec: lockedDefaultProject(),
      },
      { ...k8sOpts, dependsOn: released, retainOnDelete: true },
    );
    if (b) {
      const projects = [
        bootstrapProject(b.repoUrl, ARGOCD.namespace),
        ...Object.entries(s.teams ?? {}).map(([team, ns]) => teamProject(team, ns, b.repoUrl)),
      ].map(
        (p) =>
          new k8s.apiextensions.CustomResource(`${name}-project-${p.metadata.name}`, p, {
            ...k8sOpts,
            dependsOn: released,
          }),
      );
      const repo = b.credentialsKey
        ? [
            new k8s.apiextensions.CustomResource(
              `${name}-repository`,
              repositoryExternalSecret({ ...b, credentialsKey: b.credentialsKey }),
              { ...k8sOpts, dependsOn: released },
            ),
          ]
        : [];
      // After the cluster Secret, so the first sync already sees this cluster's facts.
      ready.push(
        new k8s.apiextensions.CustomResource(`${name}-root`, rootApplication(b), {
          ...k8sOpts,
          dependsOn: [...released, clusterSecret, ...repo, ...projects],
        }),
      );
    }
    return { ready };
  },
};

/**
 * The selection with `facts` merged into Argo CD's cluster facts (and `teams`, when given, as its
 * teams' namespaces), if Argo CD is selected.
 */
export function withGitOpsFacts<T extends { argocd?: ArgocdSettings }>(
  selection: T | undefined,
  facts: GitOpsClusterFacts,
  teams?: Record<string, string[]>,
): T | undefined {
  const a = selection?.argocd;
  if (!selection || !a) return selection;
  const cluster = { ...a.cluster, ...facts };
  return { ...selection, argocd: { ...a, cluster, ...(teams ? { teams } : {}) } };
}
