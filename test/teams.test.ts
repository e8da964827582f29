import type * as k8s from "@pulumi/kubernetes";
import { teamPolicies } from "../components/addons/network-policies";
import { ADDON_KEYS, specOf } from "../components/addons/registry";
import { EKS_SYSTEM_NAMESPACES } from "../components/teams/namespace";
import { quantityValue } from "../components/teams/quantity";
import { teamProblems, teamsProblems, TeamsContext } from "../components/teams/team-problems";
import {
  limitRangeSpec,
  resourceQuotaSpec,
  teamAccessGrants,
} from "../components/teams/team-resources";
import { TeamSpec, teamLimits, teamQuota } from "../components/teams/team-settings";
import { Teams } from "../components/teams/teams";
import { SynthError } from "../synth/synthesize";
import { synthProgram } from "./day2-context";

const byName = (ns: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
});

describe("a team namespace's network policies", () => {
  test("deny all egress, then DNS, AWS APIs, the Pod Identity agent, the team, istiod, the trace collector and each extra rule", () => {
    expect(
      teamPolicies("api", {
        teamNamespaces: ["api", "api-jobs"],
        vpcCidr: "10.20.0.0/16",
        mesh: true,
        tracing: true,
        egress: {
          mysql: { cidr: "10.30.0.0/16", ports: [3306], reason: "the central database" },
        },
      }),
    ).toEqual([
      {
        metadata: { name: "default-deny-egress", namespace: "api" },
        spec: { podSelector: {}, policyTypes: ["Egress"] },
      },
      {
        metadata: { name: "allow-dns", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  ...byName("kube-system"),
                  podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                },
              ],
              ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
              ],
            },
          ],
        },
      },
      {
        metadata: { name: "allow-aws-apis", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  ipBlock: {
                    cidr: "0.0.0.0/0",
                    except: [
                      "10.0.0.0/8",
                      "100.64.0.0/10",
                      "169.254.0.0/16",
                      "172.16.0.0/12",
                      "192.168.0.0/16",
                    ],
                  },
                },
                { ipBlock: { cidr: "10.20.0.0/16" } },
              ],
              ports: [{ protocol: "TCP", port: 443 }],
            },
          ],
        },
      },
      {
        metadata: { name: "allow-pod-identity-agent", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "169.254.170.23/32" } }],
              ports: [{ protocol: "TCP", port: 80 }],
            },
          ],
        },
      },
      {
        metadata: { name: "allow-team-egress", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [byName("api"), byName("api-jobs")] }],
        },
      },
      {
        metadata: { name: "allow-team-ingress", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Ingress"],
          ingress: [{ from: [byName("api-jobs")] }],
        },
      },
      {
        metadata: { name: "allow-istiod", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ...byName("istio-system"), podSelector: { matchLabels: { app: "istiod" } } }],
              ports: [{ protocol: "TCP", port: 15012 }],
            },
          ],
        },
      },
      {
        metadata: { name: "allow-trace-collector", namespace: "api" },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [byName("tracing")], ports: [{ protocol: "TCP", port: 4317 }] }],
        },
      },
      {
        metadata: {
          name: "allow-egress-mysql",
          namespace: "api",
          annotations: { "eks-blueprint/reason": "the central database" },
        },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ ipBlock: { cidr: "10.30.0.0/16" } }],
              ports: [{ protocol: "TCP", port: 3306 }],
            },
          ],
        },
      },
    ]);
  });

  test("a lone namespace outside the mesh gets no team ingress, no istiod or collector egress", () => {
    expect(
      teamPolicies("batch-jobs", {
        teamNamespaces: ["batch-jobs"],
        vpcCidr: "10.20.0.0/16",
        tracing: true,
      }).map((p) => p.metadata.name),
    ).toEqual([
      "default-deny-egress",
      "allow-dns",
      "allow-aws-apis",
      "allow-pod-identity-agent",
      "allow-team-egress",
    ]);
  });
});

describe("quota and limit range", () => {
  test("the defaults: a ceiling per namespace, no load balancers or node ports of its own", () => {
    expect(resourceQuotaSpec(teamQuota({}))).toEqual({
      hard: {
        "limits.memory": "32Gi",
        persistentvolumeclaims: "10",
        pods: "50",
        "requests.cpu": "8",
        "requests.memory": "16Gi",
        "requests.storage": "500Gi",
        "services.loadbalancers": "0",
        "services.nodeports": "0",
      },
    });
    expect(limitRangeSpec(teamLimits({}))).toEqual({
      limits: [
        {
          type: "Container",
          default: { memory: "512Mi" },
          defaultRequest: { cpu: "100m", memory: "128Mi" },
        },
      ],
    });
  });

  test("a namespace overrides field by field, keeping the other defaults", () => {
    expect(resourceQuotaSpec(teamQuota({ quota: { cpu: "16", loadBalancers: 1 } })).hard).toEqual({
      "limits.memory": "32Gi",
      persistentvolumeclaims: "10",
      pods: "50",
      "requests.cpu": "16",
      "requests.memory": "16Gi",
      "requests.storage": "500Gi",
      "services.loadbalancers": "1",
      "services.nodeports": "0",
    });
    expect(limitRangeSpec(teamLimits({ limits: { defaultMemoryLimit: "1Gi" } })).limits[0]).toEqual(
      {
        type: "Container",
        default: { memory: "1Gi" },
        defaultRequest: { cpu: "100m", memory: "128Mi" },
      },
    );
  });

  test("a meshed namespace's default memory limit holds its 50 unsized pods with their 1Gi sidecars", () => {
    const q = teamQuota({ mesh: true });
    expect(q.memoryLimit).toBe("76800Mi");
    // 32Gi held 21 such pods: 512Mi for the app container and 1Gi for its sidecar each.
    const perPod = 512 * 2 ** 20 + 2 ** 30;
    expect(Math.floor(Number(quantityValue(q.memoryLimit)) / perPod)).toBeGreaterThanOrEqual(
      q.pods,
    );
    expect(teamQuota({ mesh: true, quota: { pods: 10 } }).memoryLimit).toBe("15360Mi");
    expect(teamQuota({ mesh: true, quota: { memoryLimit: "40Gi" } }).memoryLimit).toBe("40Gi");
    expect(teamQuota({}).memoryLimit).toBe("32Gi");
  });

  test.each([
    ["8", 8],
    ["500m", 0.5],
    ["512Mi", 536870912],
    ["1.5Gi", 1610612736],
    ["2k", 2000],
    ["8 GiB", undefined],
    ["-1", undefined],
    [8, undefined],
  ])("quantity %j is %j", (q, want) => {
    expect(quantityValue(q)).toBe(want);
  });
});

test("access: one grant per role, scoped to exactly the team's namespaces, keyed by role name", () => {
  expect(
    teamAccessGrants(
      {
        namespaces: { game: {}, "game-jobs": {} },
        editRoleArns: ["arn:aws:iam::111122223333:role/game-deploy"],
        viewRoleArns: ["arn:aws:iam::111122223333:role/teams/game-oncall"],
      },
      "aws",
    ),
  ).toEqual([
    {
      key: "game-deploy",
      principalArn: "arn:aws:iam::111122223333:role/game-deploy",
      level: "edit",
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
      accessScope: { type: "namespace", namespaces: ["game", "game-jobs"] },
    },
    {
      key: "game-oncall",
      principalArn: "arn:aws:iam::111122223333:role/teams/game-oncall",
      level: "view",
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
      accessScope: { type: "namespace", namespaces: ["game", "game-jobs"] },
    },
  ]);
});

describe("one team's problems", () => {
  test("a valid team has none", () => {
    expect(
      teamProblems(
        "game",
        {
          namespaces: {
            game: {
              podSecurity: { level: "baseline", reason: "the profiler needs SYS_PTRACE" },
              egress: {
                redis: { cidr: "10.30.4.0/24", ports: [6379], reason: "the session cache" },
              },
            },
          },
          editRoleArns: ["arn:aws:iam::111122223333:role/game-deploy"],
        },
        "teams.game",
      ),
    ).toEqual([]);
  });

  const ns = (spec: TeamSpec["namespaces"][string]): TeamSpec => ({ namespaces: { game: spec } });
  test.each<[string, TeamSpec, string]>([
    [
      "a Pod Security exception without a reason",
      ns({ podSecurity: { level: "baseline" } as never }),
      "teams.game.namespaces.game.podSecurity.reason: a Pod Security exception without a reason (got null); say why these pods cannot run under restricted (which container needs what), or remove the exception",
    ],
    [
      "a Pod Security exception with an empty reason",
      ns({ podSecurity: { level: "privileged", reason: " " } }),
      'teams.game.namespaces.game.podSecurity.reason: a Pod Security exception without a reason (got " "); say why these pods cannot run under restricted (which container needs what), or remove the exception',
    ],
    [
      "restricted written as an exception",
      ns({ podSecurity: { level: "restricted" as never, reason: "default" } }),
      'teams.game.namespaces.game.podSecurity.level: not an exception to restricted (got "restricted"); use baseline or privileged, or leave podSecurity out for restricted',
    ],
    [
      "a quota that is not a quantity",
      ns({ quota: { memory: "16 GB" } }),
      'teams.game.namespaces.game.quota.memory: not a quantity (got "16 GB"); use a Kubernetes quantity such as 500m, 2, 512Mi or 16Gi',
    ],
    [
      "a negative pod count",
      ns({ quota: { pods: -1 } }),
      "teams.game.namespaces.game.quota.pods: not a count (got -1); use a whole number from 0",
    ],
    [
      "a default memory request above the default limit",
      ns({ limits: { defaultMemoryRequest: "1Gi", defaultMemoryLimit: "512Mi" } }),
      'teams.game.namespaces.game.limits.defaultMemoryRequest: above defaultMemoryLimit 512Mi (got "1Gi"); at most 512Mi',
    ],
    [
      "egress to an address with host bits",
      ns({ egress: { db: { cidr: "10.30.0.7/16", ports: [5432], reason: "orders database" } } }),
      'teams.game.namespaces.game.egress.db.cidr: host bits set (got "10.30.0.7/16"); use the network address 10.30.0.0/16',
    ],
    [
      "egress without ports",
      ns({ egress: { db: { cidr: "10.30.0.0/16", ports: [], reason: "orders database" } } }),
      "teams.game.namespaces.game.egress.db.ports: not a list of ports (got []); list ports from 1 to 65535",
    ],
    [
      "egress without a reason",
      ns({ egress: { db: { cidr: "10.30.0.0/16", ports: [5432] } as never } }),
      "teams.game.namespaces.game.egress.db.reason: egress without a reason (got null); say what the pods reach there and why",
    ],
    [
      "metrics ports listed twice",
      ns({ metricsPorts: [9102, 9102] }),
      "teams.game.namespaces.game.metricsPorts: not distinct ports (got [9102,9102]); use distinct integers from 1 to 65535",
    ],
    [
      "a metrics port out of range",
      ns({ metricsPorts: [0] }),
      "teams.game.namespaces.game.metricsPorts: not distinct ports (got [0]); use distinct integers from 1 to 65535",
    ],
    [
      "a team without a namespace",
      { namespaces: {} },
      "teams.game.namespaces: a team without a namespace (got {}); declare at least one namespace",
    ],
    [
      "a namespace that is not a namespace name",
      { namespaces: { Game: {} } },
      `teams.game.namespaces.Game: not a namespace name (got "Game"); use at most 63 lowercase letters, digits and '-'`,
    ],
    [
      "a namespace Kubernetes creates",
      { namespaces: { "kube-system": {} } },
      'teams.game.namespaces.kube-system: a namespace Kubernetes creates itself (got "kube-system"); leave default, kube-node-lease, kube-public, kube-system out; objects may go into them as they are',
    ],
    [
      "an edit role that is not a role ARN",
      { namespaces: { game: {} }, editRoleArns: ["arn:aws:iam::111122223333:user/alice"] },
      'teams.game.editRoleArns[0]: not an IAM role ARN (got "arn:aws:iam::111122223333:user/alice"); use arn:aws:iam::<12-digit account>:role/<name>',
    ],
  ])("%s is refused", (_, spec, message) => {
    expect(teamProblems("game", spec, "teams.game")).toEqual([message]);
  });

  // From the registry: a new add-on's namespace is refused without a change here.
  test.each(
    ADDON_KEYS.map((k) => [k, specOf(k).namespace.name]).filter(
      ([, ns]) => !(EKS_SYSTEM_NAMESPACES as readonly string[]).includes(ns),
    ),
  )("the namespace of the %s add-on (%s) is no team's", (addon, ns) => {
    const found = teamProblems("game", { namespaces: { [ns]: {} } }, "teams.game");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^teams\\.game\\.namespaces\\.${ns}: the namespace of `));
    expect(found[0]).toContain(addon);
    expect(found[0]).toContain("; use a namespace of your own");
  });

  test("a team name that cannot be a short name is refused", () => {
    expect(teamProblems("Game_Team", { namespaces: { game: {} } }, "teams.Game_Team")).toEqual([
      'teams.Game_Team: bad team name (got "Game_Team"); use 1-20 characters: lowercase letters, digits and hyphens, starting with a letter',
    ]);
  });
});

describe("problems across teams and the blueprint", () => {
  const ctx: TeamsContext = {
    workloadNamespaces: ["legacy"],
    workloadNamespacesAt: "platform.workloadNamespaces",
    adminRoleArns: ["arn:aws:iam::111122223333:role/platform-admin"],
    adminRoleArnsAt: "adminRoleArns",
    istio: true,
    istioCni: true,
    fargateNamespaces: { batch: ["batch-*"] },
    addonAt: (a) => `addons.${a}`,
  };
  const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

  test.each<[string, Record<string, TeamSpec>, Partial<TeamsContext>, string]>([
    [
      "a namespace two teams declare",
      { game: { namespaces: { shared: {} } }, api: { namespaces: { shared: {} } } },
      {},
      'teams.api.namespaces.shared: already declared in teams.game.namespaces (got "shared"); declare each namespace once: in one team, or in workloadNamespaces',
    ],
    [
      "a namespace also in workloadNamespaces",
      { game: { namespaces: { legacy: {} } } },
      {},
      'teams.game.namespaces.legacy: already declared in platform.workloadNamespaces (got "legacy"); declare each namespace once: in one team, or in workloadNamespaces',
    ],
    [
      "a role in two teams",
      {
        game: { namespaces: { game: {} }, editRoleArns: [role("deploy")] },
        api: { namespaces: { api: {} }, viewRoleArns: [role("deploy")] },
      },
      {},
      'teams.api.viewRoleArns[0]: role deploy already has an access entry from teams.game.editRoleArns; EKS keeps one per principal (got "arn:aws:iam::111122223333:role/deploy"); give each role one place: one team, one level, or adminRoleArns',
    ],
    [
      "a cluster admin as a team role",
      { game: { namespaces: { game: {} }, editRoleArns: [role("platform-admin")] } },
      {},
      'teams.game.editRoleArns[0]: role platform-admin already has an access entry from adminRoleArns; EKS keeps one per principal (got "arn:aws:iam::111122223333:role/platform-admin"); give each role one place: one team, one level, or adminRoleArns',
    ],
    [
      "the mesh without Istio",
      { game: { namespaces: { game: { mesh: true } } } },
      { istio: false },
      "teams.game.namespaces.game.mesh: set, but addons.istio is off (got true); turn addons.istio on, or leave the namespace out of the mesh",
    ],
    [
      "the mesh under restricted without the CNI agent",
      { game: { namespaces: { game: { mesh: true } } } },
      { istioCni: false },
      "teams.game.namespaces.game.mesh: set under restricted, but addons.istioCni is off: injected pods need NET_ADMIN and NET_RAW (got true); turn addons.istioCni on",
    ],
    [
      "the mesh on Fargate",
      { data: { namespaces: { "batch-jobs": { mesh: true } } } },
      {},
      "teams.data.namespaces.batch-jobs.mesh: set, but Fargate profile batch selects this namespace and Fargate runs no DaemonSet (istio-cni) (got true); keep the namespace out of the mesh, or off Fargate",
    ],
  ])("%s is refused", (_, teams, overrides, message) => {
    expect(teamsProblems(teams, "teams", { ...ctx, ...overrides })).toEqual([message]);
  });

  test("a meshed namespace with a reasoned exception needs no CNI agent", () => {
    const teams = {
      game: {
        namespaces: {
          game: {
            mesh: true,
            podSecurity: { level: "baseline" as const, reason: "istio-init needs NET_ADMIN" },
          },
        },
      },
    };
    expect(teamsProblems(teams, "teams", { ...ctx, istioCni: false })).toEqual([]);
  });
});

test("Teams refuses a Pod Security exception without a reason, registering nothing", async () => {
  const attempt = synthProgram(
    () =>
      new Teams("t", {
        teams: {
          game: { namespaces: { game: { podSecurity: { level: "privileged" } as never } } },
        },
        cluster: "blue",
        kubernetesVersion: "1.35",
        vpcCidr: "10.20.0.0/16",
        provider: undefined as unknown as k8s.Provider,
      }),
  );
  await expect(attempt).rejects.toThrow(
    "Teams t:\n  - teams.game.namespaces.game.podSecurity.reason: a Pod Security exception without a reason (got null); say why these pods cannot run under restricted (which container needs what), or remove the exception",
  );
  expect(await attempt.catch((e: SynthError) => e.resources)).toEqual([]);
});
