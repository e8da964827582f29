/**
 * IAM scope judged by evaluating policies, not by reading them: the role each add-on's service
 * account assumes is looked up in the synth, its identity policies are collected, and the
 * @cloud-copilot/iam-simulate policy simulator (dev-only) decides whether a concrete request on
 * the other cluster's resources would be allowed. A request the simulator cannot evaluate, or a
 * policy it cannot see (an AWS-managed ARN), is a finding: the check fails closed.
 */
import { createHash } from "node:crypto";
import { runSimulation, type SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { partitionOf } from "../../components/access/irsa-policy";
import { get, strings } from "../values";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  directed,
  Finding,
  irsaRoleArnOf,
  logGroupsOf,
  managedNodeGroupAsgTags,
  nodeGroupNamesOf,
  Pair,
  releases,
  rolePolicies,
  RuleId,
  valuesOf,
} from "./records";
import { recordKey } from "../../synth/record";

export interface Probe {
  action: string;
  resource: string;
  /** Request context, for example `aws:ResourceTag/<key>` of the resource. */
  context: Record<string, string | string[]>;
}

export type Verdict =
  { allowed: true; statements: string[] } | { allowed: false } | { error: string };

/**
 * Verdicts already asked for, by request. The simulator is deterministic, and a verdict costs
 * milliseconds (matching the resource against every resource type of the action), while the
 * isolation matrix asks the same requests again for each variant of a stack it judges: the
 * committed stacks and each one with a single role widened share every other role's verdicts.
 */
const verdicts = new Map<string, Promise<Verdict>>();

/** Asks the simulator whether `principal` with these identity policies may make the request. */
export function simulate(
  principal: string,
  policies: SimulationIdentityPolicy[],
  probe: Probe,
  resourceAccount: string,
): Promise<Verdict> {
  const key = JSON.stringify([principal, policies, probe, resourceAccount]);
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = evaluate(principal, policies, probe, resourceAccount);
    verdicts.set(key, verdict);
  }
  return verdict;
}

async function evaluate(
  principal: string,
  policies: SimulationIdentityPolicy[],
  probe: Probe,
  resourceAccount: string,
): Promise<Verdict> {
  const response = await runSimulation(
    {
      request: {
        principal,
        action: probe.action,
        resource: { resource: probe.resource, accountId: resourceAccount },
        contextVariables: probe.context,
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === "error") {
    const { message, identityPolicyErrors = {} } = response.errors;
    const details = Object.entries(identityPolicyErrors).flatMap(([policy, errors]) =>
      errors.map((e) => `${policy} ${e.path}: ${e.message}`),
    );
    return { error: details.length > 0 ? details.join("; ") : message };
  }
  if (response.overallResult !== "Allowed") return { allowed: false };
  const analyses = response.resultType === "single" ? [response.result] : response.results;
  const statements = analyses.flatMap((r) =>
    (r.analysis.identityAnalysis?.allowStatements ?? []).map(
      (st) => `${st.policyId} statement ${st.explain.identifier}`,
    ),
  );
  return { allowed: true, statements };
}

/** A stable uuid-shaped id, so probe ARNs are the same on every run. */
const uuidFor = (seed: string) => {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** The Auto Scaling group EKS runs behind a managed node group, with the tags EKS gives it. */
export function nodeGroupAsgProbes(to: CoexistStack, nodeGroupName: string): Probe[] {
  const uuid = uuidFor(`${to.stack}/${nodeGroupName}`);
  const resource = `arn:${partitionOf(to.region)}:autoscaling:${to.region}:${to.accountId}:autoScalingGroup:${uuid}:autoScalingGroupName/eks-${nodeGroupName}-${uuid}`;
  const context: Record<string, string> = {};
  for (const [k, v] of Object.entries(
    managedNodeGroupAsgTags(clusterNameOf(to.synth) ?? "", nodeGroupName),
  )) {
    context[`aws:ResourceTag/${k}`] = v;
    context[`autoscaling:ResourceTag/${k}`] = v;
  }
  // The two calls cluster-autoscaler makes to resize a group.
  return ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"].map(
    (action) => ({ action, resource, context }),
  );
}

/** A log stream in one of the other cluster's log groups: what Fluent Bit writes to. */
export function logGroupProbes(to: CoexistStack, logGroup: string): Probe[] {
  const resource = `arn:${partitionOf(to.region)}:logs:${to.region}:${to.accountId}:log-group:${logGroup}:log-stream:coexist-probe`;
  return ["logs:CreateLogStream", "logs:PutLogEvents"].map((action) => ({
    action,
    resource,
    context: {},
  }));
}

/** A zone id no configuration names: if a role may change it, it may change any zone. */
export const UNCONFIGURED_ZONE = "Z0COEXISTPROBEZONE";

export const hostedZoneProbe = (partition: string, zoneId: string): Probe => ({
  action: "route53:ChangeResourceRecordSets",
  resource: `arn:${partition}:route53:::hostedzone/${zoneId}`,
  context: {},
});

/** The hosted zones an ExternalDNS release is limited to (`--zone-id-filter`, list or map form). */
export function configuredZones(values: Record<string, unknown>): string[] {
  const args = values.extraArgs;
  if (Array.isArray(args)) {
    return strings(args).flatMap((a) =>
      a.startsWith("--zone-id-filter=") ? [a.split("=")[1]] : [],
    );
  }
  return strings(get(args, "zone-id-filter"));
}

interface Target {
  /** The other stack's resource, for the table (empty for a probe that belongs to no stack). */
  label: string;
  probes: Probe[];
  /** What the role could do, for the detail column. */
  what: string;
}

/** Runs every probe for the role of each release of `chart` in `from`; one finding per reach. */
async function reach(
  pair: Pair,
  from: CoexistStack,
  to: CoexistStack,
  rule: RuleId,
  chart: string,
  annotationsPath: string[],
  targets: (values: Record<string, unknown>) => Target[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const finding = (fromCell: string, to: string, detail: string) =>
    findings.push(directed(pair, from, { rule, from: fromCell, to, message: detail }));
  for (const release of releases(from.synth, chart)) {
    const values = valuesOf(release);
    const arn = irsaRoleArnOf(release, annotationsPath);
    const roleName = arn?.split(":role/")[1]?.split("/").pop();
    if (!arn || !roleName) {
      finding(
        recordKey(release),
        "",
        `${from.stack}'s ${chart} has no IRSA role annotation to judge`,
      );
      continue;
    }
    const { policies, unevaluable } = rolePolicies(from.synth, roleName);
    for (const policy of unevaluable) {
      finding(
        `role ${roleName}`,
        "",
        `${policy} cannot be evaluated, so what the role may do is unknown`,
      );
    }
    // One finding per target reached; a policy the simulator rejects is reported once per role.
    judging: for (const t of targets(values)) {
      for (const probe of t.probes) {
        const verdict = await simulate(arn, policies, probe, to.accountId);
        if ("error" in verdict) {
          finding(
            `role ${roleName}`,
            t.label,
            `the simulator could not evaluate ${probe.action} on ${probe.resource}: ${verdict.error}`,
          );
          break judging;
        } else if (verdict.allowed) {
          const by =
            verdict.statements.length > 0 ? ` (allowed by ${verdict.statements.join(", ")})` : "";
          finding(
            `role ${roleName}`,
            t.label,
            `${from.stack}'s ${chart} role may ${probe.action} ${t.what}${by}`,
          );
          break;
        }
      }
    }
  }
  return findings;
}

/** Could either cluster-autoscaler role resize the other cluster's node groups? */
export async function autoscalerIamRule(pair: Pair): Promise<Finding[]> {
  const run = (from: CoexistStack, to: CoexistStack) =>
    reach(
      pair,
      from,
      to,
      "autoscaler-iam",
      CHART.clusterAutoscaler,
      ["rbac", "serviceAccount", "annotations"],
      () =>
        nodeGroupNamesOf(to.synth).map((ng) => ({
          label: `node group ${ng}`,
          probes: nodeGroupAsgProbes(to, ng),
          what: `on ${to.stack}'s node group ${ng}`,
        })),
    );
  return [...(await run(pair.a, pair.b)), ...(await run(pair.b, pair.a))];
}

/** Could either Fluent Bit role write to the other cluster's log groups? */
export async function fluentBitIamRule(pair: Pair): Promise<Finding[]> {
  const run = (from: CoexistStack, to: CoexistStack) => {
    // A group both stacks use is the log-group rule's finding, not a question of reach.
    const own = new Set(logGroupsOf(from.synth).map((g) => g.name));
    const theirs = [...new Set(logGroupsOf(to.synth).map((g) => g.name))].filter(
      (g) => !own.has(g),
    );
    return reach(
      pair,
      from,
      to,
      "fluent-bit-iam",
      CHART.fluentBit,
      ["serviceAccount", "annotations"],
      () =>
        theirs.map((g) => ({
          label: `log group ${g}`,
          probes: logGroupProbes(to, g),
          what: `on ${to.stack}'s log group ${g}`,
        })),
    );
  };
  return [...(await run(pair.a, pair.b)), ...(await run(pair.b, pair.a))];
}

/**
 * Could either ExternalDNS role change a hosted zone outside the ones it is configured for? Both
 * clusters share the public zone during the move; their records stay apart by owner id and set
 * identifier, so IAM is judged only against each role's own configuration.
 */
export async function externalDnsIamRule(pair: Pair): Promise<Finding[]> {
  const run = (from: CoexistStack, to: CoexistStack) =>
    reach(
      pair,
      from,
      to,
      "external-dns-iam",
      CHART.externalDns,
      ["serviceAccount", "annotations"],
      (values) => {
        const mine = new Set(configuredZones(values));
        const theirs = releases(to.synth, CHART.externalDns).flatMap((r) =>
          configuredZones(valuesOf(r)),
        );
        return [
          ...[...new Set(theirs)]
            .filter((z) => !mine.has(z))
            .map((z) => ({
              label: `zone ${z}`,
              probes: [hostedZoneProbe(partitionOf(from.region), z)],
              what: `on ${to.stack}'s zone ${z}, outside its own`,
            })),
          {
            label: "",
            probes: [hostedZoneProbe(partitionOf(from.region), UNCONFIGURED_ZONE)],
            what: `on a zone outside its configured ones (${[...mine].join(", ") || "none"})`,
          },
        ];
      },
    );
  return [...(await run(pair.a, pair.b)), ...(await run(pair.b, pair.a))];
}

/** Every IAM scope rule. */
export async function iamScopeFindings(a: CoexistStack, b: CoexistStack): Promise<Finding[]> {
  const pair = { a, b };
  return [
    ...(await autoscalerIamRule(pair)),
    ...(await fluentBitIamRule(pair)),
    ...(await externalDnsIamRule(pair)),
  ];
}
