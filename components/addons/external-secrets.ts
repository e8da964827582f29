import { DNS_LABEL } from "../kubernetes-names";
import { allow, policyDocument, PolicyDocument } from "../access/irsa-policy";
import { problemList } from "../problems";
import { clusterKinds, customResource, namespacedKinds } from "./crds";
import { stringListProblems } from "./settings";
import { type AddonSpec, type CommonSettings, type ValuesInput } from "./spec";
import { irsaServiceAccount, requests, ValueLayers } from "./values";

export const EXTERNAL_SECRETS = {
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
  /** The ClusterSecretStores teams name in their ExternalSecrets (`secretStoreRef.name`). */
  stores: { secretsManager: "aws-secrets-manager", parameterStore: "aws-parameter-store" },
} as const;

export interface ExternalSecretsSettings extends CommonSettings {
  /**
   * Path prefix without leading or trailing `/`: its role reads `<prefix>/…` secrets and
   * `/<prefix>/…` parameters; stores prepend it, so `remoteRef.key` survives a move.
   * @default the cluster name
   */
  prefix?: string;
  /** Namespaces allowed to use the stores (`spec.conditions`). @default every namespace */
  namespaces?: string[];
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
 * parameter ARNs drop the leading `/`; GetParametersByPath is authorised on the path (Service
 * Authorization Reference, AWS Systems Manager: resource `parameter`). No kms:Decrypt: AWS managed
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
      ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
      [at("ssm", `parameter/${i.prefix}`), at("ssm", `parameter/${i.prefix}/*`)],
    ),
  );
}

/**
 * The two stores every team uses. No `auth`: ESO uses the controller's IRSA role ("Controller's Pod
 * Identity", docs/provider/aws-access.md at v2.9.0); `prefix` takes no separator.
 */
export function clusterSecretStores(i: {
  region: string;
  prefix: string;
  namespaces?: string[];
}): { name: string; spec: Record<string, unknown> }[] {
  const conditions = i.namespaces ? { conditions: [{ namespaces: i.namespaces }] } : {};
  const store = (name: string, service: string, prefix: string) => ({
    name,
    spec: { provider: { aws: { service, region: i.region, prefix } }, ...conditions },
  });
  return [
    store(EXTERNAL_SECRETS.stores.secretsManager, "SecretsManager", `${i.prefix}/`),
    store(EXTERNAL_SECRETS.stores.parameterStore, "ParameterStore", `/${i.prefix}/`),
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
  if (Array.isArray(s.namespaces) && s.namespaces.length === 0) {
    add(
      `${at}.namespaces`,
      "empty",
      s.namespaces,
      "list the namespaces that may use the stores, or leave it out for every namespace",
    );
  } else if (s.namespaces !== undefined) {
    out.push(
      ...stringListProblems(
        s.namespaces,
        DNS_LABEL,
        `${at}.namespaces`,
        "namespace name",
        "use Kubernetes namespace names such as api",
      ),
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
  finish: ({ name, context: ctx, settings: s, k8s: k8sOpts }, { released }) => {
    const prefix = secretsPrefix(s, ctx.clusterName);
    const stores = clusterSecretStores({ ...ctx, ...s, prefix }).map((store) =>
      customResource(
        `${name}-${store.name}`,
        ["external-secrets.io/v1", "ClusterSecretStore"],
        { name: store.name },
        store.spec,
        // The release waits for the webhook, which validates every store.
        { ...k8sOpts, dependsOn: released },
      ),
    );
    return { ready: [...released, ...stores] };
  },
};
