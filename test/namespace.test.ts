import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { blueprintNamespaceProblems } from "../components/blueprint/blueprint";
import {
  createNamespace,
  namespaceListProblems,
  POD_SECURITY_REASON_ANNOTATION,
  podSecurityException,
  podSecurityLabels,
  undeclaredNamespaceProblems,
} from "../components/teams/namespace";
import { WorkloadAccess } from "../components/access/workload-access";
import { SynthError } from "../synth/synthesize";
import type { SynthResult } from "../synth/record";
import { synthProgram } from "./day2-context";
import { byType, committedConfig, committedSynth, one } from "./stack-harness";
import { teamNamespacesOf, withHint } from "./stack-suites";

let prod2: SynthResult;
beforeAll(async () => {
  prod2 = committedSynth("prod2");
});

test("PSA labels enforce the namespace's level and warn and audit at restricted, pinned to the minor", () => {
  expect(podSecurityLabels("baseline", "1.35")).toEqual({
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/enforce-version": "v1.35",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "v1.35",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "v1.35",
  });
});

test.each([
  [
    ["Shop"],
    `ns[0]: not a namespace name (got "Shop"); use at most 63 lowercase letters, digits and '-'`,
  ],
  [
    ["api", "kube-system"],
    `ns[1]: a namespace Kubernetes creates itself (got "kube-system"); leave default, kube-node-lease, kube-public, kube-system out; objects may go into them as they are`,
  ],
  [["api", "game", "api"], `ns[2]: listed twice (got "api"); list each namespace once`],
])("the namespace list %j is refused", (names, message) => {
  expect(namespaceListProblems(names, "ns")).toEqual([message]);
});

test("a valid namespace list has no problems", () => {
  expect(namespaceListProblems(["api", "batch-jobs"], "ns")).toEqual([]);
});

test("an object in a namespace nobody creates is a problem; declared and EKS's own are not", () => {
  expect(
    undeclaredNamespaceProblems(
      [
        ["a.namespace", "api"],
        ["b.namespace", "kube-system"],
        ["c.namespace", "shop"],
      ],
      ["api"],
      "workloadNamespaces",
    ),
  ).toEqual([
    `c.namespace: a namespace this program does not create (got "shop"); declare it in workloadNamespaces (now ["api"]) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
  ]);
});

test("EksBlueprint words a pod security group in an undeclared namespace with library paths", () => {
  expect(
    blueprintNamespaceProblems({
      workloadNamespaces: ["game"],
      podSecurityGroups: {
        "api-server": { namespace: "api", podSelector: { app: "api-server" } },
        agent: { namespace: "kube-system", podSelector: { app: "agent" } },
      },
    }),
  ).toEqual([
    `podSecurityGroups.api-server.namespace: a namespace this program does not create (got "api"); declare it in workloadNamespaces (now ["game"]) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
  ]);
});

test("WorkloadAccess refuses a pod security group in a namespace it was not given, registering nothing", async () => {
  const attempt = synthProgram(
    () =>
      new WorkloadAccess("wa", {
        clusterName: "blue",
        oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/oidc.test/id/A",
        oidcIssuer: "oidc.test/id/A",
        vpcId: "vpc-0abc",
        clusterSecurityGroupId: "sg-0e45c100000000000",
        provider: undefined as unknown as k8s.Provider,
        podSecurityGroups: { api: { namespace: "api", podSelector: { app: "api" } } },
      }),
  );
  await expect(attempt).rejects.toThrow(
    `WorkloadAccess wa:\n  - podSecurityGroups.api.namespace: a namespace this program does not create (got "api"); declare it in namespaces (now []) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
  );
  const registered = await attempt.catch((e: SynthError) => e.resources);
  expect(registered).toEqual([]);
});

const RESTRICTED_1_35 = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "v1.35",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/warn-version": "v1.35",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/audit-version": "v1.35",
};

test("extra labels come first and annotations only when given, so PSA labels always win", async () => {
  const result = await synthProgram(() => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "p");
    const args = { kubernetesVersion: "1.35", provider: undefined as unknown as k8s.Provider };
    createNamespace(
      "p-ns",
      {
        ...args,
        name: "shop",
        podSecurity: "restricted",
        labels: {
          "pod-security.kubernetes.io/enforce": "privileged",
          "istio-injection": "enabled",
        },
        annotations: { [POD_SECURITY_REASON_ANNOTATION]: "none needed" },
      },
      { parent },
    );
    createNamespace("p-ns", { ...args, name: "plain", podSecurity: "restricted" }, { parent });
  });
  expect(byType(result, "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata)).toEqual([
    { name: "plain", labels: RESTRICTED_1_35 },
    {
      name: "shop",
      labels: { "istio-injection": "enabled", ...RESTRICTED_1_35 },
      annotations: { "eks-blueprint/pod-security-reason": "none needed" },
    },
  ]);
});

test.each([
  [undefined, { podSecurity: "restricted", annotations: {} }],
  [
    { level: "baseline" as const, reason: "the agent mounts a hostPath" },
    {
      podSecurity: "baseline",
      annotations: { "eks-blueprint/pod-security-reason": "the agent mounts a hostPath" },
    },
  ],
])("a team namespace's Pod Security from exception %j", (exception, want) => {
  expect(podSecurityException(exception)).toEqual(want);
});

describe("prod2's namespaces", () => {
  test("each workload namespace is a team's: restricted, meshed where it says so, created by Teams", () => {
    const workload = byType(prod2, "kubernetes:core/v1:Namespace").filter((r) =>
      r.name.startsWith("prod2-teams-ns-"),
    );
    const meshed = { "istio-injection": "enabled", ...RESTRICTED_1_35 };
    const teams = "eks-blueprint:index:Teams::prod2-teams";
    // The team namespaces prod2's file declares (eks-blueprint:teams), as it declares them.
    const declared = teamNamespacesOf(committedConfig("prod2")).filter((n) => !n.podSecurity);
    expect(declared.length).toBeGreaterThan(0);
    expect(
      workload
        .filter((r) => declared.some((n) => r.name === `prod2-teams-ns-${n.name}`))
        .map((r) => [r.name, r.inputs.metadata, r.parent]),
    ).toEqual(
      declared
        .map((n) => [
          `prod2-teams-ns-${n.name}`,
          { name: n.name, labels: n.mesh ? meshed : RESTRICTED_1_35 },
          teams,
        ])
        .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
    expect(workload.map((r) => r.name).sort()).toEqual(
      teamNamespacesOf(committedConfig("prod2"))
        .map((n) => `prod2-teams-ns-${n.name}`)
        .sort(),
    );
  });

  test("the api-server SecurityGroupPolicy waits for namespace api", () => {
    const policy = one(
      prod2,
      "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy",
      "prod2-workloads-api-server",
    );
    expect(policy.inputs.metadata).toEqual({ name: "api-server", namespace: "api" });
    expect(policy.dependsOn).toContain("kubernetes:core/v1:Namespace::prod2-teams-ns-api");
  });

  test("every Namespace's logical name ends with the namespace it creates", () => {
    const mismatched = byType(prod2, "kubernetes:core/v1:Namespace").filter(
      (r) => !r.name.endsWith(`-${(r.inputs.metadata as { name: string }).name}`),
    );
    expect(mismatched).toEqual([]);
    // The add-ons' namespaces (those prod2's file enables) and the teams' (read from the file).
    const addonNamespaces = [
      "argocd",
      "aws-observability",
      "external-dns",
      "external-secrets",
      "istio-ingress",
      "istio-system",
      "logging",
      "monitoring",
      "node-exporter",
      "opencost",
      "reloader",
      "snapshot-controller",
      "tracing",
      "velero",
    ];
    withHint(
      "prod2's Namespaces are its add-ons' and its teams'; enabling or disabling an add-on in Pulumi.prod2.yaml changes the add-on list in test/namespace.test.ts",
      () =>
        expect(
          byType(prod2, "kubernetes:core/v1:Namespace")
            .map((r) => (r.inputs.metadata as { name: string }).name)
            .sort(),
        ).toEqual(
          [
            ...addonNamespaces,
            ...teamNamespacesOf(committedConfig("prod2")).map((n) => n.name),
          ].sort(),
        ),
    );
  });
});

test("namespaces keep the identity they had before the namespace component, so none is recreated", async () => {
  const result = committedSynth("prod2");
  const aliases = (name: string) => one(result, "kubernetes:core/v1:Namespace", name).aliases ?? [];
  // A team's namespace was the blueprint's child (workloadNamespaces), and before that the
  // Platform's; an add-on's was named by its prefix alone.
  expect(aliases("prod2-teams-ns-api")).toEqual([
    "kubernetes:core/v1:Namespace::prod2-ns-api@eks-blueprint:index:EksBlueprint::prod2",
    "kubernetes:core/v1:Namespace::prod2-platform-ns-api@eks-blueprint:index:Platform::prod2-platform",
  ]);
  expect(aliases("prod2-platform-addons-prometheus-ns-monitoring")).toEqual([
    "kubernetes:core/v1:Namespace::prod2-platform-addons-prometheus-ns",
  ]);
});
