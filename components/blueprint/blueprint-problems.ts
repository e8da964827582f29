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
import { drillsProblems } from "../drills/drills";
import { addonNamespaceProblems } from "../addons/selection";
import { podSecurityGroupNodeProblems } from "../compute/nitro";
import { nodeGroupsProblems } from "../compute/node-group-problems";
import { podSecurityGroupProblems } from "../access/pod-security-group";
import {
  PathOf,
  problem,
  shortNameProblems,
  under,
  problemList,
  problemIf,
  unknownFieldProblems,
} from "../problems";
import {
  POD_SECURITY_GROUP_CONFIG_FIELDS,
  podSecurityGroupReferenceProblems,
} from "../access/pod-security-group-config";
import { podIdentityFargateProblems, workloadRoleProblems } from "../access/workload-role";
import { blueprintTeamsProblems, namespacesDeclaredAt } from "../teams/team-problems";
import { teamNamespaces } from "../teams/team-settings";

const FIELDS = Object.keys(POD_SECURITY_GROUP_CONFIG_FIELDS);

/**
 * A blueprint's problems, keyed `key(<BlueprintArgs path>)`: each component's checks, then the
 * whole blueprint's (pod security groups on non-trunking nodes or Fargate, objects in namespaces
 * nobody creates). Sections left out (config that failed to parse) are skipped, not re-reported.
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
      ...unknownFieldProblems(spec, FIELDS, key(`podSecurityGroups.${name}`)),
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
    ...(args.drills
      ? [
          ...unknownFieldProblems(args.drills, ["zone"], key("drills")),
          ...drillsProblems(args.drills, args.region, key("drills.zone"), key("region")),
          ...problemIf(
            args.addons?.istio === undefined,
            key("drills"),
            "needs the Istio gateway, whose healthy hosts stop the drills",
            args.drills,
            "turn addons.istio on, or remove drills",
          ),
        ]
      : []),
  ];
}

/**
 * With pod security groups, node types must trunk and no Fargate profile may select their pods:
 * there the policy's groups (ours: only its own) replace the cluster group that reaches the control
 * plane (https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html).
 */
export function podSecurityGroupPlacementProblems(
  args: Pick<BlueprintArgs, "podSecurityGroups" | "nodeGroups" | "fargateProfiles">,
  key: PathOf = under(""),
): string[] {
  const groups = Object.entries(args.podSecurityGroups ?? {});
  if (groups.length === 0) return [];
  const [out, add] = problemList(
    Object.entries(args.nodeGroups ?? {}).flatMap(([name, g]) =>
      podSecurityGroupNodeProblems(g.instanceTypes, key(`nodeGroups.${name}.instanceTypes`)),
    ),
  );
  for (const [name, sg] of groups) {
    for (const [profile, fp] of Object.entries(args.fargateProfiles ?? {})) {
      // A selector refused for its own namespace is reported there, not again here.
      const usable = fp.selectors.filter(
        (s) => selectorNamespaceProblems(s.namespace, "").length === 0,
      );
      if (!usable.some((s) => fargateSelects(s, sg))) continue;
      add(
        key(`podSecurityGroups.${name}.namespace`),
        `Fargate profile ${profile} selects these pods, and on Fargate a SecurityGroupPolicy's ` +
          "groups replace the cluster security group they reach the control plane through",
        sg.namespace,
        "run them on a node group: narrow the profile's selectors (namespace or labels) so they " +
          "miss this group's podSelector",
      );
    }
  }
  return out;
}

/**
 * Workload namespaces must be creatable; objects put into one (service accounts, pod security
 * groups, Fargate selectors) need one this program or Kubernetes creates, and patterns a match.
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
  const refs = (["irsaRoles", "podSecurityGroups"] as const).flatMap((field) =>
    Object.entries(args[field] ?? {}).map(([n, r]): [string, string] => [
      key(`${field}.${n}.namespace`),
      r.namespace,
    ]),
  );
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
    ...workload.flatMap((n, i) => addonNamespaceProblems(n, `${key("workloadNamespaces")}[${i}]`)),
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
