import * as k8s from "@pulumi/kubernetes";
import { irsaAnnotation, PolicyDocument } from "../access/irsa-policy";
import { problem } from "../problems";
import { clusterKinds, namespacedKinds } from "./crds";
import { stringListProblems } from "./settings";
import { type AddonSpec, type CommonSettings, present } from "./spec";
import { requests, ValueLayers } from "./values";

export const EXTERNAL_SECRETS = {
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
  /** The ClusterSecretStores teams name in their ExternalSecrets (`secretStoreRef.name`). */
  stores: { secretsManager: "aws-secrets-manager", parameterStore: "aws-parameter-store" },
} as const;

export interface ExternalSecretsSettings extends CommonSettings {
  /**
   * The path prefix this cluster reads, without leading or trailing `/`: Secrets Manager secrets
   * named `<prefix>/…` and SSM parameters named `/<prefix>/…`. Its IAM role reaches nothing else,
   * and both stores prepend it, so an ExternalSecret's `remoteRef.key` (`team-a/db`) stays the
   * same when the prefix moves (the migration's cut-over, docs/migration.md). @default the cluster name
   */
  prefix?: string;
  /**
   * Namespaces whose ExternalSecrets may use the two stores (ClusterSecretStore
   * `spec.conditions`). A Secret always lands in its ExternalSecret's own namespace.
   * @default every namespace
   */
  namespaces?: string[];
}

/** `prefix` with its default (the cluster name) applied. */
export const secretsPrefix = (s: ExternalSecretsSettings, clusterName: string): string =>
  s.prefix ?? clusterName;

export interface ExternalSecretsValuesInput {
  roleArn: string;
  /** Create a ServiceMonitor (needs the Prometheus operator's CRDs). @default false */
  serviceMonitor?: boolean;
}

/** Chart values (external-secrets helm-chart-2.9.0, deploy/charts/external-secrets/values.yaml). */
export function externalSecretsValues(i: ExternalSecretsValuesInput): ValueLayers {
  const monitored = i.serviceMonitor ?? false;
  return {
    defaults: {
      resources: requests("50m", "128Mi", "256Mi"),
      webhook: { resources: requests("20m", "64Mi", "128Mi") },
      certController: { resources: requests("20m", "64Mi", "128Mi") },
      serviceMonitor: { enabled: monitored },
      metrics: { service: { enabled: monitored } },
    },
    owned: {
      // The CRDs are templates in this chart (templates/crds/), so they move with every upgrade;
      // our ClusterSecretStores need ClusterSecretStore's.
      installCRDs: true,
      serviceAccount: {
        create: true,
        name: EXTERNAL_SECRETS.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
    },
  };
}

export interface ExternalSecretsPolicyInput {
  partition: string;
  region: string;
  accountId: string;
  prefix: string;
}

/**
 * Read-only, under one prefix. Secrets Manager ARNs end in the name plus `-` and six random
 * characters, so `secret:<prefix>/*` matches every secret named `<prefix>/…`; a parameter's ARN is
 * its name without the leading `/` (`parameter/<prefix>/…`), and GetParametersByPath is authorised
 * on the path itself (Service Authorization Reference, AWS Systems Manager: resource `parameter`).
 * SecureString parameters and secrets under the AWS managed keys need no kms:Decrypt: those keys'
 * policies admit any principal of the account through the service (`kms:ViaService`).
 * ESO's own example (docs/provider/aws-secrets-manager.md at v2.9.0) adds ListSecrets and
 * BatchGetSecretValue on `*`, which `find` by name or tags needs: left out, as `*` would reach
 * every secret's name in the account.
 */
export function externalSecretsPolicy(i: ExternalSecretsPolicyInput): PolicyDocument {
  const at = (service: string, resource: string) =>
    `arn:${i.partition}:${service}:${i.region}:${i.accountId}:${resource}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSecretsUnderPrefix",
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: [at("secretsmanager", `secret:${i.prefix}/*`)],
      },
      {
        Sid: "ReadParametersUnderPrefix",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
        Resource: [at("ssm", `parameter/${i.prefix}`), at("ssm", `parameter/${i.prefix}/*`)],
      },
    ],
  };
}

/**
 * The two stores every team uses. No `auth`: ESO then uses the controller's own credentials, our
 * IRSA role ("Controller's Pod Identity", docs/provider/aws-access.md at v2.9.0). `prefix` is
 * prepended to every key with no separator added (same page, "Prefix"), hence the slashes here.
 */
export function clusterSecretStores(i: {
  region: string;
  prefix: string;
  namespaces?: string[];
}): { name: string; spec: Record<string, unknown> }[] {
  const conditions = i.namespaces ? { conditions: [{ namespaces: i.namespaces }] } : {};
  const store = (service: string, prefix: string) => ({
    provider: { aws: { service, region: i.region, prefix } },
    ...conditions,
  });
  return [
    {
      name: EXTERNAL_SECRETS.stores.secretsManager,
      spec: store("SecretsManager", `${i.prefix}/`),
    },
    {
      name: EXTERNAL_SECRETS.stores.parameterStore,
      spec: store("ParameterStore", `/${i.prefix}/`),
    },
  ];
}

/** Characters both services allow in a name (SSM is the narrower), in `/`-separated segments. */
const PREFIX = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function externalSecretsProblems(s: ExternalSecretsSettings, at: string): string[] {
  const out: string[] = [];
  if (s.prefix !== undefined) {
    if (typeof s.prefix !== "string" || !PREFIX.test(s.prefix)) {
      out.push(
        problem(
          `${at}.prefix`,
          "not a secret path prefix",
          s.prefix,
          "use segments of letters, digits, _ . - joined by /, without a leading or trailing / or wildcards, such as eks-blueprint-prod2",
        ),
      );
    } else if (/^(aws|ssm)/i.test(s.prefix)) {
      // SSM refuses parameter names that begin with aws or ssm (PutParameter, Name).
      out.push(
        problem(
          `${at}.prefix`,
          "begins with a name SSM reserves",
          s.prefix,
          "use a prefix that does not begin with aws or ssm",
        ),
      );
    }
  }
  if (s.namespaces !== undefined) {
    out.push(
      ...(Array.isArray(s.namespaces) && s.namespaces.length === 0
        ? [
            problem(
              `${at}.namespaces`,
              "empty",
              s.namespaces,
              "list the namespaces that may use the stores, or leave it out for every namespace",
            ),
          ]
        : stringListProblems(
            s.namespaces,
            NAMESPACE,
            `${at}.namespaces`,
            "namespace name",
            "use Kubernetes namespace names such as api",
          )),
    );
  }
  return out;
}

export const externalSecrets: AddonSpec<ExternalSecretsSettings> = {
  component: "ExternalSecrets",
  summary:
    "External Secrets Operator with ClusterSecretStores for Secrets Manager and Parameter Store, read-only under one prefix.",
  namespace: {
    name: EXTERNAL_SECRETS.namespace,
    podSecurity: "restricted",
    why: "the chart's three containers run non-root, read-only, without capabilities, with the RuntimeDefault seccomp profile",
  },
  defaults: { prefix: undefined, namespaces: undefined },
  problems: externalSecretsProblems,
  installAfter: { prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs" },
  role: {
    serviceAccount: EXTERNAL_SECRETS.serviceAccount,
    roleSuffix: "external-secrets",
    policy: (ctx, r, s) =>
      externalSecretsPolicy({
        partition: ctx.partition,
        region: ctx.region,
        accountId: r.accountId,
        prefix: secretsPrefix(s, ctx.clusterName),
      }),
  },
  chart: {
    // app v2.9.0
    pin: {
      chart: "external-secrets",
      version: "2.9.0",
      repo: "https://charts.external-secrets.io",
      source:
        "https://github.com/external-secrets/external-secrets/blob/helm-chart-2.9.0/deploy/charts/external-secrets/Chart.yaml",
    },
    // templates/crds/ is generated at packaging (its README.md there) from config/crds/bases.
    crds: {
      checkedAt: "2.9.0",
      delivery: "templates",
      kinds: [
        ...clusterKinds(
          "external-secrets.io",
          "ClusterExternalSecret",
          "ClusterPushSecret",
          "ClusterSecretStore",
        ),
        ...namespacedKinds("external-secrets.io", "ExternalSecret", "PushSecret", "SecretStore"),
        ...clusterKinds("generators.external-secrets.io", "ClusterGenerator"),
        ...namespacedKinds(
          "generators.external-secrets.io",
          "ACRAccessToken",
          "BeyondtrustWorkloadCredentialsDynamicSecret",
          "CloudsmithAccessToken",
          "ECRAuthorizationToken",
          "Fake",
          "GCRAccessToken",
          "GeneratorState",
          "GithubAccessToken",
          "GitlabDeployToken",
          "Grafana",
          "MFA",
          "Password",
          "QuayAccessToken",
          "SSHKey",
          "STSSessionToken",
          "UUID",
          "VaultDynamicSecret",
          "Webhook",
        ),
      ],
      source:
        "https://github.com/external-secrets/external-secrets/tree/helm-chart-2.9.0/config/crds/bases",
    },
    release: "external-secrets",
    values: ({ resolved, serviceMonitor }) =>
      externalSecretsValues({
        roleArn: present(resolved.roleArn, "its IRSA role"),
        serviceMonitor,
      }),
  },
  finish: ({ name, context: ctx, settings: s, k8s: k8sOpts }, { released }) => {
    const stores = clusterSecretStores({
      region: ctx.region,
      prefix: secretsPrefix(s, ctx.clusterName),
      namespaces: s.namespaces,
    }).map(
      (store) =>
        new k8s.apiextensions.CustomResource(
          `${name}-${store.name}`,
          {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterSecretStore",
            metadata: { name: store.name },
            spec: store.spec,
          },
          // The release waits for the webhook, which validates every store.
          { ...k8sOpts, dependsOn: released },
        ),
    );
    return { ready: [...released, ...stores] };
  },
};
