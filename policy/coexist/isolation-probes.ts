// What keeps the isolation matrix honest beyond its verdicts: the exceptions a config names, the
// probes no policy names (denied without the simulator), and every probe's own-cluster control.
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { partitionOf } from "../../components/access/irsa-policy";
import { valueAt } from "../../components/addons/values";
import { isObj, list, strings } from "../values";
import type { IsolationMatrix } from "./isolation";
import {
  ClusterResource,
  RESOURCE_KINDS,
  resourceContext,
  ResourceKind,
  simulate,
} from "./isolation-resources";
import { probesOf, requestOf } from "./isolation-writes";
import { CHART, clusterNameOf, CoexistStack, releases, valuesOf } from "./records";

/** An allowed cross-cluster call a stack's config asks for, shown in its own table. */
export interface CrossClusterException {
  name: string;
  roleSuffix: string;
  kind: ResourceKind;
  actions: string[];
}

/**
 * The named exceptions of `from` towards `to`: today only a Velero restore, declared by
 * `addons.velero.restoreFrom` (a read-only backup location named `from-<cluster>` in its values):
 * its role reads the other bucket, the EBS CSI driver makes volumes from the other's snapshots.
 */
export function crossClusterExceptions(
  from: CoexistStack,
  to: CoexistStack,
): CrossClusterException[] {
  const other = clusterNameOf(to.synth) ?? to.stack;
  const restores = releases(from.synth, CHART.velero).some((r) =>
    list(valueAt(valuesOf(r), "configuration", "backupStorageLocation")).some(
      (l) => valueAt(l, "name") === `from-${other}` && valueAt(l, "accessMode") === "ReadOnly",
    ),
  );
  if (!restores) return [];
  const name = `velero restore from ${other}`;
  return [
    { name, roleSuffix: "velero", kind: "bucket object", actions: ["s3:GetObject"] },
    { name, roleSuffix: "velero", kind: "bucket", actions: ["s3:ListBucket"] },
    { name, roleSuffix: "ebs-csi-driver", kind: "snapshot", actions: ["ec2:CreateVolume"] },
  ];
}

const patterns = new Map<string, RegExp>();
/** An IAM pattern as a regular expression, wider than IAM's (a policy variable is `*`). */
const wildcard = (pattern: string): RegExp => {
  if (!patterns.has(pattern)) {
    const body = pattern
      .replace(/\$\{[^}]*\}/g, "*")
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    patterns.set(pattern, new RegExp(`^${body}$`, "is"));
  }
  return patterns.get(pattern)!;
};

/**
 * Whether any Allow in `policies` names both `action` (Action or NotAction) and `resource`
 * (Resource or NotResource). When none does, the call is implicitly denied whatever its
 * conditions, so it is not sent to the simulator. The match is wider than IAM's, never narrower.
 */
export function mayAllow(
  policies: SimulationIdentityPolicy[],
  action: string,
  resource: string,
): boolean {
  const named = (v: unknown, what: string) => strings(v).some((a) => wildcard(a).test(what));
  const either = (st: unknown, key: string, what: string) => {
    const not = valueAt(st, `Not${key}`);
    if (not !== undefined) return !named(not, what);
    const given = valueAt(st, key);
    return given === undefined || named(given, what);
  };
  return policies.some((p) => {
    const sts = statements(p.policy);
    // A document of a shape not read here goes to the simulator, which judges or rejects it.
    if (!sts) return true;
    return sts.some(
      // Anything but a Deny may allow: the simulator rejects a malformed Effect.
      (st) =>
        valueAt(st, "Effect") !== "Deny" &&
        either(st, "Action", action) &&
        either(st, "Resource", resource),
    );
  });
}

/** A document's statements: IAM takes a list or a single statement object. */
function statements(policy: unknown): unknown[] | undefined {
  const s = valueAt(policy, "Statement");
  return Array.isArray(s) ? s : isObj(s) ? [s] : undefined;
}

/**
 * Whether a resource policy could itself allow `principal` (naming it, or anyone): then every
 * probe goes to the simulator. The secrets key's names only the account root, which leaves the
 * grant to the role's own policies.
 */
export function grants(policy: Record<string, unknown> | undefined, principal: string): boolean {
  if (!policy) return false;
  const sts = statements(policy);
  if (!sts) return true;
  return sts.some((st) => {
    if (valueAt(st, "Effect") === "Deny") return false;
    if (valueAt(st, "NotPrincipal") !== undefined) return true;
    const who = valueAt(st, "Principal");
    // Only a principal that names accounts or roles other than this one leaves the grant to IAM.
    const named = isObj(who) ? Object.values(who).flatMap((v) => strings(v)) : strings(who);
    return named.length === 0 || named.some((n) => n === principal || n.includes("*"));
  });
}

/** An administrator: the control for calls no role here is meant to make. */
const ADMINISTRATOR: SimulationIdentityPolicy[] = [
  {
    name: "administrator",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
];

/**
 * Every probe's control: a role here allowed it on its own resource, else an administrator must
 * be, on this cluster's resources of the kind or, where it has none, on the probed ones: a call the
 * simulator cannot apply to the resource would deny every role and prove nothing.
 */
export async function administratorControls(
  from: CoexistStack,
  mine: ClusterResource[],
  probed: ClusterResource[],
  controlled: Set<string>,
  out: IsolationMatrix,
) {
  const principal = `arn:${partitionOf(from.region)}:iam::${from.accountId}:role/isolation-administrator`;
  const cluster = clusterNameOf(from.synth) ?? from.stack;
  for (const kind of RESOURCE_KINDS) {
    for (const action of probesOf(kind)) {
      if (controlled.has(`${kind}|${action}`)) continue;
      const own = mine.filter((x) => x.kind === kind);
      for (const r of own.length > 0 ? own : probed.filter((x) => x.kind === kind)) {
        out.size.simulations++;
        out.size.administratorControls++;
        const verdict = await simulate(
          principal,
          ADMINISTRATOR,
          {
            action: action.split("#")[0],
            resource: r.arn,
            context: { ...resourceContext(r), ...requestOf(kind, action, cluster) },
            resourcePolicy: r.policy,
          },
          from.accountId,
        );
        if (!("error" in verdict) && verdict.allowed) continue;
        out.problems.push({
          stack: from.stack,
          role: "(administrator control)",
          detail: `${action} on its own ${r.label}: ${"error" in verdict ? verdict.error : "denied"}, so the probe proves nothing`,
        });
      }
    }
  }
}
