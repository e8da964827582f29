import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Fixed identity of the mocked AWS account: synth output must not depend on the machine. */
export const MOCK_ACCOUNT = "111122223333";
export const DEFAULT_REGION = "us-west-2";

/** One registration as the providers would receive it. */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** The state the mocks answered with, as a provider would: what later inputs can read. */
  state: Record<string, unknown>;
}

/** crypto.hash is the one-shot form, four times cheaper than a Hash object per id. */
const hex = (s: string, n: number) => crypto.hash("sha256", s, "hex").slice(0, n);

const subnetIds = (vpc: string, tier: string) =>
  [0, 1, 2].map((az) => `subnet-${hex(`${vpc}/${tier}/${az}`, 17)}`);

/** The three security groups around a mocked cluster, by who creates them. */
export interface MockSecurityGroupIds {
  /** pulumi-eks's own cluster group (`<name>-eksClusterSecurityGroup`), unless skipped. */
  pulumiEksCluster: string;
  /** pulumi-eks's own node group (`<name>-nodeSecurityGroup`), unless skipped. */
  pulumiEksNode: string;
  /** The group EKS creates with every cluster and puts on managed nodes and CoreDNS. */
  eksCluster: string;
}

/**
 * Ids telling `clusterName`'s groups apart: `sg-0e45c1…` is EKS's, `sg-0b1c1…`/`sg-0b1e0…`
 * pulumi-eks's (hex, as real ids are:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroup.html).
 */
export function mockSecurityGroupIds(clusterName: string): MockSecurityGroupIds {
  const id = (marker: string, what: string) =>
    `sg-${marker}${hex(`${clusterName}/${what}`, 17 - marker.length)}`;
  return {
    pulumiEksCluster: id("0b1c1", "pulumi-eks-cluster"),
    pulumiEksNode: id("0b1e0", "pulumi-eks-node"),
    eksCluster: id("0e45c1", "eks-cluster"),
  };
}

type Inputs = Record<string, unknown>;
type OutputsFor = (name: string, inputs: Inputs, region: string) => Inputs;
const nameOf = (inputs: Inputs, name: string) => (inputs.name as string | undefined) ?? name;
/** Outputs of a resource with a physical name: `name` first, then what `f` makes of it. */
const named =
  (f: (n: string, region: string) => Inputs): OutputsFor =>
  (name, inputs, region) => {
    const n = nameOf(inputs, name);
    return { name: n, ...f(n, region) };
  };

function kubeconfigFor(clusterName: string, endpoint: string, region: string) {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: clusterName,
        cluster: { server: endpoint, "certificate-authority-data": "bW9jay1jYQ==" },
      },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region],
          },
        },
      },
    ],
  };
}

// Realistic outputs per type token. Remote components (@pulumi/eks, @pulumi/awsx) have only these:
// a missing one resolves to undefined and inputs built from it silently vanish from the synth.
const outputsByType: Record<string, OutputsFor> = {
  "awsx:ec2:Vpc": (name) => ({
    vpcId: `vpc-${hex(name, 17)}`,
    publicSubnetIds: subnetIds(name, "public"),
    privateSubnetIds: subnetIds(name, "private"),
    isolatedSubnetIds: [],
  }),
  "eks:index:Cluster": (name, inputs, region) => {
    const clusterName = nameOf(inputs, name);
    const id = hex(clusterName, 32).toUpperCase();
    const endpoint = `https://${id}.gr7.${region}.eks.amazonaws.com`;
    const issuer = `oidc.eks.${region}.amazonaws.com/id/${id}`;
    const kubeconfig = kubeconfigFor(clusterName, endpoint, region);
    const groups = mockSecurityGroupIds(clusterName);
    // pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts (createCore, createCluster): its own groups'
    // ids, or with skipDefaultSecurityGroups both are the group EKS creates (eksCluster.vpcConfig).
    const skip = inputs.skipDefaultSecurityGroups === true;
    return {
      kubeconfig,
      kubeconfigJson: JSON.stringify(kubeconfig),
      oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer}`,
      oidcProviderUrl: `https://${issuer}`,
      oidcIssuer: issuer,
      clusterSecurityGroupId: skip ? groups.eksCluster : groups.pulumiEksCluster,
      nodeSecurityGroupId: skip ? groups.eksCluster : groups.pulumiEksNode,
      // Really an aws.eks.Cluster reference; its plain outputs are all our program reads.
      eksCluster: {
        name: clusterName,
        arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT}:cluster/${clusterName}`,
        version: inputs.version,
        vpcConfig: { clusterSecurityGroupId: groups.eksCluster, vpcId: inputs.vpcId },
      },
      core: {
        endpoint,
        vpcId: inputs.vpcId,
        subnetIds: inputs.privateSubnetIds,
        privateSubnetIds: inputs.privateSubnetIds,
        publicSubnetIds: inputs.publicSubnetIds,
        clusterName,
        certificateAuthorityData: "bW9jay1jYQ==",
      },
    };
  },
  // Outputs its aws.eks.NodeGroup (managedNodeGroup.d.ts, `nodeGroup`); a name prefix gets a
  // 26-char unique suffix (terraform-plugin-sdk helper/id); a fixed-looking one keeps synth stable.
  "eks:index:ManagedNodeGroup": (name, inputs) => ({
    nodeGroup: {
      nodeGroupName:
        inputs.nodeGroupName ??
        `${inputs.nodeGroupNamePrefix ?? `${name}-`}20260101000000000${hex(name, 9)}`,
    },
  }),
  "aws:iam/role:Role": named((n) => ({
    arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${n}`,
    uniqueId: `AROA${hex(n, 17).toUpperCase()}`,
  })),
  "aws:iam/policy:Policy": named((n) => ({ arn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${n}` })),
  "aws:kms/key:Key": (name, _inputs, region) => {
    const keyId = `${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`;
    return { keyId, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT}:key/${keyId}` };
  },
  "aws:ec2/securityGroup:SecurityGroup": (name, _inputs, region) => {
    const id = `sg-${hex(name, 17)}`;
    return { id, arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT}:security-group/${id}` };
  },
  "aws:ec2/launchTemplate:LaunchTemplate": (name) => ({
    id: `lt-${hex(name, 17)}`,
    latestVersion: 1,
  }),
  "aws:cloudwatch/logGroup:LogGroup": named((n, region) => ({
    arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:${n}`,
  })),
  "aws:sqs/queue:Queue": named((n, region) => ({
    arn: `arn:aws:sqs:${region}:${MOCK_ACCOUNT}:${n}`,
    url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${n}`,
  })),
  "aws:eks/fargateProfile:FargateProfile": (name, inputs, region) => ({
    arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT}:fargateprofile/${inputs.clusterName}/${inputs.fargateProfileName ?? name}/${hex(name, 8)}`,
  }),
  // Day-2 platform (core add-ons, EFS, Karpenter); aws:eks/addon:Addon is with the add-ons below.
  "aws:eks/accessEntry:AccessEntry": (name, inputs, region) => ({
    accessEntryArn: `arn:aws:eks:${region}:${MOCK_ACCOUNT}:access-entry/${inputs.clusterName}/role/${MOCK_ACCOUNT}/${hex(name, 12)}`,
    kubernetesGroups: [],
    userName: `system:node:{{EC2PrivateDNSName}}`,
  }),
  "aws:cloudwatch/eventRule:EventRule": named((n, region) => ({
    arn: `arn:aws:events:${region}:${MOCK_ACCOUNT}:rule/${n}`,
  })),
  "aws:efs/fileSystem:FileSystem": (name, _inputs, region) => {
    const id = `fs-${hex(name, 17)}`;
    return { id, arn: `arn:aws:elasticfilesystem:${region}:${MOCK_ACCOUNT}:file-system/${id}` };
  },
  "aws:eks/addon:Addon": (name, inputs, region) => ({
    arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT}:addon/${inputs.clusterName}/${inputs.addonName ?? name}/${hex(name, 8)}`,
    addonVersion: inputs.addonVersion ?? "v0.0.0-eksbuild.mock",
  }),
  // The release's own name and namespace, as Helm reports them (helm.sh/v3 ReleaseStatus).
  "kubernetes:helm.sh/v3:Release": (name, inputs) => ({
    status: {
      name: inputs.name ?? name,
      namespace: inputs.namespace ?? "default",
      status: "deployed",
    },
  }),
  // Status gets the NLB the AWS Load Balancer Controller names k8s-<ns>-<name>-<10 hex>, plus ELB's
  // 16 hex and domain: k8s-ui-uinlb-21b5b2e77e-28b54fd6dd7fa4a1.elb.us-west-2.amazonaws.com (real).
  "kubernetes:core/v1:Service": (name, inputs, region) => {
    const spec = inputs.spec as { type?: string } | undefined;
    if (spec?.type !== "LoadBalancer") return {};
    const meta = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
    const short = (s: string | undefined) => (s ?? "default").replace(/-/g, "").slice(0, 8);
    const lb = `k8s-${short(meta.namespace)}-${short(meta.name ?? name)}-${hex(`lb/${name}`, 10)}`;
    return {
      status: {
        loadBalancer: {
          ingress: [{ hostname: `${lb}-${hex(`dns/${name}`, 16)}.elb.${region}.amazonaws.com` }],
        },
      },
    };
  },
  "random:index/randomPassword:RandomPassword": (name, inputs) => ({
    result: hex(`password/${name}`, Number(inputs.length ?? 16)),
  }),
};

function defaultOutputs(type: string, name: string, inputs: Inputs, region: string): Inputs {
  const [pkg, mod] = type.split(":");
  if (pkg !== "aws") return {};
  const service = (mod ?? "").split("/")[0];
  return { arn: `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${nameOf(inputs, name)}` };
}

const isResource = (v: unknown) =>
  pulumi.Resource.isInstance(v) ||
  (Array.isArray(v) && v.some((e) => pulumi.Resource.isInstance(e)));

/** Inputs echoed as a provider does, minus resources (echoed, each rehydrates per reference). */
function withoutResources(inputs: Inputs): Inputs {
  const keys = Object.keys(inputs);
  if (!keys.some((k) => isResource(inputs[k]))) return inputs;
  return Object.fromEntries(keys.filter((k) => !isResource(inputs[k])).map((k) => [k, inputs[k]]));
}

function idFor(type: string, name: string): string {
  return `${name}-${hex(`${type}::${name}`, 8)}`;
}

// ELB canonical hosted zone ids per region and type, as listed at
// https://docs.aws.amazon.com/general/latest/gr/elb.html; only our regions: another fails loudly.
const ELB_HOSTED_ZONES: Record<string, { application: string; network: string }> = {
  "us-east-1": { application: "Z35SXDOTRQ7X7K", network: "Z26RNL4JYFTOTI" },
  "us-west-2": { application: "Z1H1FL5HABSF5", network: "Z18D5FSROUN65G" },
};

const calls: Record<string, (inputs: Inputs, region: string) => Inputs> = {
  "aws:lb/getHostedZoneId:getHostedZoneId": (inputs, region) => {
    const r = (inputs.region as string | undefined) ?? region;
    const type =
      (inputs.loadBalancerType as "application" | "network" | undefined) ?? "application";
    const zones = ELB_HOSTED_ZONES[r];
    if (!zones) throw new Error(`unmocked call aws:lb/getHostedZoneId:getHostedZoneId in ${r}`);
    return { id: zones[type], loadBalancerType: type, region: r };
  },
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: MOCK_ACCOUNT,
    arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/synth`,
    userId: "AIDASYNTH",
    id: MOCK_ACCOUNT,
  }),
  "aws:index/getRegion:getRegion": (_i, region) => ({ name: region, region, id: region }),
  "aws:index/getPartition:getPartition": () => ({
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    id: "aws",
  }),
  // The gateway's NLB and target group, as the AWS Load Balancer Controller names them.
  "aws:lb/getLoadBalancer:getLoadBalancer": (inputs, region) => {
    const name = (inputs.name as string | undefined) ?? "k8s-gateway";
    const suffix = `net/${name}/${hex(`lb/${name}`, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:loadbalancer/${suffix}`;
    return { name, arn, arnSuffix: suffix, id: arn, loadBalancerType: "network" };
  },
  "aws:lb/getTargetGroup:getTargetGroup": (inputs, region) => {
    const seed = JSON.stringify(inputs.tags ?? {});
    const suffix = `targetgroup/k8s-${hex(`tg/${seed}`, 20)}/${hex(`tg-id/${seed}`, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:${suffix}`;
    return { arn, arnSuffix: suffix, id: arn, tags: inputs.tags };
  },
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_i, region) => ({
    names: ["a", "b", "c"].map((s) => `${region}${s}`),
    zoneIds: [1, 2, 3].map((n) => `usw2-az${n}`),
    id: region,
  }),
};

/**
 * A `.get` of a Kubernetes object (an id `namespace/name`, no inputs) answers with the live object:
 * a Service read is a LoadBalancer one, as the only Service the program reads is the gateway's.
 */
function liveObject(args: pulumi.runtime.MockResourceArgs): Inputs | undefined {
  const given = Object.values(args.inputs ?? {}).some((v) => v !== undefined);
  if (!args.id || given || !args.type.startsWith("kubernetes:")) return undefined;
  const [namespace, name] = args.id.includes("/") ? args.id.split("/") : [undefined, args.id];
  const spec = args.type === "kubernetes:core/v1:Service" ? { spec: { type: "LoadBalancer" } } : {};
  return { metadata: { name, ...(namespace ? { namespace } : {}) }, ...spec };
}

/**
 * The mocks for tests and the offline synth: records every registration, answers with realistic
 * outputs; an unmocked call throws, so no new data-source lookup slips in unnoticed.
 */
export function createMocks(
  records: Registration[],
  region = DEFAULT_REGION,
): pulumi.runtime.Mocks {
  return {
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      const inputs = (args.inputs ?? {}) as Inputs;
      const seen = liveObject(args) ?? inputs;
      const outputs =
        outputsByType[args.type]?.(args.name, seen, region) ??
        defaultOutputs(args.type, args.name, seen, region);
      const id = (outputs.id as string | undefined) ?? idFor(args.type, args.name);
      const state = { ...withoutResources(seen), ...outputs, id };
      records.push({
        type: args.type,
        name: args.name,
        custom: args.custom ?? true,
        inputs,
        state,
      });
      return { id, state };
    },
    call: (args: pulumi.runtime.MockCallArgs) => {
      const answer = calls[args.token];
      if (!answer) throw new Error(`unmocked call ${args.token}`);
      return answer(args.inputs as Inputs, region);
    },
  };
}
