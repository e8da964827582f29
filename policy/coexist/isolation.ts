/**
 * The isolation matrix: each role × its controller's writes × the other stack's resources, by the
 * IAM simulator, beside a positive control on its own (so deny-all or untagged fixtures cannot
 * pass). Role tags are principal tags, as in an IRSA session
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag).
 * Whatever the simulator cannot evaluate or see is a problem: the matrix fails closed.
 */
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { partitionOf } from "../../components/access/irsa-policy";
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
import { CONTROLLER_WRITES, ControllerWrites, NOT_JUDGED } from "./isolation-writes";
import type { SynthRecord, SynthResult } from "../../synth/record";

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
  /** Roles judged, distinct write actions asked, distinct resources probed, simulations run. */
  size: { roles: number; actions: number; resources: number; simulations: number };
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

/** Is the record inside a component of this type? */
const inside = (s: SynthResult, r: SynthRecord, type: string): boolean => {
  let parent = r.parent;
  for (let hops = 0; parent && hops < 20; hops++) {
    if (parent.startsWith(`${type}::`)) return true;
    const [t, ...n] = parent.split("::");
    parent = s.resources.find((x) => x.type === t && x.name === n.join("::"))?.parent ?? null;
  }
  return false;
};

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
  out.problems.push(...releaseRoleProblems(from, cluster));
  for (const role of ofType(from.synth, "aws:iam/role:Role")) {
    const name = str(role.inputs.name) ?? role.name;
    const problem = (detail: string) =>
      out.problems.push({ stack: from.stack, role: name, detail });
    const suffix = name.startsWith(`${cluster}-`) ? name.slice(cluster.length + 1) : name;
    const controller = CONTROLLER_WRITES.find((c) => c.roleSuffix === suffix);
    if (!controller) {
      const reason = inside(from.synth, role, "eks-blueprint:index:WorkloadAccess")
        ? "a workload's own role: its team's policy, judged by the policy pack, not a controller"
        : NOT_JUDGED[suffix];
      if (reason) out.notJudged.push({ stack: from.stack, role: name, reason });
      else
        problem(
          "no write catalog for this role; add its controller's writes to policy/coexist/isolation-writes.ts or a reason to NOT_JUDGED",
        );
      continue;
    }
    const { policies, unevaluable } = judgedPolicies(from.synth, name);
    for (const u of unevaluable) problem(`${u} cannot be evaluated`);
    const principalTags: Record<string, string> = {};
    if (isObj(role.inputs.tags)) {
      for (const [k, v] of Object.entries(role.inputs.tags)) {
        if (typeof v === "string") principalTags[`aws:PrincipalTag/${k}`] = v;
      }
    }
    const principal = `arn:${partition}:iam::${from.accountId}:role/${name}`;
    const settings = settingsOf(from, controller);
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
    for (const w of controller.writes) {
      const cell: MatrixCell = {
        stack: from.stack,
        role: name,
        kind: w.kind,
        crossAllowed: 0,
        crossDenied: 0,
        ownAsExpected: 0,
        ownProbes: 0,
      };
      for (const action of w.actions) {
        seen.actions.add(action);
        const request = w.request?.(action) ?? {};
        for (const r of across.filter((x) => x.kind === w.kind)) {
          seen.resources.add(r.arn + r.label);
          const allowed = await run({ action, resource: r, request });
          if (allowed === false) cell.crossDenied++;
          if (allowed) {
            cell.crossAllowed++;
            problem(`may ${action} on ${to.stack}'s ${r.label} (${r.arn})`);
          }
        }
        for (const r of mine.filter((x) => x.kind === w.kind)) {
          const expected = w.own?.(r, action, settings) ?? "allowed";
          if (expected === "skip") continue;
          cell.ownProbes++;
          const allowed = await run({ action, resource: r, request });
          if (allowed === (expected === "allowed")) cell.ownAsExpected++;
          else if (allowed !== undefined) {
            problem(
              `positive control: ${action} on its own ${r.label} should be ${expected}, the simulator says ${allowed ? "allowed" : "denied"}`,
            );
          }
        }
      }
      if (cell.crossAllowed + cell.crossDenied + cell.ownProbes > 0) out.cells.push(cell);
    }
  }
}

export async function isolationMatrix(a: CoexistStack, b: CoexistStack): Promise<IsolationMatrix> {
  const seen = { actions: new Set<string>(), resources: new Set<string>() };
  const out: IsolationMatrix = {
    cells: [],
    problems: [],
    notJudged: [],
    size: { roles: 0, actions: 0, resources: 0, simulations: 0 },
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
  const { roles, actions: acts, resources: res, simulations } = m.size;
  return [
    `### Isolation matrix: ${roles} roles × ${acts} write actions × ${res} resources (${simulations} simulations)`,
    "",
    "| stack | role | resource kind | writes on the other cluster | positive control (own cluster) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...m.notJudged.map((n) => `- not judged: ${n.stack} ${n.role}: ${n.reason}`),
    "",
    m.problems.length === 0
      ? "isolation: 0 cross-cluster writes allowed, every positive control holds"
      : [
          `isolation: ${m.problems.length} problem${m.problems.length === 1 ? "" : "s"}:`,
          ...m.problems.map((p) => `- ${p.stack} ${p.role}: ${p.detail}`),
        ].join("\n"),
  ].join("\n");
}
