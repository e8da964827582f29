import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "../access/irsa-policy";
import { managedPolicyArn, serviceTrustPolicy } from "../cluster/cluster-settings";
import { DNS_LABEL, DNS_LABEL_HINT, labelProblems } from "../kubernetes-names";
import { EKS_SYSTEM_NAMESPACES } from "../teams/namespace";
import { problem, problemIf, shortNameProblems, throwProblems, problemList } from "../problems";

export interface FargateSelector {
  /** A namespace, or a `*`/`?` pattern that selects no namespace EKS creates. */
  namespace: string;
  /** Pods must carry all these labels. @default any pod in the namespace */
  labels?: Record<string, string>;
}

export interface FargateProfilesArgs {
  /** EKS cluster name; profile and pod execution role names derive from it. */
  clusterName: string;
  /** `Cluster.clusterNameOutput`, so every profile waits for the cluster. */
  cluster: pulumi.Input<string>;
  /** Private subnets (Fargate pods never run in public subnets). */
  subnetIds: pulumi.Input<string[]>;
  /** Profiles by short name; the EKS profile name is `<clusterName>-<name>`. */
  profiles: Record<string, { selectors: FargateSelector[] }>;
  /** AWS region of the cluster, for the pod execution role's confused-deputy condition. */
  region: string;
  /** AWS account id of the cluster, for the same condition. */
  accountId: pulumi.Input<string>;
  /** AWS partition. @default "aws" */
  partition?: string;
  /** Tags for every AWS resource. @default none */
  tags?: Record<string, string>;
}

/** EKS's limits: 10 Fargate profiles per cluster, 5 selectors per profile. */
export const FARGATE_LIMITS = { profiles: 10, selectors: 5 } as const;

/**
 * `*` is any run of characters, `?` one, in namespaces, label keys and values
 * (https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html#fargate-profile-wildcards).
 */
export function fargatePatternMatches(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(text);
}

/** No pattern may match EKS's namespaces (`kube-*` moves CoreDNS to Fargate); a name may. */
export function selectorNamespaceProblems(namespace: string, at: string): string[] {
  if (typeof namespace !== "string" || !DNS_LABEL.test(namespace.replace(/[*?]/g, "a"))) {
    const fix = `${DNS_LABEL_HINT}, with * or ? as wildcards`;
    return [problem(at, "not a namespace name or pattern", namespace, fix)];
  }
  return problemIf(
    /[*?]/.test(namespace) &&
      EKS_SYSTEM_NAMESPACES.some((ns) => fargatePatternMatches(namespace, ns)),
    at,
    `pattern also selects namespaces EKS creates (${EKS_SYSTEM_NAMESPACES.join(", ")}), putting CoreDNS and the add-ons on Fargate`,
    namespace,
    "name the namespaces, or use a narrower pattern such as batch-*",
  );
}

/** Fargate profiles' problems, keyed `<at>.<profile>…`. */
export function fargateProfilesProblems(
  profiles: Record<string, { selectors: FargateSelector[] }>,
  at: string,
): string[] {
  const { profiles: maxProfiles, selectors: maxSelectors } = FARGATE_LIMITS;
  const [out, add] = problemList();
  if (Object.keys(profiles).length > maxProfiles) {
    add(
      at,
      `more than ${maxProfiles} Fargate profiles`,
      Object.keys(profiles),
      `EKS allows at most ${maxProfiles} per cluster`,
    );
  }
  for (const [name, p] of Object.entries(profiles)) {
    const key = `${at}.${name}`;
    out.push(...shortNameProblems(name, key, "Fargate profile name"));
    const selectors = p.selectors ?? [];
    if (selectors.length < 1 || selectors.length > maxSelectors) {
      add(
        `${key}.selectors`,
        selectors.length < 1 ? "no selectors" : `more than ${maxSelectors} selectors`,
        selectors,
        `list 1 to ${maxSelectors} namespace selectors (EKS allows at most ${maxSelectors} per profile)`,
      );
    }
    selectors.forEach((s, i) => {
      out.push(...selectorNamespaceProblems(s.namespace, `${key}.selectors[${i}].namespace`));
      out.push(...labelProblems(s.labels, `${key}.selectors[${i}].labels`));
    });
  }
  return out;
}

/**
 * Fargate profiles sharing a pod execution role, each after the previous: EKS changes one at a
 * time (https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html).
 */
export class FargateProfiles extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly profiles: aws.eks.FargateProfile[] = [];

  constructor(name: string, args: FargateProfilesArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("FargateProfiles", name, fargateProfilesProblems(args.profiles, "profiles"));
    super("eks-blueprint:index:FargateProfiles", name, {}, opts);
    const partition = args.partition ?? "aws";
    // Confused-deputy guard: only this cluster's profiles may use the role.
    const sourceArn = pulumi.interpolate`arn:${partition}:eks:${args.region}:${args.accountId}:fargateprofile/${args.clusterName}/*`;
    this.role = new aws.iam.Role(
      `${name}-pod-execution`,
      {
        name: `${args.clusterName}-fargate`,
        assumeRolePolicy: sourceArn.apply((arn) =>
          stableJson(
            serviceTrustPolicy("eks-fargate-pods.amazonaws.com", {
              ArnLike: { "aws:SourceArn": arn },
            }),
          ),
        ),
        tags: args.tags,
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-pod-execution`,
      {
        role: this.role.name,
        policyArn: managedPolicyArn(partition, "AmazonEKSFargatePodExecutionRolePolicy"),
      },
      { parent: this },
    );
    let previous: pulumi.Resource[] = [];
    for (const [profile, spec] of Object.entries(args.profiles).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const created: aws.eks.FargateProfile = new aws.eks.FargateProfile(
        `${name}-${profile}`,
        {
          clusterName: args.cluster,
          fargateProfileName: `${args.clusterName}-${profile}`,
          podExecutionRoleArn: this.role.arn,
          subnetIds: args.subnetIds,
          selectors: spec.selectors.map((s) => ({ namespace: s.namespace, labels: s.labels })),
          tags: args.tags,
        },
        { parent: this, dependsOn: [...previous, attachment] },
      );
      this.profiles.push(created);
      previous = [created];
    }
    this.registerOutputs({ roleArn: this.role.arn });
  }
}

/** Whether the selector takes all of `pods`; partial overlaps hang on deploy-time labels: false. */
export function fargateSelects(
  selector: FargateSelector,
  pods: { namespace: string; podSelector?: Record<string, string> },
): boolean {
  if (!fargatePatternMatches(selector.namespace, pods.namespace)) return false;
  const pinned = Object.entries(pods.podSelector ?? {});
  return Object.entries(selector.labels ?? {}).every(([k, v]) =>
    pinned.some(([pk, pv]) => fargatePatternMatches(k, pk) && fargatePatternMatches(v, pv)),
  );
}
