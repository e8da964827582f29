import { createHash } from "node:crypto";
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
}

const hex = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** Three subnets per tier, one per AZ, with ids stable across runs. */
const subnetIds = (vpc: string, tier: string) =>
  [0, 1, 2].map((az) => `subnet-${hex(`${vpc}/${tier}/${az}`, 17)}`);

type Inputs = Record<string, unknown>;
type OutputsFor = (name: string, inputs: Inputs, region: string) => Inputs;

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

/**
 * Realistic outputs per type token. Remote components (@pulumi/eks, @pulumi/awsx) only have the
 * outputs returned here: an output missing here resolves to undefined and every input built from
 * it silently vanishes from the synth, so each one our program reads is listed.
 */
const outputsByType: Record<string, OutputsFor> = {
  "awsx:ec2:Vpc": (name) => ({
    vpcId: `vpc-${hex(name, 17)}`,
    publicSubnetIds: subnetIds(name, "public"),
    privateSubnetIds: subnetIds(name, "private"),
    isolatedSubnetIds: [],
  }),
  "eks:index:Cluster": (name, inputs, region) => {
    const clusterName = (inputs.name as string | undefined) ?? name;
    const id = hex(clusterName, 32).toUpperCase();
    const endpoint = `https://${id}.gr7.${region}.eks.amazonaws.com`;
    const issuer = `oidc.eks.${region}.amazonaws.com/id/${id}`;
    const kubeconfig = kubeconfigFor(clusterName, endpoint, region);
    return {
      kubeconfig,
      kubeconfigJson: JSON.stringify(kubeconfig),
      oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer}`,
      oidcProviderUrl: `https://${issuer}`,
      oidcIssuer: issuer,
      clusterSecurityGroupId: `sg-${hex(`${clusterName}/cluster`, 17)}`,
      nodeSecurityGroupId: `sg-${hex(`${clusterName}/node`, 17)}`,
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
  "eks:index:ManagedNodeGroup": (name, inputs) => ({
    nodeGroupName: inputs.nodeGroupName ?? name,
  }),
  "aws:iam/role:Role": (name, inputs) => {
    const roleName = (inputs.name as string | undefined) ?? name;
    return {
      name: roleName,
      arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${roleName}`,
      uniqueId: `AROA${hex(roleName, 17).toUpperCase()}`,
    };
  },
  "aws:iam/policy:Policy": (name, inputs) => {
    const policyName = (inputs.name as string | undefined) ?? name;
    return { name: policyName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${policyName}` };
  },
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
  "aws:cloudwatch/logGroup:LogGroup": (name, inputs, region) => {
    const groupName = (inputs.name as string | undefined) ?? name;
    return {
      name: groupName,
      arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:${groupName}`,
    };
  },
  "aws:sqs/queue:Queue": (name, inputs, region) => {
    const queueName = (inputs.name as string | undefined) ?? name;
    return {
      name: queueName,
      arn: `arn:aws:sqs:${region}:${MOCK_ACCOUNT}:${queueName}`,
      url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${queueName}`,
    };
  },
  "aws:eks/fargateProfile:FargateProfile": (name, inputs, region) => ({
    arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT}:fargateprofile/${inputs.clusterName}/${inputs.fargateProfileName ?? name}/${hex(name, 8)}`,
  }),
};

function defaultOutputs(type: string, name: string, inputs: Inputs, region: string): Inputs {
  const [pkg, mod] = type.split(":");
  if (pkg !== "aws") return {};
  const service = (mod ?? "").split("/")[0];
  const physical = (inputs.name as string | undefined) ?? name;
  return { arn: `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${physical}` };
}

function idFor(type: string, name: string): string {
  return `${name}-${hex(`${type}::${name}`, 8)}`;
}

const calls: Record<string, (inputs: Inputs, region: string) => Inputs> = {
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
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_i, region) => ({
    names: ["a", "b", "c"].map((s) => `${region}${s}`),
    zoneIds: [1, 2, 3].map((n) => `usw2-az${n}`),
    id: region,
  }),
};

/**
 * The one mocks harness for tests and the offline synth: records every registration and answers
 * with realistic outputs; an unmocked function call throws, so a new data-source lookup cannot
 * slip into the program unnoticed.
 */
export function createMocks(
  records: Registration[],
  region = DEFAULT_REGION,
): pulumi.runtime.Mocks {
  return {
    newResource: (args: pulumi.runtime.MockResourceArgs) => {
      const inputs = (args.inputs ?? {}) as Inputs;
      records.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs });
      const outputs =
        outputsByType[args.type]?.(args.name, inputs, region) ??
        defaultOutputs(args.type, args.name, inputs, region);
      const id = (outputs.id as string | undefined) ?? idFor(args.type, args.name);
      return { id, state: { ...inputs, ...outputs, id } };
    },
    call: (args: pulumi.runtime.MockCallArgs) => {
      const answer = calls[args.token];
      if (!answer) throw new Error(`unmocked call ${args.token}`);
      return answer(args.inputs as Inputs, region);
    },
  };
}
