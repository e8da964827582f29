import { isNitroInstanceType, supportsPodSecurityGroups } from "../components/nitro";
import { podSecurityGroupProblems, PodSecurityGroupSpec } from "../components/pod-security-group";
import { configError } from "./errors";

const ROOT = "eks-blueprint";

export interface FargateSelector {
  namespace: string;
  labels?: Record<string, string>;
}

export interface PodSecurityCheckInput {
  podSecurityGroups: Record<string, PodSecurityGroupSpec>;
  nodeGroups: Record<string, { instanceTypes: string[] }>;
  fargateProfiles: Record<string, { selectors: FargateSelector[] }>;
}

/** Fargate profile wildcards: `*` is any run of characters, `?` exactly one, nothing else. */
export function fargateGlob(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(text);
}

/**
 * True when every pod the pod security group can select also matches the Fargate selector: the
 * namespace matches, and each label the selector requires is pinned by the group's podSelector.
 * Wildcards are allowed in namespaces, label keys and values
 * (https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html#fargate-profile-wildcards).
 * A partial overlap hangs on labels set at deploy time, which config cannot see, so it is not
 * reported.
 */
export function fargateSelects(selector: FargateSelector, sg: PodSecurityGroupSpec): boolean {
  if (!fargateGlob(selector.namespace, sg.namespace)) return false;
  const pinned = Object.entries(sg.podSelector ?? {});
  return Object.entries(selector.labels ?? {}).every(([k, v]) =>
    pinned.some(([pk, pv]) => fargateGlob(k, pk) && fargateGlob(v, pv)),
  );
}

const list = (items: string[]) =>
  items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

function nodeGroupProblem(name: string, instanceTypes: string[]): string | undefined {
  const xen = instanceTypes.filter((t) => !isNitroInstanceType(t));
  const noTrunk = instanceTypes.filter(
    (t) => isNitroInstanceType(t) && !supportsPodSecurityGroups(t),
  );
  if (xen.length + noTrunk.length === 0) return undefined;
  const reasons = [
    ...(xen.length ? [`${list(xen)} ${xen.length > 1 ? "are" : "is"} not Nitro-based`] : []),
    ...(noTrunk.length
      ? [`${list(noTrunk)} ${noTrunk.length > 1 ? "have" : "has"} no trunk network interface`]
      : []),
  ];
  return configError(
    `${ROOT}:nodeGroups.${name}.instanceTypes`,
    `${reasons.join(" and ")}, which security groups for pods need`,
    instanceTypes,
    "use Nitro types with trunking such as m6i.large, m7g.large or c7i.large (no t-family type has it)",
  );
}

/**
 * Config-level problems with security groups for pods, in the project's error format. Reported
 * only when at least one pod security group is declared:
 * - each group's own spec (selectors, namespace, rules, ports);
 * - a node group with a type that cannot host pods with their own group: Xen-based, or Nitro
 *   without trunking (every t type), per
 *   https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html. Such pods
 *   would stay Pending on those nodes;
 * - a group whose pods a Fargate profile selects. Fargate pods do take a SecurityGroupPolicy, but
 *   its groups then replace the cluster security group they reach the control plane through
 *   (https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html), and a
 *   PodSecurityGroup's policy lists only its own group, which this platform keeps for EC2 pods.
 */
export function podSecurityProblems(input: PodSecurityCheckInput): string[] {
  const groups = Object.entries(input.podSecurityGroups);
  if (groups.length === 0) return [];
  const problems = groups.flatMap(([name, sg]) =>
    podSecurityGroupProblems(sg, `${ROOT}:podSecurityGroups.${name}`),
  );
  for (const [name, ng] of Object.entries(input.nodeGroups)) {
    const problem = nodeGroupProblem(name, ng.instanceTypes);
    if (problem) problems.push(problem);
  }
  for (const [name, sg] of groups) {
    for (const [profile, fp] of Object.entries(input.fargateProfiles)) {
      if (!fp.selectors.some((s) => fargateSelects(s, sg))) continue;
      problems.push(
        configError(
          `${ROOT}:podSecurityGroups.${name}.namespace`,
          `Fargate profile ${profile} selects these pods, and on Fargate a SecurityGroupPolicy's ` +
            "groups replace the cluster security group they reach the control plane through",
          sg.namespace,
          "run them on a node group: narrow the profile's selectors (namespace or labels) so they " +
            "miss this group's podSelector",
        ),
      );
    }
  }
  return problems;
}
