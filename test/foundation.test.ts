import { byType, committedConfig, committedSynth, one, synthStackWith } from "./stack-harness";
import { teamRolesOf } from "./stack-suites";
import type { SynthResult } from "../synth/record";
import { subnetTags } from "../components/network/network";

let prod2: SynthResult;
let prod: SynthResult;

beforeAll(async () => {
  prod2 = committedSynth("prod2");
  prod = committedSynth("prod");
});

describe("network", () => {
  test("prod2's VPC spans 3 AZs with public and private subnets tagged for EKS", () => {
    const vpc = one(prod2, "awsx:ec2:Vpc");
    expect(vpc.inputs.cidrBlock).toBe("10.20.0.0/16");
    expect(vpc.inputs.numberOfAvailabilityZones).toBe(3);
    expect(vpc.inputs.subnetSpecs).toEqual([
      { type: "Public", cidrMask: 22, tags: subnetTags("eks-blueprint-prod2", "public") },
      { type: "Private", cidrMask: 19, tags: subnetTags("eks-blueprint-prod2", "private") },
    ]);
    expect(subnetTags("c", "public")).toEqual({
      "kubernetes.io/cluster/c": "shared",
      "kubernetes.io/role/elb": "1",
    });
    expect(subnetTags("c", "private")).toEqual({
      "kubernetes.io/cluster/c": "shared",
      "kubernetes.io/role/internal-elb": "1",
    });
  });

  test("the two stacks' VPCs use different CIDRs", () => {
    expect(one(prod, "awsx:ec2:Vpc").inputs.cidrBlock).toBe("10.10.0.0/16");
  });
});

describe("cluster", () => {
  test("encrypts secrets with a rotating KMS key and logs every control-plane type", () => {
    const cluster = one(prod2, "eks:index:Cluster");
    const key = one(prod2, "aws:kms/key:Key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(cluster.inputs.encryptionConfigKeyArn).toMatch(
      /^arn:aws:kms:us-west-2:111122223333:key\//,
    );
    // Every type EKS offers (https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html),
    // written out so a shorter list in the component fails here.
    expect(cluster.inputs.enabledClusterLogTypes).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect(
      one(prod2, "aws:cloudwatch/logGroup:LogGroup", "prod2-cluster-control-plane").inputs,
    ).toMatchObject({
      name: "/aws/eks/eks-blueprint-prod2/cluster",
      retentionInDays: 30,
    });
  });

  test("private endpoint on, public endpoint restricted to the configured CIDRs, API auth with admin access entries", () => {
    const { inputs } = one(prod2, "eks:index:Cluster");
    expect(inputs).toMatchObject({
      name: "eks-blueprint-prod2",
      version: "1.35",
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["198.51.100.0/24"],
      authenticationMode: "API",
      createOidcProvider: true,
      skipDefaultNodeGroup: true,
      serviceRole: "aws:iam/role:Role::prod2-cluster-cluster",
    });
    expect(inputs.accessEntries).toEqual({
      "admin-platform-admin": {
        principalArn: "arn:aws:iam::111122223333:role/platform-admin",
        accessPolicies: {
          clusterAdmin: {
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
          },
        },
      },
    });
  });

  test("without public CIDRs the public endpoint is off", async () => {
    const result = await synthStackWith("prod", (c) => {
      delete c["eks-blueprint:endpointPublicAccessCidrs"];
    });
    const { inputs } = one(result, "eks:index:Cluster");
    expect(inputs.endpointPublicAccess).toBe(false);
    expect(inputs.publicAccessCidrs).toBeUndefined();
  });

  test.each([["eks:index:Cluster"], ["aws:kms/key:Key"], ["awsx:ec2:Vpc"]])(
    "%s is protected in both stacks",
    (type) => {
      expect(one(prod2, type).protect).toBe(true);
      expect(one(prod, type).protect).toBe(true);
      expect(one(prod2, "eks:index:Cluster").inputs.deletionProtection).toBe(true);
    },
  );

  test("prod runs one minor version behind prod2", () => {
    expect(one(prod, "eks:index:Cluster").inputs.version).toBe("1.34");
  });
});

describe("node groups", () => {
  test.each([
    ["prod2-nodes-general", "AL2023_x86_64_STANDARD", "ON_DEMAND", "/dev/xvda"],
    ["prod2-nodes-graviton", "AL2023_ARM_64_STANDARD", "SPOT", "/dev/xvda"],
    ["prod2-nodes-bottlerocket", "BOTTLEROCKET_x86_64", "ON_DEMAND", "/dev/xvdb"],
  ])(
    "%s: AMI type %s, capacity %s, encrypted gp3 on %s, IMDSv2 with hop limit 1",
    (name, amiType, capacity, device) => {
      const group = one(prod2, "eks:index:ManagedNodeGroup", name);
      const template = one(prod2, "aws:ec2/launchTemplate:LaunchTemplate", name);
      expect(group.inputs).toMatchObject({
        amiType,
        capacityType: capacity,
        cluster: "eks:index:Cluster::prod2-cluster",
      });
      expect(group.inputs.launchTemplate).toEqual({
        id: expect.stringMatching(/^lt-/),
        version: "1",
      });
      expect(template.inputs.metadataOptions).toEqual({
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      expect(template.inputs.blockDeviceMappings).toEqual([
        {
          deviceName: device,
          ebs: {
            volumeSize: 50,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ]);
    },
  );

  test("node groups run in the private subnets with labels and taints from config", () => {
    const vpcPrivate = one(prod2, "eks:index:Cluster").inputs.privateSubnetIds;
    const graviton = one(prod2, "eks:index:ManagedNodeGroup", "prod2-nodes-graviton");
    expect(graviton.inputs.subnetIds).toEqual(vpcPrivate);
    expect(graviton.inputs.labels).toEqual({ "node-class": "graviton-spot" });
    expect(graviton.inputs.taints).toEqual([
      { key: "capacity", value: "spot", effect: "NO_SCHEDULE" },
    ]);
    expect(graviton.inputs.instanceTypes).toEqual(["m7g.xlarge", "m6g.xlarge", "c7g.xlarge"]);
  });

  test("prod has only its x86 group", () => {
    expect(byType(prod, "eks:index:ManagedNodeGroup").map((g) => g.inputs.amiType)).toEqual([
      "AL2023_x86_64_STANDARD",
    ]);
    expect(byType(prod, "aws:eks/fargateProfile:FargateProfile")).toHaveLength(0);
  });
});

describe("fargate", () => {
  test("profiles select namespaces, run in private subnets and are created one at a time", async () => {
    const result = await synthStackWith("prod2", (c) => {
      c["eks-blueprint:fargateProfiles"] = {
        batch: { selectors: [{ namespace: "batch-jobs" }] },
        analytics: { selectors: [{ namespace: "analytics", labels: { tier: "serverless" } }] },
      };
      const teams = c["eks-blueprint:teams"] as Record<string, { namespaces: object }>;
      teams.data.namespaces = { ...teams.data.namespaces, analytics: {} };
    });
    const profiles = byType(result, "aws:eks/fargateProfile:FargateProfile");
    expect(profiles.map((p) => [p.inputs.fargateProfileName, p.inputs.selectors])).toEqual([
      [
        "eks-blueprint-prod2-analytics",
        [{ namespace: "analytics", labels: { tier: "serverless" } }],
      ],
      ["eks-blueprint-prod2-batch", [{ namespace: "batch-jobs" }]],
    ]);
    for (const p of profiles) {
      expect(p.inputs.subnetIds).toEqual(one(result, "eks:index:Cluster").inputs.privateSubnetIds);
      expect(p.inputs.podExecutionRoleArn).toBe(
        "arn:aws:iam::111122223333:role/eks-blueprint-prod2-fargate",
      );
    }
    // Both name the cluster through its output, so both wait for it; and one at a time.
    for (const p of profiles) expect(p.dependsOn).toContain("eks:index:Cluster::prod2-cluster");
    expect(profiles[1].dependsOn).toContain(
      "aws:eks/fargateProfile:FargateProfile::prod2-fargate-analytics",
    );
  });
});

/**
 * Inputs that come from another resource's outputs. Under mocks an output nobody returned
 * resolves to undefined and the input silently disappears; this catches that for every record.
 */
const REQUIRED_INPUTS: Record<string, string[]> = {
  "eks:index:Cluster": [
    "vpcId",
    "privateSubnetIds",
    "publicSubnetIds",
    "encryptionConfigKeyArn",
    "serviceRole",
  ],
  "eks:index:ManagedNodeGroup": ["cluster", "nodeRoleArn", "subnetIds", "launchTemplate"],
  "aws:eks/fargateProfile:FargateProfile": [
    "clusterName",
    "podExecutionRoleArn",
    "subnetIds",
    "selectors",
  ],
  "aws:iam/role:Role": ["assumeRolePolicy", "name"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:iam/rolePolicy:RolePolicy": ["role", "policy"],
  "aws:kms/alias:Alias": ["targetKeyId"],
  "pulumi:providers:kubernetes": ["kubeconfig"],
};

describe("wiring", () => {
  test.each([["prod"], ["prod2"]])(
    "every input built from another resource is present in %s",
    (stack) => {
      const result = stack === "prod" ? prod : prod2;
      const missing = result.resources.flatMap((r) =>
        (REQUIRED_INPUTS[r.type] ?? [])
          .filter(
            (k) =>
              r.inputs[k] === undefined ||
              r.inputs[k] === "" ||
              JSON.stringify(r.inputs[k]) === "[]",
          )
          .map((k) => `${r.type}::${r.name}.${k}`),
      );
      expect(missing).toEqual([]);
      const text = JSON.stringify(result.resources);
      expect(text).not.toMatch(/undefined|\[object Object\]|Calling \[toJSON\]/);
    },
  );

  test("the kubeconfig reaches the shared Kubernetes provider as a secret", () => {
    expect(one(prod2, "pulumi:providers:kubernetes").inputs.kubeconfig).toBe("[secret]");
  });
});

describe("everything naming the cluster waits for it", () => {
  /** prod2 with every optional resource that names the cluster switched on. */
  const everything = () =>
    synthStackWith("prod2", (c) => {
      (c["eks-blueprint:addons"] as Record<string, unknown>).clusterAutoscaler = { enabled: false };
      (c["eks-blueprint:addons"] as Record<string, unknown>).karpenter = {
        nodePools: { general: { limits: { cpu: "100", memory: "400Gi" } } },
      };
      (c["eks-blueprint:addons"] as Record<string, unknown>).containerInsights = { enabled: true };
      c["eks-blueprint:fargateProfiles"] = {
        batch: { selectors: [{ namespace: "batch-jobs" }] },
      };
    });
  const NAMES_THE_CLUSTER = [
    "aws:eks/addon:Addon",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:eks/fargateProfile:FargateProfile",
  ];

  test.each([
    ["prod2", () => Promise.resolve(prod2)],
    ["prod2 with Karpenter, Container Insights and Fargate", everything],
  ])(
    "in %s, every EKS add-on, access entry and Fargate profile depends on the cluster",
    async (_, synth) => {
      const result = await synth();
      const naming = result.resources.filter((r) => NAMES_THE_CLUSTER.includes(r.type));
      expect(naming.length).toBeGreaterThanOrEqual(5);
      const waiting = naming.filter((r) =>
        r.dependsOn.includes("eks:index:Cluster::prod2-cluster"),
      );
      expect(waiting.map((r) => r.name)).toEqual(naming.map((r) => r.name));
      for (const r of naming) expect(r.inputs.clusterName).toBe("eks-blueprint-prod2");
    },
  );

  test("the Karpenter variant has the add-ons, access entry and profile the claim is about", async () => {
    const result = await everything();
    expect(
      result.resources
        .filter((r) => NAMES_THE_CLUSTER.includes(r.type))
        .map((r) => `${r.type.split(":")[1]} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        "eks/accessEntry prod2-drills-fis",
        "eks/accessEntry prod2-platform-addons-karpenter-node",
        // One per team role in prod2's file (eks-blueprint:teams), read from it.
        ...teamRolesOf(committedConfig("prod2")).map(
          ({ role }) => `eks/accessEntry prod2-teams-${role}`,
        ),
        "eks/addon prod2-core-coredns",
        "eks/addon prod2-core-eks-pod-identity-agent",
        "eks/addon prod2-core-kube-proxy",
        "eks/addon prod2-core-vpc-cni",
        "eks/addon prod2-platform-addons-container-insights",
        "eks/addon prod2-platform-addons-ebs-csi",
        "eks/fargateProfile prod2-fargate-batch",
        "eks/podIdentityAssociation prod2-workloads-pod-identity-leaderboard-association",
      ].sort(),
    );
  });
});
