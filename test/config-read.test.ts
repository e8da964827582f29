// Mistakes in a copy of Pulumi.prod2.yaml, read in-process as the synth reads it: each names its
// key, the bad value and the fix, registers nothing, and several at once come out in one run
// (stacks/config-read.ts).
import { committedConfig, rejectedConfig, RawConfig } from "./stack-harness";
import { declaredNamespacesOf, teamsOf } from "./stack-suites";

type Mutation = (c: RawConfig) => void;

const groups = (c: RawConfig) =>
  c["eks-blueprint:nodeGroups"] as Record<string, Record<string, unknown>>;
const entry = (c: RawConfig, key: string, name: string) =>
  (c[key] as Record<string, Record<string, unknown>>)[name];
const addon = (c: RawConfig, name: string) => entry(c, "eks-blueprint:addons", name);
const apiEgress = (c: RawConfig) =>
  (
    entry(c, "eks-blueprint:podSecurityGroups", "api-server").egress as Record<string, unknown>[]
  )[0];
const teamNamespaces = (c: RawConfig, team: string) =>
  entry(c, "eks-blueprint:teams", team).namespaces as Record<string, Record<string, unknown>>;
const fargateNamespace = (namespace: string) => (c: RawConfig) =>
  (c["eks-blueprint:fargateProfiles"] = { batch: { selectors: [{ namespace }] } });

const PROJECT_KEYS =
  "eks-blueprint:addons, eks-blueprint:adminRoleArns, eks-blueprint:availabilityZones, eks-blueprint:clusterName, eks-blueprint:drills, eks-blueprint:endpointPublicAccessCidrs, eks-blueprint:fargateProfiles, eks-blueprint:grafanaAdminPassword, eks-blueprint:irsaRoles, eks-blueprint:keepPulumiEksSecurityGroups, eks-blueprint:kubernetesVersion, eks-blueprint:logRetentionDays, eks-blueprint:natGateways, eks-blueprint:nodeGroups, eks-blueprint:podSecurityGroupEnforcingMode, eks-blueprint:podSecurityGroups, eks-blueprint:protect, eks-blueprint:tags, eks-blueprint:teams, eks-blueprint:vpcCidr, eks-blueprint:workloadNamespaces";
// The namespaces prod2's file declares, read from it: a team onboarded there changes the list.
const NOT_CREATED = `declare it in eks-blueprint:teams.<team>.namespaces or eks-blueprint:workloadNamespaces (now ${JSON.stringify(declaredNamespacesOf(committedConfig("prod2")))}) or use one EKS has: default, kube-node-lease, kube-public, kube-system`;
/** A namespace no stack file declares (docs/teams.md's example team, `payments`, may be one). */
const UNDECLARED = "no-team-declares-this";

/** The problems of a rejected config, one line each; nothing may have been registered. */
async function problems(mutate: Mutation): Promise<string[]> {
  const { message, registered } = await rejectedConfig("prod2", mutate);
  expect(registered).toEqual([]);
  expect(message).not.toMatch(/\n\s+at /); // no stack trace
  return message
    .split("\n")
    .slice(1)
    .map((l) => l.replace(/^\s+- /, ""));
}

// The add-on namespaces follow the registry: only the start of that fix is fixed here.
const ADDON_NAMESPACES = "use a namespace of your own: add-ons create …";

/** The five mistakes of issue 24, each with the one problem it gives alone. */
const FIVE: [string, Mutation, string][] = [
  [
    "a node count in words",
    (c) => (groups(c).general.minSize = "one"),
    'eks-blueprint:nodeGroups.general.minSize: not a node count (got "one"); use an integer from 0 to 10000',
  ],
  [
    "a number of zones in words",
    (c) => (c["eks-blueprint:availabilityZones"] = "two"),
    'eks-blueprint:availabilityZones: not a usable number of availability zones (got "two"); use an integer from 2 to 6 (EKS needs at least 2)',
  ],
  [
    "a boolean in words",
    (c) => (c["eks-blueprint:protect"] = "no"),
    'eks-blueprint:protect: not a boolean (got "no"); use true or false',
  ],
  [
    "a version YAML reads as a number (1.30 unquoted)",
    (c) => (c["eks-blueprint:kubernetesVersion"] = 1.3),
    'eks-blueprint:kubernetesVersion: unsupported Kubernetes version (got "1.3"); use one of 1.33, 1.34, 1.35, 1.36; written 1.30 unquoted, YAML reads the number 1.3: quote it: "1.30"',
  ],
  [
    "a nested required key left out",
    (c) => delete groups(c).general.instanceTypes,
    "eks-blueprint:nodeGroups.general.instanceTypes: missing (got undefined); set it with `pulumi config set --path 'eks-blueprint:nodeGroups.general.instanceTypes[0]' <value>`",
  ],
];

const cases: [string, Mutation, string | string[]][] = [
  ...FIVE,
  [
    "an unknown key in a podSecurityGroups entry",
    (c) => (entry(c, "eks-blueprint:podSecurityGroups", "api-server").podSelectors = {}),
    'eks-blueprint:podSecurityGroups.api-server.podSelectors: unknown key (got "podSelectors"); use namespace, podSelector, serviceAccountSelector, ingress, egress, kubeletProbePorts, servicePorts or singleton',
  ],
  [
    "an unknown key in a pod security group's egress rule",
    (c) => (apiEgress(c).ports = [3306]),
    'eks-blueprint:podSecurityGroups.api-server.egress[0].ports: unknown key (got "ports"); use to, securityGroupId, group, protocol, port, toPort or description',
  ],
  [
    "an unknown key in addons.argocd.bootstrap",
    (c) => ((addon(c, "argocd").bootstrap as Record<string, unknown>).branch = "main"),
    'eks-blueprint:addons.argocd.bootstrap.branch: unknown key (got "branch"); use repoUrl, revision, path, credentialsKey or autoSync',
  ],
  [
    "an unknown key in addons.alerts.receiver",
    (c) => ((addon(c, "alerts").receiver as Record<string, unknown>).webhook = "https://x"),
    'eks-blueprint:addons.alerts.receiver.webhook: unknown key (got "webhook"); use type, secretName, secretKey or channel',
  ],
  [
    "a VPC CIDR with host bits set",
    (c) => (c["eks-blueprint:vpcCidr"] = "10.20.0.1/16"),
    'eks-blueprint:vpcCidr: host bits set (got "10.20.0.1/16"); use the network address 10.20.0.0/16',
  ],
  [
    "a team egress CIDR with host bits set",
    (c) =>
      ((teamNamespaces(c, "api").api.egress as Record<string, Record<string, unknown>>).mysql.cidr =
        "10.30.0.7/16"),
    'eks-blueprint:teams.api.namespaces.api.egress.mysql.cidr: host bits set (got "10.30.0.7/16"); use the network address 10.30.0.0/16',
  ],
  [
    "a team namespace Prometheus owns",
    (c) => (teamNamespaces(c, "data").monitoring = {}),
    `eks-blueprint:teams.data.namespaces.monitoring: the namespace of the alerts and prometheus add-ons (got "monitoring"); ${ADDON_NAMESPACES}`,
  ],
  [
    "a workload namespace Argo CD owns",
    (c) => (c["eks-blueprint:workloadNamespaces"] = ["argocd"]),
    `eks-blueprint:workloadNamespaces[0]: the namespace of the argocd add-on (got "argocd"); ${ADDON_NAMESPACES}`,
  ],
  [
    "a list given as one value",
    (c) => (groups(c).general.instanceTypes = "m7i.large"),
    'eks-blueprint:nodeGroups.general.instanceTypes: not a list (got "m7i.large"); give a list: [m7i.large]',
  ],
  [
    "text YAML reads as a number",
    (c) => (c["eks-blueprint:tags"] = { team: "platform", costCenter: 1.5 }),
    'eks-blueprint:tags.costCenter: not a string (got 1.5); quote it: "1.5"',
  ],
  [
    "a map given as text",
    (c) => (groups(c).general.labels = "general"),
    'eks-blueprint:nodeGroups.general.labels: not a map (got "general"); give key: value pairs, indented under the key',
  ],
  [
    "a nested missing key in an IRSA role",
    (c) => delete entry(c, "eks-blueprint:irsaRoles", "api-server").serviceAccount,
    "eks-blueprint:irsaRoles.api-server.serviceAccount: missing (got undefined); set it with `pulumi config set --path 'eks-blueprint:irsaRoles.api-server.serviceAccount' <value>`",
  ],
  // One mistake, one problem.
  [
    "a group name that leaves no room for the provider's unique suffix",
    (c) => (c["eks-blueprint:clusterName"] = "eks-blueprint-prod2-green"),
    'eks-blueprint:nodeGroups.bottlerocket: node group name prefix longer than 37 characters (got "eks-blueprint-prod2-green-bottlerocket-"); shorten the group or cluster name so "<clusterName>-<group>-" fits in 37 (EKS allows 63, the provider appends 26)',
  ],
  [
    "Graviton type with an x86 AMI",
    (c) => (groups(c).general.instanceTypes = ["m7g.large"]),
    'eks-blueprint:nodeGroups.general.instanceTypes: not all x86_64 for an x86_64 AMI (got ["m7g.large"]); use x86 types such as m7i.large, or set architecture: arm64 for Graviton',
  ],
  [
    "x86 type with an arm64 AMI",
    (c) => (groups(c).graviton.instanceTypes = ["m7i.large", "m7g.large"]),
    'eks-blueprint:nodeGroups.graviton.instanceTypes: not all arm64 (Graviton) for an arm64 AMI (got ["m7i.large","m7g.large"]); use Graviton types such as m7g.large or c7g.xlarge',
  ],
  [
    "unsupported Kubernetes version",
    (c) => (c["eks-blueprint:kubernetesVersion"] = "1.29"),
    'eks-blueprint:kubernetesVersion: unsupported Kubernetes version (got "1.29"); use one of 1.33, 1.34, 1.35, 1.36',
  ],
  [
    "VPC CIDR that is not a CIDR",
    (c) => (c["eks-blueprint:vpcCidr"] = "10.20.0.0"),
    'eks-blueprint:vpcCidr: not an IPv4 CIDR (got "10.20.0.0"); use the form 10.20.0.0/16',
  ],
  [
    "VPC too small",
    (c) => (c["eks-blueprint:vpcCidr"] = "10.20.0.0/24"),
    'eks-blueprint:vpcCidr: VPC prefix length out of range (got "10.20.0.0/24"); use a /16 to /20 (pods take VPC addresses)',
  ],
  [
    "API endpoint open to the internet",
    (c) => (c["eks-blueprint:endpointPublicAccessCidrs"] = ["0.0.0.0/0"]),
    'eks-blueprint:endpointPublicAccessCidrs[0]: the API endpoint must never be open to the whole internet (got "0.0.0.0/0"); list the CIDRs of your VPN or CI runners',
  ],
  [
    "spot group with one instance type",
    (c) => (groups(c).graviton.instanceTypes = ["m7g.xlarge"]),
    'eks-blueprint:nodeGroups.graviton.instanceTypes: spot capacity from a single instance type (got ["m7g.xlarge"]); list at least 2 types so one spot pool running dry does not stop the group',
  ],
  [
    "minSize above maxSize",
    (c) => (groups(c).general.minSize = 10),
    "eks-blueprint:nodeGroups.general.minSize: above maxSize (got 10); use at most maxSize (9)",
  ],
  [
    "unknown capacity type",
    (c) => (groups(c).general.capacityType = "RESERVED"),
    'eks-blueprint:nodeGroups.general.capacityType: unknown capacity type (got "RESERVED"); use ON_DEMAND or SPOT',
  ],
  [
    "misspelt node group key",
    (c) => (groups(c).general.instanceType = "m7i.large"),
    'eks-blueprint:nodeGroups.general: unknown key instanceType (got ["instanceType"]); remove it or check its spelling against the stack config table in README.md',
  ],
  [
    "admin role that is not a role ARN",
    (c) => (c["eks-blueprint:adminRoleArns"] = ["arn:aws:iam::111122223333:user/alice"]),
    'eks-blueprint:adminRoleArns[0]: not an IAM role ARN (got "arn:aws:iam::111122223333:user/alice"); use arn:aws:iam::<12-digit account>:role/<name>',
  ],
  [
    "log retention CloudWatch does not offer",
    (c) => (c["eks-blueprint:logRetentionDays"] = 45),
    "eks-blueprint:logRetentionDays: not a CloudWatch Logs retention period (got 45); use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
  ],
  [
    "Fargate profile with too many selectors",
    (c) =>
      (c["eks-blueprint:fargateProfiles"] = {
        batch: { selectors: Array(6).fill({ namespace: "batch-jobs" }) },
      }),
    `eks-blueprint:fargateProfiles.batch.selectors: more than 5 selectors (got ${JSON.stringify(Array(6).fill({ namespace: "batch-jobs" }))}); list 1 to 5 namespace selectors (EKS allows at most 5 per profile)`,
  ],
  [
    "cluster name too long for IAM role names",
    (c) => (c["eks-blueprint:clusterName"] = "a-very-long-cluster-name-for-production-two"),
    'eks-blueprint:clusterName: not a usable cluster name (got "a-very-long-cluster-name-for-production-two"); use 1-32 characters: lowercase letters, digits and hyphens, starting with a letter',
  ],
  [
    "no node groups",
    (c) => (c["eks-blueprint:nodeGroups"] = {}),
    "eks-blueprint:nodeGroups: no node groups (got {}); declare at least one (DaemonSets such as Fluent Bit cannot run on Fargate)",
  ],
  [
    "misspelt top-level key endpointPublicAcessCidrs",
    (c) => (c["eks-blueprint:endpointPublicAcessCidrs"] = ["198.51.100.0/24"]),
    `eks-blueprint:endpointPublicAcessCidrs: unknown key (got ["198.51.100.0/24"]); did you mean eks-blueprint:endpointPublicAccessCidrs? Valid keys: ${PROJECT_KEYS}`,
  ],
  [
    "top-level key protected for protect",
    (c) => (c["eks-blueprint:protected"] = false),
    `eks-blueprint:protected: unknown key (got false); did you mean eks-blueprint:protect? Valid keys: ${PROJECT_KEYS}`,
  ],
  [
    "misspelt migration key",
    (c) => (c["migration:wieght"] = 0),
    "migration:wieght: unknown key (got 0); did you mean migration:weight? Valid keys: migration:externalPeers, migration:hostedZoneId, migration:hostnames, migration:importRecords, migration:peers, migration:singletons, migration:weight",
  ],
  [
    "Fargate selector namespace Bad_NS!",
    fargateNamespace("Bad_NS!"),
    `eks-blueprint:fargateProfiles.batch.selectors[0].namespace: not a namespace name or pattern (got "Bad_NS!"); use at most 63 lowercase letters, digits and '-', with * or ? as wildcards`,
  ],
  [
    "Fargate selector namespace *-system",
    fargateNamespace("*-system"),
    'eks-blueprint:fargateProfiles.batch.selectors[0].namespace: pattern also selects namespaces EKS creates (default, kube-node-lease, kube-public, kube-system), putting CoreDNS and the add-ons on Fargate (got "*-system"); name the namespaces, or use a narrower pattern such as batch-*',
  ],
  [
    "Fargate selector namespace kube-*",
    fargateNamespace("kube-*"),
    'eks-blueprint:fargateProfiles.batch.selectors[0].namespace: pattern also selects namespaces EKS creates (default, kube-node-lease, kube-public, kube-system), putting CoreDNS and the add-ons on Fargate (got "kube-*"); name the namespaces, or use a narrower pattern such as batch-*',
  ],
  [
    "Fargate pattern that matches no declared namespace",
    fargateNamespace("etl-*"),
    'eks-blueprint:fargateProfiles.batch.selectors[0].namespace: a pattern that matches no namespace this program creates (got "etl-*"); declare the namespaces it should select in eks-blueprint:teams.<team>.namespaces or eks-blueprint:workloadNamespaces',
  ],
  [
    "Fargate selector in an undeclared namespace",
    fargateNamespace("etl"),
    `eks-blueprint:fargateProfiles.batch.selectors[0].namespace: a namespace this program does not create (got "etl"); ${NOT_CREATED}`,
  ],
  [
    "instance type EC2 does not offer, m7i.hyperlarge",
    (c) => (groups(c).general.instanceTypes = ["m7i.hyperlarge", "m6i.large"]),
    'eks-blueprint:nodeGroups.general.instanceTypes[0]: not an EC2 instance type (got "m7i.hyperlarge"); use one EC2 offers, such as m7i.large or m7g.large (the list: @pulumi/aws ec2.InstanceType)',
  ],
  [
    "endpoint CIDR as wide as /1",
    (c) => (c["eks-blueprint:endpointPublicAccessCidrs"] = ["198.51.100.0/1"]),
    'eks-blueprint:endpointPublicAccessCidrs[0]: block wider than /8, a large share of the internet (got "198.51.100.0/1"); list the CIDRs of your VPN or CI runners, each /8 or narrower',
  ],
  [
    "endpoint CIDR with host bits set",
    (c) => (c["eks-blueprint:endpointPublicAccessCidrs"] = ["198.51.100.7/24"]),
    'eks-blueprint:endpointPublicAccessCidrs[0]: host bits set (got "198.51.100.7/24"); use the network address 198.51.100.0/24',
  ],
  [
    "pod security group in an undeclared namespace",
    (c) => (entry(c, "eks-blueprint:podSecurityGroups", "api-server").namespace = UNDECLARED),
    `eks-blueprint:podSecurityGroups.api-server.namespace: a namespace this program does not create (got "${UNDECLARED}"); ${NOT_CREATED}`,
  ],
  [
    "IRSA role in an undeclared namespace",
    (c) => (entry(c, "eks-blueprint:irsaRoles", "api-server").namespace = UNDECLARED),
    `eks-blueprint:irsaRoles.api-server.namespace: a namespace this program does not create (got "${UNDECLARED}"); ${NOT_CREATED}`,
  ],
  [
    "singleton in an undeclared namespace",
    (c) =>
      ((c["migration:singletons"] as Record<string, unknown>)["nightly-report"] = {
        namespace: "arcade",
        owned: false,
      }),
    `migration:singletons.nightly-report.namespace: a namespace this program does not create (got "arcade"); ${NOT_CREATED}`,
  ],
  [
    "a workload namespace that is not a namespace name",
    (c) => (c["eks-blueprint:workloadNamespaces"] = ["Shop"]),
    "eks-blueprint:workloadNamespaces[0]: not a namespace name (got \"Shop\"); use at most 63 lowercase letters, digits and '-'",
  ],
  [
    "a workload namespace listed twice",
    (c) => (c["eks-blueprint:workloadNamespaces"] = ["orders", "orders"]),
    'eks-blueprint:workloadNamespaces[1]: listed twice (got "orders"); list each namespace once',
  ],
  [
    "a node group replaced blue/green with neither generation draining",
    (c) => (groups(c)["general-v2"] = { ...groups(c).general, role: "general" }),
    'eks-blueprint:nodeGroups.general-v2.draining: two groups with role general but 0 draining (got ["general","general-v2"]); mark exactly the old group draining: true while its replacement takes over',
  ],
  [
    "a key from an earlier version",
    (c) => (c["eks-blueprint:metricsServer"] = { replicas: 3 }),
    "eks-blueprint:metricsServer: moved (got {\"replicas\":3}); set it as eks-blueprint:addons.metricsServer (`pulumi config set --path 'eks-blueprint:addons.metricsServer.<setting>' <value>`)",
  ],
  [
    "the autoscaler key of an earlier version",
    (c) => (c["eks-blueprint:autoscaler"] = "karpenter"),
    'eks-blueprint:autoscaler: moved (got "karpenter"); select Karpenter as eks-blueprint:addons.karpenter (cluster-autoscaler is then off), or remove the key for cluster-autoscaler',
  ],
  [
    "an AMI family EKS does not offer",
    (c) => (groups(c).general.amiFamily = "Ubuntu"),
    'eks-blueprint:nodeGroups.general.amiFamily: unknown AMI family (got "Ubuntu"); use AL2023 or Bottlerocket',
  ],
  [
    "an AMI family of the wrong type",
    (c) => (groups(c).general.amiFamily = 5),
    "eks-blueprint:nodeGroups.general.amiFamily: unknown AMI family (got 5); use AL2023 or Bottlerocket",
  ],
  [
    "an architecture EKS does not know, with no second problem about the types",
    (c) => (groups(c).general.architecture = "amd64"),
    'eks-blueprint:nodeGroups.general.architecture: unknown architecture (got "amd64"); use x86_64 or arm64 (Graviton)',
  ],
  [
    "a region that is a number",
    (c) => (c["aws:region"] = 12),
    'aws:region: not an AWS region (got "12"); set aws:region, for example us-west-2',
  ],
  [
    "missing region",
    (c) => delete c["aws:region"],
    "aws:region: missing (got undefined); set it with `pulumi config set aws:region <value>`",
  ],
];

/** A line as expected, or one that starts so when the expectation ends in "…". */
const matching = (found: string[], expected: string[]) =>
  found.map((line, i) =>
    expected[i]?.endsWith("…") && line.startsWith(expected[i].slice(0, -1)) ? expected[i] : line,
  );

test.each(cases)("%s: refused, naming the key and the fix", async (_name, mutate, expected) => {
  const lines = [expected].flat();
  expect(matching(await problems(mutate), lines)).toEqual(lines);
});

// Mistakes made together come out in one run, each exactly as alone, with nothing else.
const together: [string, string[]][] = [
  ["the five mistakes of issue 24", FIVE.map(([name]) => name)],
  [
    "a schema problem in one node group, and the others' checks",
    [
      "a map given as text",
      "spot group with one instance type",
      "IRSA role in an undeclared namespace",
    ],
  ],
  ["two top-level mistakes", ["unsupported Kubernetes version", "VPC CIDR that is not a CIDR"]],
  [
    "a schema problem and a node-group enum",
    ["an AMI family EKS does not offer", "a boolean in words"],
  ],
];

test.each(together)("%s: all in one run, nothing else", async (_, names) => {
  const picked = names.map((n) => {
    const found = cases.find(([name]) => name === n);
    if (!found) throw new Error(`no case named ${JSON.stringify(n)} in cases`);
    return found;
  });
  const found = await problems((c) => picked.forEach(([, mutate]) => mutate(c)));
  expect(found.sort()).toEqual(picked.flatMap(([, , expected]) => expected).sort());
});

test("Istio off: every check that needs it speaks in the same run", async () => {
  const found = await problems((c) => (addon(c, "istio").enabled = false));
  // The mesh namespaces as prod2's file declares them.
  const meshKeys = Object.entries(teamsOf(committedConfig("prod2"))).flatMap(([team, t]) =>
    Object.entries(t.namespaces ?? {})
      .filter(([, ns]) => ns?.mesh)
      .map(([ns]) => `eks-blueprint:teams.${team}.namespaces.${ns}.mesh`),
  );
  expect(meshKeys.length).toBeGreaterThan(0);
  expect(found.map((p) => p.slice(0, p.indexOf(": ")))).toEqual([
    "eks-blueprint:addons.istio",
    "migration:hostnames",
    ...meshKeys,
  ]);
});

test("a peer of an unknown kind is one problem, not an unknown key besides", async () => {
  const found = await problems((c) => (apiEgress(c).to = "sg"));
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(
    /^eks-blueprint:podSecurityGroups\.api-server\.egress\[0\]: unknown peer /,
  );
});

test("teams that do not read: one problem, not every namespace reference besides", async () => {
  const found = await problems((c) => (c["eks-blueprint:teams"] = "oops"));
  expect(found.map((p) => p.slice(0, p.indexOf(": ")))).toEqual(["eks-blueprint:teams"]);
});
