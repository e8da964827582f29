/**
 * Cluster facts for Argo CD's applications, published as gitops-bridge does
 * (gitops-bridge-dev/terraform-helm-gitops-bridge main.tf, "ArgoCD Cluster"): a Secret whose labels
 * and annotations ApplicationSets select on and template from.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The label Argo CD reads cluster Secrets by (its declarative setup docs, "Clusters"). */
export const CLUSTER_SECRET_LABEL = "argocd.argoproj.io/secret-type";

/** The label an ApplicationSet selects a singleton on: present, `"owned"`, only where it runs. */
export const singletonLabel = (singleton: string): string =>
  `singleton.eks-blueprint.dev/${singleton}`;

/** What the stack and the blueprint know about the cluster, for its applications. */
export interface GitOpsClusterFacts {
  /** This cluster's share of the shared hostnames (`migration:weight`). @default none: not published */
  weight?: number;
  /** Singletons by name, with whether this cluster runs them (`migration:singletons`). @default {} */
  singletons?: Record<string, boolean>;
  /** Workload role ARNs by short name (the blueprint's `irsaRoles`). @default {} */
  roleArns?: Record<string, pulumi.Input<string>>;
}

/** The cluster Secret's labels and annotations, from plain facts. */
export function gitOpsClusterMetadata(i: {
  clusterName: string;
  region: string;
  accountId: string;
  facts: GitOpsClusterFacts;
  roleArns: Record<string, string>;
}): { labels: Record<string, string>; annotations: Record<string, string> } {
  const singletons = i.facts.singletons ?? {};
  const owned = Object.keys(singletons)
    .filter((n) => singletons[n])
    .sort();
  const labels: Record<string, string> = {
    [CLUSTER_SECRET_LABEL]: "cluster",
    cluster_name: i.clusterName,
    enable_argocd: "true",
  };
  for (const n of owned) labels[singletonLabel(n)] = "owned";
  const annotations: Record<string, string> = {
    aws_account_id: i.accountId,
    aws_cluster_name: i.clusterName,
    aws_region: i.region,
    cluster_name: i.clusterName,
    singletons_owned: owned.join(","),
  };
  if (i.facts.weight !== undefined) annotations.migration_weight = String(i.facts.weight);
  for (const [role, arn] of Object.entries(i.roleArns).sort(([a], [b]) => a.localeCompare(b))) {
    annotations[`${role}_iam_role_arn`] = arn;
  }
  return { labels, annotations };
}

/** In-cluster Secret (gitops-bridge's `kubernetes_secret_v1.cluster`): local API, TLS verified. */
export function gitOpsClusterSecret(i: {
  clusterName: string;
  namespace: string;
  metadata: pulumi.Output<{ labels: Record<string, string>; annotations: Record<string, string> }>;
}) {
  return {
    metadata: {
      name: i.clusterName,
      namespace: i.namespace,
      labels: i.metadata.labels,
      annotations: i.metadata.annotations,
    },
    stringData: {
      name: i.clusterName,
      server: "https://kubernetes.default.svc",
      config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
    },
  };
}
