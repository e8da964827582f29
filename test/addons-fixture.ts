import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonBundle } from "../components/addons/bundle";
import { AddonKey, specOf, suffixOf, AddonSelection } from "../components/addons/registry";
import type { AddonContext } from "../components/addons/context";
import { MOCK_ACCOUNT } from "../synth/mocks";
import { synthesize } from "../synth/synthesize";
import type { SynthRecord, SynthResult } from "../synth/record";
import type { KubernetesMinor } from "../components/cluster/kubernetes-versions";

/**
 * The add-on bundle tests' shared program: two bundles on two clusters, synthesized under the
 * shared mocks, with every registration's dependsOn recorded (the mocks never see it).
 */

export const RELEASE = "kubernetes:helm.sh/v3:Release";
export const PASSWORD = "correct-horse-battery-staple";

/** prod2: every add-on on, with overrides and the gateway annotation hook. */
export const prod2Selection = (): AddonSelection => ({
  istio: {
    gatewayServiceAnnotations: {
      "external-dns.alpha.kubernetes.io/set-identifier": "prod2",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    },
  },
  awsLoadBalancerController: { values: { replicaCount: 3, clusterName: "someone-else" } },
  clusterAutoscaler: {},
  fluentBit: { retentionDays: 90 },
  prometheus: {
    retention: "30d",
    storageSize: "100Gi",
    grafanaAdminPassword: pulumi.secret(PASSWORD),
  },
  externalDns: {
    domainFilters: ["example.com"],
    hostedZoneIds: ["Z0123456789ABC"],
    policy: "sync",
  },
  reloader: {},
});
/** lab: a 1.33 cluster with three add-ons and no Grafana password given. */
export const labSelection: AddonSelection = { prometheus: {}, clusterAutoscaler: {}, reloader: {} };

const key = (r: unknown) => {
  const res = r as { __pulumiType?: string; __name?: string };
  return `${res.__pulumiType}::${res.__name}`;
};

function context(clusterName: string, kubernetesVersion: KubernetesMinor): AddonContext {
  const issuer = `oidc.eks.us-west-2.amazonaws.com/id/${clusterName.toUpperCase()}`;
  const nodes = new aws.eks.NodeGroup(`${clusterName}-nodes`, {
    clusterName,
    nodeRoleArn: "arn:aws:iam::111122223333:role/nodes",
    subnetIds: ["subnet-1"],
    scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 1 },
  });
  return {
    clusterName,
    cluster: pulumi.output(clusterName),
    kubernetesVersion,
    region: "us-west-2",
    accountId: MOCK_ACCOUNT,
    partition: "aws",
    vpcId: `vpc-${clusterName}`,
    oidcIssuer: issuer,
    oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer}`,
    provider: new k8s.Provider(`${clusterName}-k8s`, { kubeconfig: "{}" }),
    computeReady: [nodes],
    tags: { "eks-blueprint:cluster": clusterName },
  };
}

export interface AddonSynth {
  result: SynthResult;
  /** `type::name` → the `type::name` of each resource in its dependsOn. */
  edges: Map<string, string[]>;
  find(type: string, name: string): SynthRecord;
  releasesOf(bundle: string): SynthRecord[];
}

export async function synthAddons(): Promise<AddonSynth> {
  const edges = new Map<string, string[]>();
  const result = await synthesize({ project: "eks-blueprint", stack: "addons", config: {} }, () => {
    pulumi.runtime.registerStackTransformation((t) => {
      const deps = t.opts.dependsOn;
      edges.set(`${t.type}::${t.name}`, (Array.isArray(deps) ? deps : deps ? [deps] : []).map(key));
      return undefined;
    });
    new AddonBundle("prod2", {
      context: context("eks-blueprint-prod2", "1.35"),
      addons: prod2Selection(),
    });
    new AddonBundle("lab", {
      context: context("eks-blueprint-lab", "1.33"),
      addons: labSelection,
    });
  });
  const find = (type: string, name: string): SynthRecord => {
    const r = result.resources.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type}::${name}`);
    return r;
  };
  const releasesOf = (bundle: string) =>
    result.resources.filter((r) => r.type === RELEASE && r.name.startsWith(`${bundle}-`));
  return { result, edges, find, releasesOf };
}

/**
 * Resource that stands for each add-on in the order graph: its release (`<bundle>-<suffix>`), or,
 * for the add-ons without one, what later add-ons wait for (Istio: the gateway, which waits).
 */
export const unitKey = (bundle: string, a: AddonKey): string =>
  ({
    ebsCsiDriver: `kubernetes:storage.k8s.io/v1:StorageClass::${bundle}-ebs-csi-gp3`,
    istio: `${RELEASE}::${bundle}-istio-gateway`,
    containerInsights: `aws:eks/addon:Addon::${bundle}-container-insights`,
  })[a as string] ?? `${RELEASE}::${bundle}-${suffixOf(specOf(a))}`;
