import type { BlueprintArgs } from "./blueprint";
import { clusterProblems } from "../cluster/cluster";
import { clusterNameProblems } from "../cluster/cluster-settings";
import { DNS_LABEL } from "../kubernetes-names";
import {
  fargatePatternMatches,
  fargateProfilesProblems,
  fargateSelects,
  selectorNamespaceProblems,
} from "../compute/fargate";
import {
  EKS_SYSTEM_NAMESPACES,
  namespaceListProblems,
  undeclaredNamespaceProblems,
} from "../teams/namespace";
import { networkProblems } from "../network/network";
import { podSecurityGroupNodeProblems } from "../compute/nitro";
import { nodeGroupsProblems } from "../compute/node-group-problems";
import { podSecurityGroupProblems } from "../access/pod-security-group";
import { PathOf, problem, shortNameProblems, under } from "../problems";
import { podSecurityGroupReferenceProblems } from "../access/pod-security-group-config";
import { podIdentityFargateProblems, workloadRoleProblems } from "../access/workload-role";
import { blueprintTeamsProblems, namespacesDeclaredAt } from "../teams/team-problems";
import { teamNamespaces } from "../teams/team-settings";

/**
 * Every problem with a blueprint's args, each keyed by `key(<BlueprintArgs path>)`: the library's
 * own paths by default (`nodeGroups.general.minSize`); the stack passes its config keys
 * (`eks-blueprint:nodeGroups.general.minSize`). Each component's own check, then what only the
 * whole blueprint can see: pod security groups on nodes that cannot trunk or on Fargate, and
 * objects in namespaces nobody creates. A section the caller left out (a stack whose config
 * failed to parse there) is skipped, not reported twice.
 */
export function blueprintProblems(args: BlueprintArgs, key: PathOf = under("")): string[] {
  const groups = args.podSecurityGroups ?? {};
  // A bad cluster name is one problem, not one more per node group name derived from it.
  const clusterNameOk = clusterNameProblems(args.clusterName, "").length === 0;
  return [
    ...clusterProblems(args, key),
    ...(args.network ? networkProblems(args.network, (f) => key(`network.${f}`)) : []),
    ...(args.nodeGroups
      ? nodeGroupsProblems(
          clusterNameOk ? args.clusterName : undefined,
          args.nodeGroups,
          key("nodeGroups"),
        )
      : []),
    ...fargateProfilesProblems(args.fargateProfiles ?? {}, key("fargateProfiles")),
    ...Object.entries(args.irsaRoles ?? {}).flatMap(([name, spec]) => [
      ...shortNameProblems(name, key(`irsaRoles.${name}`), "role name"),
      ...workloadRoleProblems(spec, key(`irsaRoles.${name}`)),
    ]),
    ...Object.entries(groups).flatMap(([name, spec]) => [
      ...shortNameProblems(name, key(`podSecurityGroups.${name}`), "pod security group name"),
      ...podSecurityGroupProblems(spec, key(`podSecurityGroups.${name}`)),
    ]),
    ...podSecurityGroupReferenceProblems(groups, key("podSecurityGroups")),
    ...podSecurityGroupPlacementProblems(args, key),
    ...blueprintTeamsProblems(args, key),
    ...blueprintNamespaceProblems(args, key),
    ...podIdentityFargateProblems(args.irsaRoles ?? {}, args.fargateProfiles ?? {}, {
      at: key("irsaRoles"),
      profilesAt: key("fargateProfiles"),
    }),
  ];
}

/**
 * With any pod security group: every node group type must trunk, and no Fargate profile may
 * select a group's pods. Fargate pods do take a SecurityGroupPolicy, but its groups then replace
 * the cluster security group they reach the control plane through
 * (https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html), and a
 * PodSecurityGroup's policy lists only its own group, which this platform keeps for EC2 pods.
 */
export function podSecurityGroupPlacementProblems(
  args: Pick<BlueprintArgs, "podSecurityGroups" | "nodeGroups" | "fargateProfiles">,
  key: PathOf = under(""),
): string[] {
  const groups = Object.entries(args.podSecurityGroups ?? {});
  if (groups.length === 0) return [];
  const out = Object.entries(args.nodeGroups ?? {}).flatMap(([name, g]) =>
    podSecurityGroupNodeProblems(g.instanceTypes, key(`nodeGroups.${name}.instanceTypes`)),
  );
  for (const [name, sg] of groups) {
    for (const [profile, fp] of Object.entries(args.fargateProfiles ?? {})) {
      // A selector refused for its own namespace is reported there, not again here.
      const usable = fp.selectors.filter(
        (s) => selectorNamespaceProblems(s.namespace, "").length === 0,
      );
      if (!usable.some((s) => fargateSelects(s, sg))) continue;
      out.push(
        problem(
          key(`podSecurityGroups.${name}.namespace`),
          `Fargate profile ${profile} selects these pods, and on Fargate a SecurityGroupPolicy's ` +
            "groups replace the cluster security group they reach the control plane through",
          sg.namespace,
          "run them on a node group: narrow the profile's selectors (namespace or labels) so they " +
            "miss this group's podSelector",
        ),
      );
    }
  }
  return out;
}

/**
 * Namespaces: the workload namespaces must be creatable, and every object the args put into a
 * namespace (IRSA service accounts, pod security groups, Fargate selectors) needs one that this
 * program or Kubernetes creates. A Fargate pattern must match at least one of them.
 */
export function blueprintNamespaceProblems(
  args: Pick<
    BlueprintArgs,
    "workloadNamespaces" | "podSecurityGroups" | "irsaRoles" | "fargateProfiles" | "teams"
  >,
  key: PathOf = under(""),
): string[] {
  const workload = args.workloadNamespaces ?? [];
  // Team namespaces count as declared; their own names are checked with the teams.
  const declared = [...workload, ...teamNamespaces(args.teams)];
  const declaredAt = namespacesDeclaredAt(args, key);
  const refs: [string, string][] = [
    ...Object.entries(args.irsaRoles ?? {}).map(([n, r]): [string, string] => [
      key(`irsaRoles.${n}.namespace`),
      r.namespace,
    ]),
    ...Object.entries(args.podSecurityGroups ?? {}).map(([n, g]): [string, string] => [
      key(`podSecurityGroups.${n}.namespace`),
      g.namespace,
    ]),
  ];
  const patterns: [string, string][] = [];
  for (const [n, p] of Object.entries(args.fargateProfiles ?? {})) {
    p.selectors.forEach((s, i) => {
      const at = key(`fargateProfiles.${n}.selectors[${i}].namespace`);
      (/[*?]/.test(s.namespace) ? patterns : refs).push([at, s.namespace]);
    });
  }
  const existing = [...EKS_SYSTEM_NAMESPACES, ...declared];
  // A name that is no namespace name at all is its own key's problem, reported there once.
  const named = refs.filter(([, namespace]) => DNS_LABEL.test(namespace));
  return [
    ...namespaceListProblems(workload, key("workloadNamespaces")),
    ...undeclaredNamespaceProblems(named, declared, declaredAt),
    ...patterns
      .filter(([, pattern]) => !existing.some((ns) => fargatePatternMatches(pattern, ns)))
      .map(([at, pattern]) =>
        problem(
          at,
          "a pattern that matches no namespace this program creates",
          pattern,
          `declare the namespaces it should select in ${declaredAt}`,
        ),
      ),
  ];
}
