import { allow, policyDocument, PolicyDocument } from "../access/irsa-policy";
import { problemList } from "../problems";
import { clusterKinds, namespacedKinds } from "./crds";
import { type AddonSpec, type CommonSettings, type ValuesInput } from "./spec";
import { irsaServiceAccount, requests, ValueLayers } from "./values";

export const EXTERNAL_SECRETS = {
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
  apiVersion: "external-secrets.io/v1",
  /** Each workload namespace's SecretStores, as ExternalSecrets name them (`secretStoreRef`). */
  stores: { secretsManager: "aws-secrets-manager", parameterStore: "aws-parameter-store" },
} as const;

export interface ExternalSecretsSettings extends CommonSettings {
  /**
   * Path prefix without leading or trailing `/`: its role reads `<prefix>/…` secrets and
   * `/<prefix>/…` parameters; each namespace's stores prepend `<prefix>/<namespace>/`, so
   * `remoteRef.key` survives a move and never reaches another namespace's secrets.
   * @default the cluster name
   */
  prefix?: string;
}

export const secretsPrefix = (s: ExternalSecretsSettings, clusterName: string): string =>
  s.prefix ?? clusterName;

/** Chart values (external-secrets helm-chart-2.9.0, deploy/charts/external-secrets/values.yaml). */
export function externalSecretsValues({
  resolved,
  serviceMonitor: monitored,
}: ValuesInput<unknown>): ValueLayers {
  return {
    defaults: {
      resources: requests("50m", "128Mi", "256Mi"),
      webhook: { resources: requests("20m", "64Mi", "128Mi") },
      certController: { resources: requests("20m", "64Mi", "128Mi") },
      serviceMonitor: { enabled: monitored },
      metrics: { service: { enabled: monitored } },
    },
    owned: {
      // CRDs as templates (templates/crds/), so upgrades move them; our stores need them.
      installCRDs: true,
      serviceAccount: irsaServiceAccount(EXTERNAL_SECRETS.serviceAccount, resolved),
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
 * Secret ARNs end in `-` and six random characters, so `secret:<prefix>/*` matches `<prefix>/…`;
 * parameter ARNs drop the leading `/` (Service Authorization Reference, AWS Systems Manager:
 * resource `parameter`). No kms:Decrypt: AWS managed
 * keys admit the account via the service (`kms:ViaService`). ESO's example
 * (docs/provider/aws-secrets-manager.md at v2.9.0) adds ListSecrets and BatchGetSecretValue on `*`
 * for `find`; `*` would reveal every secret's name.
 */
export function externalSecretsPolicy(i: ExternalSecretsPolicyInput): PolicyDocument {
  const at = (service: string, resource: string) =>
    `arn:${i.partition}:${service}:${i.region}:${i.accountId}:${resource}`;
  return policyDocument(
    allow(
      "ReadSecretsUnderPrefix",
      ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      [at("secretsmanager", `secret:${i.prefix}/*`)],
    ),
    allow(
      "ReadParametersUnderPrefix",
      // No GetParametersByPath: ESO's `dataFrom.find` lists by the ExternalSecret's own path,
      // without the store's prefix (providers/v1/aws/parameterstore/parameterstore.go, findByName),
      // so one namespace could list another's; find is refused, as ListSecrets refuses it for
      // Secrets Manager.
      ["ssm:GetParameter", "ssm:GetParameters"],
      [at("ssm", `parameter/${i.prefix}`), at("ssm", `parameter/${i.prefix}/*`)],
    ),
  );
}

/**
 * One namespace's two stores: namespaced, so only its own ExternalSecrets can name them (ESO reads
 * a `SecretStore` only from the ExternalSecret's namespace), each prepending `<prefix>/<namespace>/`
 * to every key. No `auth`: ESO uses the controller's IRSA role ("Controller's Pod Identity",
 * docs/provider/aws-access.md at v2.9.0); `prefix` takes no separator. Teams cannot make a store of
 * their own: AmazonEKSEditPolicy grants no external-secrets.io kind, and Argo CD's team project
 * admits none but ExternalSecret.
 */
export function secretStores(i: {
  region: string;
  prefix: string;
  namespace: string;
}): { name: string; spec: Record<string, unknown> }[] {
  const store = (name: string, service: string, prefix: string) => ({
    name,
    spec: { provider: { aws: { service, region: i.region, prefix } } },
  });
  const path = `${i.prefix}/${i.namespace}/`;
  return [
    store(EXTERNAL_SECRETS.stores.secretsManager, "SecretsManager", path),
    store(EXTERNAL_SECRETS.stores.parameterStore, "ParameterStore", `/${path}`),
  ];
}

/** Characters both services allow in a name (SSM is the narrower), in `/`-separated segments. */
const PREFIX = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export function externalSecretsProblems(s: ExternalSecretsSettings, at: string): string[] {
  const [out, add] = problemList();
  if (s.prefix !== undefined && (typeof s.prefix !== "string" || !PREFIX.test(s.prefix))) {
    add(
      `${at}.prefix`,
      "not a secret path prefix",
      s.prefix,
      "use segments of letters, digits, _ . - joined by /, without a leading or trailing / or wildcards, such as eks-blueprint-prod2",
    );
  } else if (s.prefix !== undefined && /^(aws|ssm)/i.test(s.prefix)) {
    // SSM refuses parameter names that begin with aws or ssm (PutParameter, Name).
    add(
      `${at}.prefix`,
      "begins with a name SSM reserves",
      s.prefix,
      "use a prefix that does not begin with aws or ssm",
    );
  }
  return out;
}

export const externalSecrets: AddonSpec<ExternalSecretsSettings> = {
  component: "ExternalSecrets",
  summary:
    "External Secrets Operator, read-only under one prefix; each workload namespace gets stores for Secrets Manager and Parameter Store under its own.",
  namespace: {
    name: EXTERNAL_SECRETS.namespace,
    podSecurity: "restricted",
    why: "the chart's three containers run non-root, read-only, without capabilities, with the RuntimeDefault seccomp profile",
  },
  defaults: { prefix: undefined },
  problems: externalSecretsProblems,
  installAfter: { prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs" },
  role: {
    serviceAccount: EXTERNAL_SECRETS.serviceAccount,
    roleSuffix: "external-secrets",
    policy: (ctx, r, s) =>
      externalSecretsPolicy({ ...ctx, ...r, prefix: secretsPrefix(s, ctx.clusterName) }),
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
          "ClusterExternalSecret ClusterPushSecret ClusterSecretStore",
        ),
        ...namespacedKinds("external-secrets.io", "ExternalSecret PushSecret SecretStore"),
        ...clusterKinds("generators.external-secrets.io", "ClusterGenerator"),
        ...namespacedKinds(
          "generators.external-secrets.io",
          "ACRAccessToken BeyondtrustWorkloadCredentialsDynamicSecret CloudsmithAccessToken",
          "ECRAuthorizationToken Fake GCRAccessToken GeneratorState GithubAccessToken",
          "GitlabDeployToken Grafana MFA Password QuayAccessToken SSHKey STSSessionToken UUID",
          "VaultDynamicSecret Webhook",
        ),
      ],
      source:
        "https://github.com/external-secrets/external-secrets/tree/helm-chart-2.9.0/config/crds/bases",
    },
    release: "external-secrets",
    values: externalSecretsValues,
  },
};
