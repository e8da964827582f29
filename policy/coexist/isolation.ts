/**
 * The isolation matrix: each role × its controller's writes × the other stack's resources, by the
 * IAM simulator, beside a positive control on its own (so deny-all or untagged fixtures cannot
 * pass). Role tags are principal tags, as in an IRSA session
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
 * Whatever the simulator cannot evaluate or see is a problem: the matrix fails closed.
 */
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { partitionOf, POD_IDENTITY_PRINCIPAL } from "../../components/access/irsa-policy";
import { awsManagedPolicyNamed } from "../aws-managed-policies";
import { isObj, str } from "../values";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  irsaRoleArnOf,
  logGroupsOf,
  ofType,
  releases,
  rolePolicies,
  valuesOf,
} from "./records";
import { networkResources } from "./isolation-network";
import {
  ClusterResource,
  RESOURCE_KINDS,
  resourceContext,
  ResourceKind,
  simulate,
  whereOf,
} from "./isolation-resources";
import { workloadResources } from "./isolation-workloads";
import {
  CONTROLLER_WRITES,
  ControllerWrites,
  NOT_JUDGED,
  probesOf,
  requestOf,
} from "./isolation-writes";
import {
  administratorControls,
  crossClusterExceptions,
  grants,
  mayAllow,
} from "./isolation-probes";
import type { SynthResult } from "../../synth/record";

/** One row of the table: a role's writes on one kind of resource, across and at home. */
export interface MatrixCell {
  stack: string;
  role: string;
  kind: ResourceKind;
  crossAllowed: number;
  crossDenied: number;
  /** Own-cluster writes that came out as expected, of `ownProbes`. */
  ownAsExpected: number;
  ownProbes: number;
}

export interface MatrixProblem {
  stack: string;
  role: string;
  detail: string;
}

export interface IsolationMatrix {
  cells: MatrixCell[];
  problems: MatrixProblem[];
  notJudged: { stack: string; role: string; reason: string }[];
  /** Cross-cluster calls allowed by a named exception (crossClusterExceptions), never problems. */
  exceptions: { stack: string; role: string; name: string; detail: string }[];
  /**
   * Roles judged, distinct actions asked, distinct resources probed, simulations run, probes no
   * Allow names (denied without the simulator), administrator controls among the simulations.
   */
  size: {
    roles: number;
    actions: number;
    resources: number;
    simulations: number;
    unnamed: number;
    administratorControls: number;
  };
}

export function awsManagedPolicy(arn: string): SimulationIdentityPolicy | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.+\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!m) return undefined;
  const policy = awsManagedPolicyNamed(m[1])?.document;
  return isObj(policy) ? { name: arn, policy } : undefined;
}

/** The role's policies (inline, made in the synth, AWS managed) and the unreadable ones. */
export function judgedPolicies(s: SynthResult, roleName: string) {
  const { policies, unevaluable } = rolePolicies(s, roleName);
  const still: string[] = [];
  for (const u of unevaluable) {
    const arn = u.replace(/ \(attached, not in the synth\)$/, "");
    const managed = arn !== u ? awsManagedPolicy(arn) : undefined;
    if (managed) policies.push(managed);
    else still.push(u);
  }
  return { policies, unevaluable: still };
}

export function clusterResources(s: CoexistStack): ClusterResource[] {
  const w = whereOf(s);
  return [...networkResources(s, w), ...workloadResources(s, w)];
}

/** Per-controller settings the positive control reads. */
function settingsOf(s: CoexistStack, c: ControllerWrites): Record<string, unknown> {
  if (c.roleSuffix === "fluent-bit") {
    const written = logGroupsOf(s.synth).filter((g) => g.resource.includes(" values."));
    return { logGroups: written.map((g) => g.name) };
  }
  if (c.roleSuffix === "external-dns") {
    const r = releases(s.synth, CHART.externalDns)[0];
    return { policy: r ? valuesOf(r).policy : undefined };
  }
  return {};
}

interface Probe {
  action: string;
  resource: ClusterResource;
  request: Record<string, string | string[]>;
}

/** Roles are found by name: each release must run as that role, or what runs was not judged. */
function releaseRoleProblems(s: CoexistStack, cluster: string): MatrixProblem[] {
  return CONTROLLER_WRITES.flatMap(({ roleSuffix, release }) => {
    if (!release) return [];
    const role = `${cluster}-${roleSuffix}`;
    return releases(s.synth, release.chart).flatMap((r) => {
      const arn = irsaRoleArnOf(r, release.annotations);
      const runsAs = arn?.split(":role/")[1]?.split("/").pop();
      if (runsAs === role) return [];
      const its = `its ${release.chart} release ${r.name}`;
      const detail = runsAs
        ? `${its} runs as role ${runsAs} (its IRSA role annotation), not this one`
        : `${its} has no IRSA role annotation to judge`;
      return [{ stack: s.stack, role, detail }];
    });
  });
}

async function direction(
  from: CoexistStack,
  to: CoexistStack,
  out: IsolationMatrix,
  seen: { actions: Set<string>; resources: Set<string> },
) {
  const cluster = clusterNameOf(from.synth) ?? from.stack;
  const theirs = clusterResources(to);
  const mine = clusterResources(from);
  const myGroups = new Set(mine.filter((r) => r.kind === "log group").map((r) => r.arn));
  // A shared log group is the log-group rule's; a shared hostname stays, as IAM cannot tell the
  // two weighted records apart.
  const across = theirs.filter((r) => !(r.kind === "log group" && myGroups.has(r.arn)));
  const partition = partitionOf(from.region);
  const exceptions = crossClusterExceptions(from, to);
  const controlled = new Set<string>();
  out.problems.push(...releaseRoleProblems(from, cluster));
  for (const role of ofType(from.synth, "aws:iam/role:Role")) {
    const name = str(role.inputs.name) ?? role.name;
    const problem = (detail: string) =>
      out.problems.push({ stack: from.stack, role: name, detail });
    const suffix = name.startsWith(`${cluster}-`) ? name.slice(cluster.length + 1) : name;
    if (NOT_JUDGED[suffix]) {
      out.notJudged.push({ stack: from.stack, role: name, reason: NOT_JUDGED[suffix] });
      continue;
    }
    const controller = CONTROLLER_WRITES.find((c) => c.roleSuffix === suffix);
    const { policies, unevaluable } = judgedPolicies(from.synth, name);
    for (const u of unevaluable) problem(`${u} cannot be evaluated`);
    const principalTags: Record<string, string> = {};
    if (isObj(role.inputs.tags)) {
      for (const [k, v] of Object.entries(role.inputs.tags)) {
        if (typeof v === "string") principalTags[`aws:PrincipalTag/${k}`] = v;
      }
    }
    // Pod Identity's session tags (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html).
    if (String(role.inputs.assumeRolePolicy).includes(POD_IDENTITY_PRINCIPAL)) {
      principalTags["aws:PrincipalTag/eks-cluster-name"] = cluster;
    }
    const principal = `arn:${partition}:iam::${from.accountId}:role/${name}`;
    const settings = controller ? settingsOf(from, controller) : {};
    let simulatorFailed = false; // one policy error fails every probe: report it once
    const run = async (p: Probe) => {
      out.size.simulations++;
      const verdict = await simulate(
        principal,
        policies,
        {
          action: p.action.split("#")[0],
          resource: p.resource.arn,
          context: { ...principalTags, ...resourceContext(p.resource), ...p.request },
          resourcePolicy: p.resource.policy,
        },
        from.accountId,
      );
      if ("error" in verdict) {
        if (!simulatorFailed) {
          problem(
            `the simulator could not evaluate ${p.action} on ${p.resource.label}: ${verdict.error}`,
          );
        }
        simulatorFailed = true;
        return undefined;
      }
      return verdict.allowed;
    };
    out.size.roles++;
    for (const kind of RESOURCE_KINDS) {
      const w = controller?.writes.find((x) => x.kind === kind);
      const cell: MatrixCell = {
        stack: from.stack,
        role: name,
        kind,
        crossAllowed: 0,
        crossDenied: 0,
        ownAsExpected: 0,
        ownProbes: 0,
      };
      const targets = across.filter((x) => x.kind === kind);
      for (const action of targets.length > 0 ? probesOf(kind) : []) {
        seen.actions.add(action);
        const request = requestOf(kind, action, cluster);
        for (const r of targets) {
          seen.resources.add(r.arn + r.label);
          if (!grants(r.policy, principal) && !mayAllow(policies, action.split("#")[0], r.arn)) {
            out.size.unnamed++;
            continue;
          }
          const allowed = await run({ action, resource: r, request });
          if (allowed === false) cell.crossDenied++;
          if (!allowed) continue;
          const exception = exceptions.find(
            (e) => e.roleSuffix === suffix && e.kind === kind && e.actions.includes(action),
          );
          if (exception) {
            out.exceptions.push({
              stack: from.stack,
              role: name,
              name: exception.name,
              detail: `${action} on ${to.stack}'s ${r.label}`,
            });
            continue;
          }
          cell.crossAllowed++;
          problem(`may ${action} on ${to.stack}'s ${r.label} (${r.arn})`);
        }
      }
      for (const action of w?.actions ?? []) {
        const request = requestOf(kind, action, cluster);
        for (const r of mine.filter((x) => x.kind === kind)) {
          const expected = w?.own?.(r, action, settings) ?? "allowed";
          if (expected === "skip") continue;
          cell.ownProbes++;
          const allowed = await run({ action, resource: r, request });
          if (allowed === (expected === "allowed")) {
            cell.ownAsExpected++;
            if (allowed) controlled.add(`${kind}|${action}`);
          } else if (allowed !== undefined) {
            problem(
              `positive control: ${action} on its own ${r.label} should be ${expected}, the simulator says ${allowed ? "allowed" : "denied"}`,
            );
          }
        }
      }
      if (cell.crossAllowed + cell.crossDenied + cell.ownProbes > 0) out.cells.push(cell);
    }
  }
  await administratorControls(from, mine, across, controlled, out);
}

export async function isolationMatrix(a: CoexistStack, b: CoexistStack): Promise<IsolationMatrix> {
  const seen = { actions: new Set<string>(), resources: new Set<string>() };
  const out: IsolationMatrix = {
    cells: [],
    problems: [],
    notJudged: [],
    exceptions: [],
    size: {
      roles: 0,
      actions: 0,
      resources: 0,
      simulations: 0,
      unnamed: 0,
      administratorControls: 0,
    },
  };
  await direction(a, b, out, seen);
  await direction(b, a, out, seen);
  out.size.actions = seen.actions.size;
  out.size.resources = seen.resources.size;
  out.cells.sort(
    (x, y) =>
      x.stack.localeCompare(y.stack) ||
      x.role.localeCompare(y.role) ||
      RESOURCE_KINDS.indexOf(x.kind) - RESOURCE_KINDS.indexOf(y.kind),
  );
  return out;
}

/** Markdown: one row per role and kind, then what was not judged and why. */
export function isolationTable(m: IsolationMatrix, a: string, b: string): string {
  const other = (s: string) => (s === a ? b : a);
  const rows = m.cells.map(
    (c) =>
      `| ${c.stack} | ${c.role} | ${c.kind} | ${c.crossAllowed} allowed / ${c.crossDenied} denied (${other(c.stack)}'s) | ${c.ownAsExpected} of ${c.ownProbes} as expected |`,
  );
  const {
    roles,
    actions: acts,
    resources: res,
    simulations,
    unnamed,
    administratorControls,
  } = m.size;
  return [
    `### Isolation matrix: ${roles} roles × ${acts} actions × ${res} resources (${simulations} simulations)`,
    "",
    `Writes and reads of secrets and backups alike. ${unnamed} probes were named by no Allow of the role (implicitly denied, not simulated); ${administratorControls} own-cluster controls ran as an administrator, for calls no role here is meant to make.`,
    "",
    "| stack | role | resource kind | writes and reads on the other cluster | positive control (own cluster) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...m.notJudged.map((n) => `- not judged: ${n.stack} ${n.role}: ${n.reason}`),
    "",
    ...(m.exceptions.length > 0
      ? [
          "Named exceptions (allowed only here, by the stack's config):",
          "",
          "| stack | role | exception | allowed |",
          "| --- | --- | --- | --- |",
          ...m.exceptions.map((e) => `| ${e.stack} | ${e.role} | ${e.name} | ${e.detail} |`),
          "",
        ]
      : []),
    m.problems.length === 0
      ? "isolation: 0 cross-cluster writes or reads allowed outside the named exceptions, every positive control holds"
      : [
          `isolation: ${m.problems.length} problem${m.problems.length === 1 ? "" : "s"}:`,
          ...m.problems.map((p) => `- ${p.stack} ${p.role}: ${p.detail}`),
        ].join("\n"),
  ].join("\n");
}
