// Team problems: one team's args (`teamProblems`), then what only the blueprint sees
// (`teamsProblems`): namespaces or roles claimed twice, mesh without Istio, meshed Fargate pods.
import { addonNamespaceProblems, installedAddons } from "../addons/selection";
import type { BlueprintArgs } from "../blueprint/blueprint";
import { hostBitsProblems, isNetworkCidr } from "../network/cidr";
import { arnName } from "../access/irsa-policy";
import { roleArnProblems } from "../cluster/cluster-settings";
import { fargatePatternMatches } from "../compute/fargate";
import { namespaceListProblems } from "./namespace";
import {
  isIntegerIn,
  portListProblems,
  oneOfProblems,
  PathOf,
  problem,
  shortNameProblems,
  under,
  problemList,
} from "../problems";
import {
  RESTRICTION_STAGES,
  TeamNamespaceSpec,
  TeamSpec,
  teamLimits,
  teamQuota,
} from "./team-settings";
import { QUANTITY_HINT, quantityValue } from "./quantity";

const quantityProblems = (fields: Record<string, unknown>, at: string): string[] =>
  Object.entries(fields)
    .filter(([, v]) => typeof v !== "number" && quantityValue(v) === undefined)
    .map(([f, v]) => problem(`${at}.${f}`, "not a quantity", v, QUANTITY_HINT));

function namespaceSpecProblems(ns: TeamNamespaceSpec, at: string): string[] {
  const [out, add] = problemList();
  const psa = ns.podSecurity;
  if (psa !== undefined) {
    if (psa.level !== "baseline" && psa.level !== "privileged") {
      add(
        `${at}.podSecurity.level`,
        "not an exception to restricted",
        psa.level,
        "use baseline or privileged, or leave podSecurity out for restricted",
      );
    }
    if (typeof psa.reason !== "string" || psa.reason.trim() === "") {
      add(
        `${at}.podSecurity.reason`,
        "a Pod Security exception without a reason",
        psa.reason ?? null,
        "say why these pods cannot run under restricted (which container needs what), or remove the exception",
      );
    }
  }
  if (ns.live !== undefined) {
    out.push(
      ...oneOfProblems(
        ns.live.stage,
        RESTRICTION_STAGES,
        `${at}.live.stage`,
        "stage",
        " (one step per pulumi up)",
      ),
    );
  }
  const q = teamQuota(ns);
  const { cpu, memory, memoryLimit, storage } = q;
  out.push(...quantityProblems({ cpu, memory, memoryLimit, storage }, `${at}.quota`));
  for (const f of ["pods", "persistentVolumeClaims", "loadBalancers", "nodePorts"] as const) {
    if (!isIntegerIn(q[f], 0, 100_000)) {
      add(`${at}.quota.${f}`, "not a count", q[f], "use a whole number from 0");
    }
  }
  const l = teamLimits(ns);
  const limitFields = quantityProblems({ ...l }, `${at}.limits`);
  out.push(...limitFields);
  const request = quantityValue(l.defaultMemoryRequest);
  const limit = quantityValue(l.defaultMemoryLimit);
  if (limitFields.length === 0 && request !== undefined && limit !== undefined && request > limit) {
    // The API server refuses a LimitRange whose default request exceeds its default limit.
    add(
      `${at}.limits.defaultMemoryRequest`,
      `above defaultMemoryLimit ${l.defaultMemoryLimit}`,
      l.defaultMemoryRequest,
      `at most ${l.defaultMemoryLimit}`,
    );
  }
  for (const [name, rule] of Object.entries(ns.egress ?? {})) {
    const r = `${at}.egress.${name}`;
    out.push(...shortNameProblems(name, r, "egress rule name"));
    const hostBits = hostBitsProblems(rule.cidr, `${r}.cidr`);
    out.push(...hostBits);
    const ipv4 = typeof rule.cidr === "string" && !rule.cidr.includes(":");
    if (hostBits.length === 0 && !(ipv4 && isNetworkCidr(rule.cidr))) {
      add(
        `${r}.cidr`,
        "not an IPv4 network CIDR",
        rule.cidr,
        "use a.b.c.d/n, for example 10.30.0.0/16",
      );
    }
    if (
      !Array.isArray(rule.ports) ||
      rule.ports.length === 0 ||
      !rule.ports.every((p) => isIntegerIn(p, 1, 65535))
    ) {
      add(`${r}.ports`, "not a list of ports", rule.ports, "list ports from 1 to 65535");
    }
    if (typeof rule.reason !== "string" || rule.reason.trim() === "") {
      add(
        `${r}.reason`,
        "egress without a reason",
        rule.reason ?? null,
        "say what the pods reach there and why",
      );
    }
  }
  out.push(...portListProblems(ns.metricsPorts, `${at}.metricsPorts`));
  return out;
}

/** `x[0]: …` → `x: …`, for a list check used on a map key. */
const unindexed = (p: string): string => p.replace(/^([^:]*?)\[0\]:/, "$1:");

/** One team's own problems, keyed under `at` (`teams.<team>`). */
export function teamProblems(team: string, spec: TeamSpec, at: string): string[] {
  const names = Object.keys(spec.namespaces ?? {});
  const [out, add] = problemList(shortNameProblems(team, at, "team name"));
  if (names.length === 0) {
    add(
      `${at}.namespaces`,
      "a team without a namespace",
      spec.namespaces ?? null,
      "declare at least one namespace",
    );
  }
  // One name at a time, keyed by the name: a map cannot list one twice.
  names.forEach((n) =>
    out.push(
      ...namespaceListProblems([n], `${at}.namespaces.${n}`).map(unindexed),
      ...addonNamespaceProblems(n, `${at}.namespaces.${n}`),
    ),
  );
  for (const [name, ns] of Object.entries(spec.namespaces ?? {})) {
    out.push(...namespaceSpecProblems(ns, `${at}.namespaces.${name}`));
  }
  for (const field of ["editRoleArns", "viewRoleArns"] as const) {
    (spec[field] ?? []).forEach((arn, i) =>
      out.push(...roleArnProblems(arn, `${at}.${field}[${i}]`)),
    );
  }
  return out;
}

/** What the cross-checks need from the rest of the blueprint. */
export interface TeamsContext {
  /** Namespaces declared without a team, and where. */
  workloadNamespaces: readonly string[];
  workloadNamespacesAt: string;
  /** Cluster admins, and where: each principal has one access entry. */
  adminRoleArns: readonly string[];
  adminRoleArnsAt: string;
  istio: boolean;
  istioCni: boolean;
  /** Fargate selectors' namespace patterns, by profile. */
  fargateNamespaces: Record<string, string[]>;
  /** Where `addons.<addon>` is, as the caller typed it. */
  addonAt: (addon: string) => string;
}

/** The teams' problems, each alone and then across teams and the blueprint. */
export function teamsProblems(
  teams: Record<string, TeamSpec>,
  at: string,
  ctx: TeamsContext,
): string[] {
  const [out, add] = problemList(
    Object.entries(teams).flatMap(([t, s]) => teamProblems(t, s, `${at}.${t}`)),
  );
  const owner = new Map<string, string>(
    ctx.workloadNamespaces.map((n) => [n, ctx.workloadNamespacesAt]),
  );
  const principal = new Map<string, string>(
    ctx.adminRoleArns.map((a) => [arnName(a), ctx.adminRoleArnsAt]),
  );
  for (const [t, spec] of Object.entries(teams)) {
    for (const [name, ns] of Object.entries(spec.namespaces ?? {})) {
      const key = `${at}.${t}.namespaces.${name}`;
      const first = owner.get(name);
      if (first !== undefined) {
        add(
          key,
          `already declared in ${first}`,
          name,
          "declare each namespace once: in one team, or in workloadNamespaces",
        );
      } else owner.set(name, `${at}.${t}.namespaces`);
      if (!ns.mesh) continue;
      if (!ctx.istio) {
        add(
          `${key}.mesh`,
          `set, but ${ctx.addonAt("istio")} is off`,
          true,
          `turn ${ctx.addonAt("istio")} on, or leave the namespace out of the mesh`,
        );
      } else if (!ctx.istioCni && !ns.podSecurity) {
        // Without the CNI agent every injected pod runs istio-init with NET_ADMIN and NET_RAW.
        add(
          `${key}.mesh`,
          `set under restricted, but ${ctx.addonAt("istioCni")} is off: injected pods need NET_ADMIN and NET_RAW`,
          true,
          `turn ${ctx.addonAt("istioCni")} on`,
        );
      }
      for (const [profile, patterns] of Object.entries(ctx.fargateNamespaces)) {
        if (!patterns.some((p) => fargatePatternMatches(p, name))) continue;
        // Fargate runs no DaemonSet, so no istio-cni agent sets up its pods' redirection
        // (https://docs.aws.amazon.com/eks/latest/userguide/fargate.html, Considerations).
        add(
          `${key}.mesh`,
          `set, but Fargate profile ${profile} selects this namespace and Fargate runs no DaemonSet (istio-cni)`,
          true,
          "keep the namespace out of the mesh, or off Fargate",
        );
      }
    }
    for (const field of ["editRoleArns", "viewRoleArns"] as const) {
      (spec[field] ?? []).forEach((arn, i) => {
        if (typeof arn !== "string") return;
        const key = `${at}.${t}.${field}[${i}]`;
        const first = principal.get(arnName(arn));
        if (first !== undefined) {
          add(
            key,
            `role ${arnName(arn)} already has an access entry from ${first}; EKS keeps one per principal`,
            arn,
            "give each role one place: one team, one level, or adminRoleArns",
          );
        } else principal.set(arnName(arn), `${at}.${t}.${field}`);
      });
    }
  }
  return out;
}

/** The teams' problems in a blueprint, keyed by `key(<BlueprintArgs path>)`. */
export function blueprintTeamsProblems(
  args: Pick<
    BlueprintArgs,
    "teams" | "workloadNamespaces" | "adminRoleArns" | "addons" | "fargateProfiles"
  >,
  key: PathOf = under(""),
): string[] {
  if (!args.teams || Object.keys(args.teams).length === 0) return [];
  const installed = installedAddons(args.addons ?? {});
  return teamsProblems(args.teams, key("teams"), {
    workloadNamespaces: args.workloadNamespaces ?? [],
    workloadNamespacesAt: key("workloadNamespaces"),
    adminRoleArns: (args.adminRoleArns ?? []).filter((a) => typeof a === "string"),
    adminRoleArnsAt: key("adminRoleArns"),
    istio: installed.includes("istio"),
    istioCni: installed.includes("istioCni"),
    fargateNamespaces: Object.fromEntries(
      Object.entries(args.fargateProfiles ?? {}).map(([p, fp]) => [
        p,
        fp.selectors.map((s) => s.namespace),
      ]),
    ),
    addonAt: (addon) => key(`addons.${addon}`),
  });
}

/** Where namespaces are declared, in the caller's words, for undeclared-namespace problems. */
export function namespacesDeclaredAt(
  args: Pick<BlueprintArgs, "teams">,
  key: PathOf = under(""),
): string {
  const workload = key("workloadNamespaces");
  return Object.keys(args.teams ?? {}).length > 0
    ? `${key("teams")}.<team>.namespaces or ${workload}`
    : workload;
}
