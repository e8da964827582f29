import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eksAddonVersions } from "../components/addons/catalog";
import {
  CONFLICT_RESOLUTION,
  CoreAddons,
  coreAddonVersions,
  corednsConfiguration,
  vpcCniConfiguration,
} from "../components/cluster/core-addons";
import {
  SUPPORTED_KUBERNETES_MINORS,
  type KubernetesMinor,
} from "../components/cluster/kubernetes-versions";
import { vpcCniPodEniConfiguration } from "../components/access/security-group-policy";
import { fakeContext, one, byType, synthProgram } from "./day2-context";

const EKSBUILD = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

test.each(SUPPORTED_KUBERNETES_MINORS)(
  "every core add-on is pinned for %s, and kube-proxy matches that minor",
  (minor) => {
    const v = eksAddonVersions[minor];
    for (const version of Object.values(v)) expect(version).toMatch(EKSBUILD);
    expect(v.kubeProxy.startsWith(`v${minor}.`)).toBe(true);
    expect(coreAddonVersions(minor)).toBe(v);
  },
);

test("the catalog pins exactly the supported minors", () => {
  expect(Object.keys(eksAddonVersions).sort()).toEqual([...SUPPORTED_KUBERNETES_MINORS]);
});

test("a minor without catalog entry names the version and the supported minors", () => {
  expect(() => coreAddonVersions("1.32")).toThrow(
    'eks-blueprint:kubernetesVersion: no EKS add-on versions pinned for this minor (got "1.32"); use one of 1.33, 1.34, 1.35, 1.36 or add it to eksAddonVersions in components/addons/catalog.ts',
  );
});

test("vpc-cni config turns network policy on and merges the pod-ENI settings into one object", () => {
  expect(vpcCniConfiguration()).toEqual({ enableNetworkPolicy: "true" });
  expect(vpcCniConfiguration(vpcCniPodEniConfiguration("strict"))).toEqual({
    enableNetworkPolicy: "true",
    env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "strict" },
    init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } },
  });
});

test("coredns runs 2 replicas with a PDB and a zone spread", () => {
  expect(corednsConfiguration()).toMatchObject({
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone", maxSkew: 1 }],
  });
});

test("CoreAddons registers the four EKS add-ons at the catalog versions, vpc-cni with its own role", async () => {
  const r = await synthProgram(
    () =>
      new CoreAddons("core", {
        context: fakeContext(),
        vpcCniPodEni: vpcCniPodEniConfiguration(),
      }),
  );
  const addons = byType(r, "aws:eks/addon:Addon");
  const v = eksAddonVersions["1.35"];
  expect(
    Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion])),
  ).toEqual({
    "vpc-cni": v.vpcCni,
    coredns: v.coredns,
    "kube-proxy": v.kubeProxy,
    "eks-pod-identity-agent": v.podIdentityAgent,
  });
  for (const a of addons) {
    expect(a.inputs).toMatchObject({ clusterName: "day2-test", ...CONFLICT_RESOLUTION });
  }
  const cni = one(r, "aws:eks/addon:Addon", "core-vpc-cni");
  expect(cni.inputs.serviceAccountRoleArn).toBe("arn:aws:iam::111122223333:role/day2-test-vpc-cni");
  expect(JSON.parse(cni.inputs.configurationValues as string)).toEqual({
    enableNetworkPolicy: "true",
    env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
  });
  const trust = JSON.parse(
    one(r, "aws:iam/role:Role", "core-vpc-cni-irsa").inputs.assumeRolePolicy as string,
  );
  expect(
    trust.Statement[0].Condition.StringEquals[`${"oidc.eks.us-west-2.amazonaws.com/id/TEST"}:sub`],
  ).toBe("system:serviceaccount:kube-system:aws-node");
  expect(
    byType(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn),
  ).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
  // Only vpc-cni has a role; the pod identity agent uses the node role.
  expect(addons.filter((a) => a.inputs.serviceAccountRoleArn).map((a) => a.name)).toEqual([
    "core-vpc-cni",
  ]);
});

test("CoreAddons for an unpinned minor registers nothing", async () => {
  await expect(
    synthProgram(
      () =>
        new CoreAddons("core", {
          context: fakeContext({ kubernetesVersion: "1.37" as KubernetesMinor }),
        }),
    ),
  ).rejects.toMatchObject({
    message: expect.stringContaining('(got "1.37"); use one of 1.33, 1.34, 1.35, 1.36'),
    // Only the test's own provider: no component, no AWS resource.
    resources: [expect.objectContaining({ type: "pulumi:providers:kubernetes" })],
  });
});

test("vpc-cni can come before the node groups while coredns waits for them", async () => {
  const r = await synthProgram(() => {
    let nodesBuilt!: (nodes: pulumi.Resource[]) => void;
    const core = new CoreAddons("core", {
      context: fakeContext(),
      corednsAfter: new Promise((resolve) => (nodesBuilt = resolve)),
    });
    // A node-group stand-in that needs vpc-cni first; coredns registers once it exists.
    const nodes = new aws.iam.Role(
      "nodes",
      { assumeRolePolicy: "{}" },
      { dependsOn: [core.addons.vpcCni] },
    );
    nodesBuilt([nodes]);
  });
  expect(one(r, "aws:iam/role:Role", "nodes").dependsOn).toEqual([
    "aws:eks/addon:Addon::core-vpc-cni",
  ]);
  expect(one(r, "aws:eks/addon:Addon", "core-coredns").inputs.addonVersion).toBe(
    eksAddonVersions["1.35"].coredns,
  );
});

test("each core add-on names the cluster through the context's cluster output, so it waits for the cluster", async () => {
  const r = await synthProgram(() => {
    const cluster = new aws.eks.Cluster("control-plane", {
      name: "day2-test",
      roleArn: "arn:aws:iam::111122223333:role/day2-test-cluster",
      vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] },
    });
    return new CoreAddons("core", { context: fakeContext({ cluster: cluster.name }) });
  });
  expect(
    byType(r, "aws:eks/addon:Addon").map((a) => [
      a.name,
      a.inputs.clusterName,
      a.dependsOn.includes("aws:eks/cluster:Cluster::control-plane"),
    ]),
  ).toEqual([
    ["core-coredns", "day2-test", true],
    ["core-eks-pod-identity-agent", "day2-test", true],
    ["core-kube-proxy", "day2-test", true],
    ["core-vpc-cni", "day2-test", true],
  ]);
});
