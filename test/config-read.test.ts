// Mistakes in a copy of Pulumi.prod2.yaml, read in-process as the synth reads it: each names its
// key and the fix, registers nothing, and several at once come out in one run (stacks/config-read.ts).
import { rejectedConfig, RawConfig } from "./stack-harness";

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
    'eks-blueprint:kubernetesVersion: unsupported Kubernetes version (got "1.3"); use one of 1.33, 1.34, 1.35; written 1.30 unquoted, YAML reads the number 1.3: quote it: "1.30"',
  ],
  [
    "a nested required key left out",
    (c) => delete groups(c).general.instanceTypes,
    "eks-blueprint:nodeGroups.general.instanceTypes: missing (got undefined); set it with `pulumi config set --path 'eks-blueprint:nodeGroups.general.instanceTypes[0]' <value>`",
  ],
];

const cases: [string, Mutation, string[]][] = [
  ...FIVE.map(([name, mutate, problem]): [string, Mutation, string[]] => [name, mutate, [problem]]),
  [
    "an unknown key in a podSecurityGroups entry",
    (c) => (entry(c, "eks-blueprint:podSecurityGroups", "api-server").podSelectors = {}),
    [
      'eks-blueprint:podSecurityGroups.api-server.podSelectors: unknown key (got "podSelectors"); use namespace, podSelector, serviceAccountSelector, ingress, egress, kubeletProbePorts or singleton',
    ],
  ],
  [
    "an unknown key in a pod security group's egress rule",
    (c) => (apiEgress(c).ports = [3306]),
    [
      'eks-blueprint:podSecurityGroups.api-server.egress[0].ports: unknown key (got "ports"); use to, securityGroupId, group, protocol, port, toPort or description',
    ],
  ],
  [
    "an unknown key in addons.argocd.bootstrap",
    (c) => ((addon(c, "argocd").bootstrap as Record<string, unknown>).branch = "main"),
    [
      'eks-blueprint:addons.argocd.bootstrap.branch: unknown key (got "branch"); use repoUrl, revision, path or credentialsKey',
    ],
  ],
  [
    "an unknown key in addons.alerts.receiver",
    (c) => ((addon(c, "alerts").receiver as Record<string, unknown>).webhook = "https://x"),
    [
      'eks-blueprint:addons.alerts.receiver.webhook: unknown key (got "webhook"); use type, secretName, secretKey or channel',
    ],
  ],
  [
    "a VPC CIDR with host bits set",
    (c) => (c["eks-blueprint:vpcCidr"] = "10.20.0.1/16"),
    [
      'eks-blueprint:vpcCidr: host bits set (got "10.20.0.1/16"); use the network address 10.20.0.0/16',
    ],
  ],
  [
    "a team egress CIDR with host bits set",
    (c) =>
      ((teamNamespaces(c, "api").api.egress as Record<string, Record<string, unknown>>).mysql.cidr =
        "10.30.0.7/16"),
    [
      'eks-blueprint:teams.api.namespaces.api.egress.mysql.cidr: host bits set (got "10.30.0.7/16"); use the network address 10.30.0.0/16',
    ],
  ],
  [
    "a team namespace Prometheus owns",
    (c) => (teamNamespaces(c, "data").monitoring = {}),
    [
      `eks-blueprint:teams.data.namespaces.monitoring: the namespace of the alerts and prometheus add-ons (got "monitoring"); ${ADDON_NAMESPACES}`,
    ],
  ],
  [
    "a workload namespace Argo CD owns",
    (c) => (c["eks-blueprint:workloadNamespaces"] = ["argocd"]),
    [
      `eks-blueprint:workloadNamespaces[0]: the namespace of the argocd add-on (got "argocd"); ${ADDON_NAMESPACES}`,
    ],
  ],
  [
    "a list given as one value",
    (c) => (groups(c).general.instanceTypes = "m7i.large"),
    [
      'eks-blueprint:nodeGroups.general.instanceTypes: not a list (got "m7i.large"); give a list: [m7i.large]',
    ],
  ],
  [
    "text YAML reads as a number",
    (c) => (c["eks-blueprint:tags"] = { team: "platform", costCenter: 1.5 }),
    ['eks-blueprint:tags.costCenter: not a string (got 1.5); quote it: "1.5"'],
  ],
  [
    "a map given as text",
    (c) => (groups(c).general.labels = "general"),
    [
      'eks-blueprint:nodeGroups.general.labels: not a map (got "general"); give key: value pairs, indented under the key',
    ],
  ],
  [
    "a nested missing key in an IRSA role",
    (c) => delete entry(c, "eks-blueprint:irsaRoles", "api-server").serviceAccount,
    [
      "eks-blueprint:irsaRoles.api-server.serviceAccount: missing (got undefined); set it with `pulumi config set --path 'eks-blueprint:irsaRoles.api-server.serviceAccount' <value>`",
    ],
  ],
];

/** A line as expected, or one that starts so when the expectation ends in "…". */
const matching = (found: string[], expected: string[]) =>
  found.map((line, i) =>
    expected[i]?.endsWith("…") && line.startsWith(expected[i].slice(0, -1)) ? expected[i] : line,
  );

test.each(cases)("%s: refused, naming the key and the fix", async (_name, mutate, expected) => {
  expect(matching(await problems(mutate), expected)).toEqual(expected);
});

test("the five mistakes come out in one run, with nothing else", async () => {
  const found = await problems((c) => FIVE.forEach(([, mutate]) => mutate(c)));
  expect(found.sort()).toEqual(FIVE.map(([, , problem]) => problem).sort());
});

test("a schema problem in one node group leaves the others' checks in the same run", async () => {
  const found = await problems((c) => {
    groups(c).general.labels = "general";
    groups(c).graviton.instanceTypes = ["m7g.xlarge"];
    entry(c, "eks-blueprint:irsaRoles", "api-server").namespace = "no-team-declares-this"; // not docs/teams.md's `payments`
  });
  expect(found.map((p) => p.slice(0, p.indexOf(": ")))).toEqual([
    "eks-blueprint:nodeGroups.general.labels",
    "eks-blueprint:nodeGroups.graviton.instanceTypes",
    "eks-blueprint:irsaRoles.api-server.namespace",
  ]);
});

test("Istio off: every check that needs it speaks in the same run", async () => {
  const found = await problems((c) => (addon(c, "istio").enabled = false));
  const keys = found.map((p) => p.slice(0, p.indexOf(": ")));
  expect(keys).toContain("migration:hostnames");
  expect(keys.filter((k) => k.endsWith(".mesh")).length).toBeGreaterThan(0);
  expect(found.length).toBeGreaterThan(2);
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
