import {
  clusterSecretStores,
  externalSecretsPolicy,
  externalSecretsProblems,
  externalSecretsValues,
} from "../components/addons/external-secrets";
import { addonOf, fakeContext, one, byType, synthProgram, valuesInput } from "./day2-context";

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
        Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
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

test("both stores prepend the prefix, so a team's key stays the same across a cut-over", () => {
  expect(clusterSecretStores({ region: "us-west-2", prefix: "eks-blueprint" })).toEqual([
    {
      name: "aws-secrets-manager",
      spec: {
        provider: {
          aws: { service: "SecretsManager", region: "us-west-2", prefix: "eks-blueprint/" },
        },
      },
    },
    {
      name: "aws-parameter-store",
      spec: {
        provider: {
          aws: { service: "ParameterStore", region: "us-west-2", prefix: "/eks-blueprint/" },
        },
      },
    },
  ]);
});

test("namespaces, when given, limit who may use the stores", () => {
  const [sm] = clusterSecretStores({ region: "r", prefix: "p", namespaces: ["api", "game"] });
  expect(sm.spec.conditions).toEqual([{ namespaces: ["api", "game"] }]);
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
  [
    "no namespaces",
    { namespaces: [] },
    [
      "a.namespaces: empty (got []); list the namespaces that may use the stores, or leave it out for every namespace",
    ],
  ],
  [
    "a bad namespace",
    { namespaces: ["Api"] },
    [
      'a.namespaces[0]: not a namespace name (got "Api"); use Kubernetes namespace names such as api',
    ],
  ],
])("settings: %s", (_what, settings, problems) => {
  expect(externalSecretsProblems(settings, "a")).toEqual(problems);
});

test("synth: the chart, the prefix defaulting to the cluster name, and two stores after the release", async () => {
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
  const stores = byType(r, "kubernetes:external-secrets.io/v1:ClusterSecretStore");
  expect(stores.map((s) => [s.name, s.dependsOn])).toEqual([
    [
      "eso-aws-parameter-store",
      ["kubernetes:helm.sh/v3:Release::eso", "pulumi:providers:kubernetes::k8s"],
    ],
    [
      "eso-aws-secrets-manager",
      ["kubernetes:helm.sh/v3:Release::eso", "pulumi:providers:kubernetes::k8s"],
    ],
  ]);
  expect(
    one(r, "kubernetes:core/v1:Namespace", "eso-ns-external-secrets").inputs.metadata,
  ).toMatchObject({
    labels: { "pod-security.kubernetes.io/enforce": "restricted" },
  });
});
