// prod2 from its committed config: every namespace it uses is a team's, created before anything
// goes into it, with its Pod Security labels, default-deny ingress and egress, quota and limit
// range; the team roles' access is namespace-scoped and waits for the cluster. And the two
// config errors the issue names: a namespace no team declares, an exception without a reason.
import { cidrsOverlap, parseCidr } from "../components/network/cidr";
import type { SynthResult } from "../synth/record";
import {
  byType,
  committedConfig,
  committedSynth,
  RawConfig,
  rejectedConfig,
} from "./stack-harness";
import { declaredNamespacesOf, teamNamespacesOf, teamRolesOf } from "./stack-suites";

// What prod2's file declares (eks-blueprint:teams), read from it: onboarding a team there
// (docs/teams.md) adds its namespaces and roles here, with no test to edit.
const CONFIG = committedConfig("prod2");
const NAMESPACES = teamNamespacesOf(CONFIG).map((n) => n.name);
const NAMESPACE = "kubernetes:core/v1:Namespace";
const CLUSTER = "eks:index:Cluster::prod2-cluster";

test("prod2's file declares team roles, so the comparisons below are not of empty lists", () => {
  expect(teamRolesOf(CONFIG).length).toBeGreaterThan(0);
});

let prod2: SynthResult;
beforeAll(async () => {
  prod2 = committedSynth("prod2");
});

const inNamespace = (type: string, ns: string) =>
  byType(prod2, type).filter((r) => (r.inputs.metadata as { namespace?: string }).namespace === ns);

describe.each(NAMESPACES)("prod2 namespace %s", (ns) => {
  const namespaceKey = `${NAMESPACE}::prod2-teams-ns-${ns}`;

  test("is created once, by Teams, enforcing restricted", () => {
    const created = byType(prod2, NAMESPACE).filter(
      (r) => (r.inputs.metadata as { name: string }).name === ns,
    );
    expect(created.map((r) => r.name)).toEqual([`prod2-teams-ns-${ns}`]);
    const labels = (created[0].inputs.metadata as { labels: Record<string, string> }).labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("denies ingress and egress by default, and every policy waits for the namespace", () => {
    const policies = inNamespace("kubernetes:networking.k8s.io/v1:NetworkPolicy", ns);
    const names = policies.map((p) => (p.inputs.metadata as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(["default-deny-ingress", "default-deny-egress"]));
    expect(policies.filter((p) => !p.dependsOn.includes(namespaceKey))).toEqual([]);
  });

  test("has a quota and a limit range, each waiting for the namespace", () => {
    for (const type of ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange"]) {
      const objects = inNamespace(type, ns);
      expect(objects).toHaveLength(1);
      expect(objects[0].dependsOn).toContain(namespaceKey);
    }
  });

  test("everything else put into it waits for it", () => {
    const inside = prod2.resources.filter(
      (r) =>
        r.type.startsWith("kubernetes:") &&
        r.type !== NAMESPACE &&
        (r.inputs.metadata as { namespace?: string } | undefined)?.namespace === ns,
    );
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.filter((r) => !r.dependsOn.includes(namespaceKey)).map((r) => r.name)).toEqual(
      [],
    );
  });
});

test("team roles get namespace-scoped edit or view, each waiting for the cluster", () => {
  const associations = byType(
    prod2,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  ).filter((r) => r.name.startsWith("prod2-teams-"));
  const byName = (a: unknown[], b: unknown[]) => ((a[0] as string) < (b[0] as string) ? -1 : 1);
  expect(
    associations
      .map((r) => [r.name, (r.inputs.policyArn as string).split("/").pop(), r.inputs.accessScope])
      .sort(byName),
  ).toEqual(
    teamRolesOf(CONFIG)
      .map(({ role, level, namespaces }) => [
        `prod2-teams-${role}-${level}`,
        level === "edit" ? "AmazonEKSEditPolicy" : "AmazonEKSViewPolicy",
        { type: "namespace", namespaces },
      ])
      .sort(byName),
  );
  const entries = byType(prod2, "aws:eks/accessEntry:AccessEntry").filter((r) =>
    r.name.startsWith("prod2-teams-"),
  );
  expect(entries.map((r) => r.name).sort()).toEqual(
    teamRolesOf(CONFIG)
      .map(({ role }) => `prod2-teams-${role}`)
      .sort(),
  );
  expect(entries.map((r) => r.inputs.type)).toEqual(entries.map(() => "STANDARD"));
  for (const r of [...associations, ...entries]) {
    expect([r.name, r.inputs.clusterName, r.dependsOn]).toEqual([
      r.name,
      "eks-blueprint-prod2",
      expect.arrayContaining([CLUSTER]),
    ]);
  }
});

const teams = (c: RawConfig) =>
  c["eks-blueprint:teams"] as Record<string, { namespaces: Record<string, unknown> }>;

const gameToArcade = (c: RawConfig) => {
  delete teams(c).game.namespaces.game;
  teams(c).game.namespaces.arcade = {};
};
/** The namespaces the error lists, from prod2's file with the same edit. */
const NOW_ARCADE = (() => {
  const edited = structuredClone(CONFIG);
  gameToArcade(edited);
  return JSON.stringify(declaredNamespacesOf(edited));
})();

test.each<[string, (c: RawConfig) => void, string]>([
  [
    "a workload role in a namespace no team declares",
    gameToArcade,
    [
      `eks-blueprint:irsaRoles.leaderboard.namespace: a namespace this program does not create (got "game"); declare it in eks-blueprint:teams.<team>.namespaces or eks-blueprint:workloadNamespaces (now ${NOW_ARCADE}) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
      `eks-blueprint:irsaRoles.match-server.namespace: a namespace this program does not create (got "game"); declare it in eks-blueprint:teams.<team>.namespaces or eks-blueprint:workloadNamespaces (now ${NOW_ARCADE}) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
      `migration:singletons.match-server.namespace: a namespace this program does not create (got "game"); declare it in eks-blueprint:teams.<team>.namespaces or eks-blueprint:workloadNamespaces (now ${NOW_ARCADE}) or use one EKS has: default, kube-node-lease, kube-public, kube-system`,
    ].join("\n"),
  ],
  [
    "a Pod Security exception without a reason",
    (c) => (teams(c).data.namespaces["batch-jobs"] = { podSecurity: { level: "baseline" } }),
    "eks-blueprint:teams.data.namespaces.batch-jobs.podSecurity.reason: a Pod Security exception without a reason (got null); say why these pods cannot run under restricted (which container needs what), or remove the exception",
  ],
  [
    "a live namespace at a stage that is not one",
    (c) => (teams(c).data.namespaces["batch-jobs"] = { live: { stage: "later", color: "x" } }),
    [
      'eks-blueprint:teams.data.namespaces.batch-jobs.live: unknown key color (got ["color"]); remove it or check its spelling against the stack config table in README.md',
      'eks-blueprint:teams.data.namespaces.batch-jobs.live.stage: unknown stage (got "later"); use observe or enforce (one step per pulumi up)',
    ].join("\n"),
  ],
  [
    "an unknown field in a team",
    (c) => ((teams(c).game as Record<string, unknown>).adminRoleArns = []),
    `eks-blueprint:teams.game: unknown key adminRoleArns (got ["adminRoleArns"]); remove it or check its spelling against the stack config table in README.md`,
  ],
])("%s is refused with its key named, registering nothing", async (_, mutate, expected) => {
  const { message, registered } = await rejectedConfig("prod2", mutate);
  const problems = message
    .split("\n")
    .slice(1)
    .map((l) => l.replace(/^\s+- /, ""));
  expect(problems).toEqual(expected.split("\n"));
  expect(registered).toEqual([]);
});

describe("TCP 443 reaches AWS, never a peer", () => {
  /** Whether `outer` holds all of `inner` (IPv4). */
  const covers = (outer: string, inner: string) => {
    const [o, i] = [parseCidr(outer), parseCidr(inner)];
    if (!o || !i || i.prefix < o.prefix) return false;
    const mask = o.prefix === 0 ? 0 : (~0 << (32 - o.prefix)) >>> 0;
    return (i.network & mask) >>> 0 === o.network;
  };
  type Block = { ipBlock: { cidr: string; except?: string[] } };
  /** Whether any address of `target` gets through the policy's blocks. */
  const admits = (to: Block[], target: string) =>
    to.some(
      ({ ipBlock: b }) =>
        cidrsOverlap(b.cidr, target) && !(b.except ?? []).some((e) => covers(e, target)),
    );

  test.each([
    ["prod2", "prod"],
    ["prod", "prod2"],
  ])(
    "%s's team namespaces reach public addresses and their own VPC on 443, not %s's VPC or instance metadata",
    (stack, peer) => {
      const own = committedConfig(stack)["eks-blueprint:vpcCidr"] as string;
      const peerCidr = committedConfig(peer)["eks-blueprint:vpcCidr"] as string;
      const policies = byType(
        committedSynth(stack),
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      )
        .filter((p) => (p.inputs.metadata as { name: string }).name === "allow-aws-apis")
        .map((p) => (p.inputs.spec as { egress: { to: Block[] }[] }).egress[0].to);
      expect(policies.length).toBeGreaterThan(0);
      for (const to of policies) {
        expect(
          [peerCidr, "169.254.169.254/32", "52.94.0.10/32", own].map((c) => admits(to, c)),
        ).toEqual([false, false, true, true]);
      }
    },
  );
});
