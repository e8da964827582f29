import { simulate } from "../policy/coexist/isolation-resources";
import {
  secretStores,
  externalSecretsPolicy,
  externalSecretsProblems,
  externalSecretsValues,
} from "../components/addons/external-secrets";
import { addonOf, fakeContext, one, byType, synthProgram, valuesInput } from "./day2-context";
import { committedSynth } from "./stack-harness";

const input = {
  partition: "aws",
  region: "us-west-2",
  accountId: "111122223333",
  prefix: "eks-blueprint-prod2",
};

test("the role reads secrets and parameters under its prefix, and nothing else", () => {
  expect(externalSecretsPolicy(input)).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSecretsUnderPrefix",
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: ["arn:aws:secretsmanager:us-west-2:111122223333:secret:eks-blueprint-prod2/*"],
      },
      {
        Sid: "ReadParametersUnderPrefix",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: [
          "arn:aws:ssm:us-west-2:111122223333:parameter/eks-blueprint-prod2",
          "arn:aws:ssm:us-west-2:111122223333:parameter/eks-blueprint-prod2/*",
        ],
      },
    ],
  });
});

test("no statement writes, lists the account or reaches `*`", () => {
  const actions = externalSecretsPolicy(input).Statement.flatMap((s) => s.Action);
  const resources = externalSecretsPolicy(input).Statement.flatMap((s) => s.Resource);
  expect(actions.filter((a) => !/:(Get|Describe)/.test(a))).toEqual([]);
  expect(resources).not.toContain("*");
});

test("a namespace's two stores read only under <prefix>/<namespace>/, so a key stays the same across a cut-over", () => {
  expect(secretStores({ region: "us-west-2", prefix: "eks-blueprint", namespace: "api" })).toEqual([
    {
      name: "aws-secrets-manager",
      spec: {
        provider: {
          aws: { service: "SecretsManager", region: "us-west-2", prefix: "eks-blueprint/api/" },
        },
      },
    },
    {
      name: "aws-parameter-store",
      spec: {
        provider: {
          aws: { service: "ParameterStore", region: "us-west-2", prefix: "/eks-blueprint/api/" },
        },
      },
    },
  ]);
});

test("prod2: no ClusterSecretStore; every namespace's stores read under its own name only", () => {
  const r = committedSynth("prod2");
  expect(byType(r, "kubernetes:external-secrets.io/v1:ClusterSecretStore")).toEqual([]);
  const stores = byType(r, "kubernetes:external-secrets.io/v1:SecretStore").map((s) => {
    const { namespace, name } = s.inputs.metadata as { namespace: string; name: string };
    const { prefix } = (s.inputs.spec as { provider: { aws: { prefix: string } } }).provider.aws;
    return `${namespace}/${name}: ${prefix}`;
  });
  expect(stores.sort()).toEqual([
    "api/aws-parameter-store: /eks-blueprint-prod2/api/",
    "api/aws-secrets-manager: eks-blueprint-prod2/api/",
    "argocd/aws-parameter-store: /eks-blueprint-prod2/argocd/",
    "argocd/aws-secrets-manager: eks-blueprint-prod2/argocd/",
    "batch-jobs/aws-parameter-store: /eks-blueprint-prod2/batch-jobs/",
    "batch-jobs/aws-secrets-manager: eks-blueprint-prod2/batch-jobs/",
    "game/aws-parameter-store: /eks-blueprint-prod2/game/",
    "game/aws-secrets-manager: eks-blueprint-prod2/game/",
    "notifications/aws-parameter-store: /eks-blueprint-prod2/notifications/",
    "notifications/aws-secrets-manager: eks-blueprint-prod2/notifications/",
  ]);
});

test("the service account we own carries the role; requests are set for all three pods", () => {
  const v = externalSecretsValues(
    valuesInput({}, {}, { roleArn: "arn:aws:iam::111122223333:role/r" }),
  );
  expect(v.owned).toEqual({
    installCRDs: true,
    serviceAccount: {
      create: true,
      name: "external-secrets",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/r" },
    },
  });
  expect(v.defaults).toMatchObject({
    resources: { requests: { cpu: "50m", memory: "128Mi" } },
    webhook: { resources: { requests: { cpu: "20m", memory: "64Mi" } } },
    certController: { resources: { requests: { cpu: "20m", memory: "64Mi" } } },
  });
});

test.each<[string, object, string[]]>([
  ["defaults", {}, []],
  ["a nested prefix", { prefix: "platform/eks-blueprint-prod2" }, []],
  [
    "a wildcard",
    { prefix: "prod*" },
    [
      'a.prefix: not a secret path prefix (got "prod*"); use segments of letters, digits, _ . - joined by /, without a leading or trailing / or wildcards, such as eks-blueprint-prod2',
    ],
  ],
  [
    "a leading slash",
    { prefix: "/prod" },
    [
      'a.prefix: not a secret path prefix (got "/prod"); use segments of letters, digits, _ . - joined by /, without a leading or trailing / or wildcards, such as eks-blueprint-prod2',
    ],
  ],
  [
    "a reserved SSM name",
    { prefix: "aws-prod" },
    [
      'a.prefix: begins with a name SSM reserves (got "aws-prod"); use a prefix that does not begin with aws or ssm',
    ],
  ],
])("settings: %s", (_what, settings, problems) => {
  expect(externalSecretsProblems(settings, "a")).toEqual(problems);
});

test("synth: the chart and the prefix defaulting to the cluster name; no store of its own", async () => {
  const r = await synthProgram(() => addonOf("eso", "externalSecrets", {}, fakeContext()));
  const release = one(r, "kubernetes:helm.sh/v3:Release", "eso");
  expect(release.inputs).toMatchObject({
    chart: "external-secrets",
    version: "2.9.0",
    repositoryOpts: { repo: "https://charts.external-secrets.io" },
    namespace: "external-secrets",
    name: "external-secrets",
  });
  const policy = JSON.parse(
    one(r, "aws:iam/rolePolicy:RolePolicy", "eso-irsa-permissions").inputs.policy as string,
  ) as { Statement: { Resource: string[] }[] };
  expect(policy.Statement[0].Resource).toEqual([
    "arn:aws:secretsmanager:us-west-2:111122223333:secret:day2-test/*",
  ]);
  expect(r.resources.filter((x) => x.type.startsWith("kubernetes:external-secrets.io"))).toEqual(
    [],
  );
  expect(
    one(r, "kubernetes:core/v1:Namespace", "eso-ns-external-secrets").inputs.metadata,
  ).toMatchObject({
    labels: { "pod-security.kubernetes.io/enforce": "restricted" },
  });
});

test("dataFrom.find cannot list another namespace's parameters: no GetParametersByPath", async () => {
  // ESO's Parameter Store find lists by the ExternalSecret's own path, without the store's prefix
  // (providers/v1/aws/parameterstore/parameterstore.go, findByName): IAM is what refuses it.
  const policies = [{ name: "eso", policy: externalSecretsPolicy(input) }];
  const role = "arn:aws:iam::111122223333:role/eks-blueprint-prod2-external-secrets";
  const ask = (action: string, name: string) =>
    simulate(
      role,
      policies,
      { action, resource: `arn:aws:ssm:us-west-2:111122223333:parameter/${name}`, context: {} },
      "111122223333",
    );
  expect(await ask("ssm:GetParametersByPath", "eks-blueprint-prod2/notifications")).toEqual({
    allowed: false,
  });
  expect(await ask("ssm:GetParameter", "eks-blueprint-prod2/game/db")).toEqual({ allowed: true });
});
