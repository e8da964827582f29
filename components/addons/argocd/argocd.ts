import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isRecord, problem, problemList, unknownFieldProblems } from "../../problems";
import { gitOpsClusterMetadata, GitOpsClusterFacts, gitOpsClusterSecret } from "./argocd-cluster";
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
  /** Branch, tag or commit; pin a tag or commit so both clusters run the same thing. */
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
      // SSO is each organisation's own; the admin login is Argo CD's default.
      dex: { enabled: false },
    },
    owned: {
      // Templates, upgraded with the chart, kept on uninstall: that would delete every Application.
      crds: { install: true, keep: true },
    },
  };
}

/** The root Application: the repository's path, synced automatically. */
export function rootApplication(b: ArgocdBootstrap) {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    // No deletion finalizer: removing this Application leaves what it deployed in place
    // (https://argo-cd.readthedocs.io/en/stable/user-guide/app_deletion/#about-the-deletion-finalizer).
    metadata: { name: ARGOCD.rootApp, namespace: ARGOCD.namespace },
    spec: {
      project: "default",
      source: { repoURL: b.repoUrl, targetRevision: b.revision, path: b.path },
      destination: { server: "https://kubernetes.default.svc", namespace: ARGOCD.namespace },
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

export function argocdProblems(s: ArgocdSettings, at: string): string[] {
  const facts = unknownFieldProblems(s.cluster, Object.keys(CLUSTER_FACTS), `${at}.cluster`);
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
  for (const k of ["revision", "path"] as const) {
    if (typeof b[k] !== "string" || b[k].trim() === "") {
      add(
        `${p}.${k}`,
        "missing",
        b[k],
        k === "path"
          ? "give the directory of the root app's manifests"
          : "give a tag or commit both clusters deploy",
      );
    }
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
    "Argo CD with an app-of-apps from one repository, and this cluster's facts in its cluster Secret.",
  namespace: {
    name: ARGOCD.namespace,
    podSecurity: "restricted",
    why: "every Argo CD container runs non-root, read-only, without capabilities, with the RuntimeDefault seccomp profile (the chart's containerSecurityContext defaults)",
  },
  defaults: { bootstrap: undefined, cluster: undefined },
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
    if (b) {
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
          dependsOn: [...released, clusterSecret, ...repo],
        }),
      );
    }
    return { ready };
  },
};

/** The selection with `facts` merged into Argo CD's cluster facts, if Argo CD is selected. */
export function withGitOpsFacts<T extends { argocd?: ArgocdSettings }>(
  selection: T | undefined,
  facts: GitOpsClusterFacts,
): T | undefined {
  const a = selection?.argocd;
  if (!selection || !a) return selection;
  return { ...selection, argocd: { ...a, cluster: { ...a.cluster, ...facts } } };
}
