import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { problem, throwProblems } from "../problems";
import { withRenames } from "../renames";
import { dnsLabelProblems, isDnsSubdomain, labelProblems } from "../kubernetes-names";
import {
  baselineRules,
  egressRuleArgs,
  ingressRuleArgs,
  isPort,
  PodSgEgressRule,
  PodSgIngressRule,
  PodSgRule,
  ruleKey,
  ruleKeyProblems,
  ruleProblems,
} from "./pod-security-group-rules";
import {
  SECURITY_GROUP_POLICY_API_VERSION,
  SECURITY_GROUP_POLICY_KIND,
  securityGroupPolicySpec,
} from "./security-group-policy";

/** What a pod security group declares about its pods; validated by `podSecurityGroupProblems`. */
export interface PodSecurityGroupSpec {
  /** Namespace of the pods, and of the SecurityGroupPolicy. */
  namespace: string;
  /**
   * Pod labels (`matchLabels`) that select the pods; `{}` selects every pod in the namespace.
   * At least one of `podSelector` and `serviceAccountSelector` is required; with both, a pod must
   * match both. @default none
   */
  podSelector?: Record<string, string>;
  /** Labels (`matchLabels`) of the pods' service accounts. @default none */
  serviceAccountSelector?: Record<string, string>;
  /**
   * Inbound rules, one `aws.vpc.SecurityGroupIngressRule` each, named `<name>-ingress-<ruleKey>`
   * (what the rule allows, so removing one leaves the others in place).
   * @default none: only the baseline rules (DNS, kubelet probe ports)
   */
  ingress?: PodSgIngressRule[];
  /**
   * Outbound rules, one `aws.vpc.SecurityGroupEgressRule` each, named `<name>-egress-<ruleKey>`.
   * The group starts with no egress (the provider revokes EC2's default allow-all), so the
   * default is DNS to CoreDNS only: least privilege, and the one rule every pod needs. List the
   * rest, such as `{ to: "securityGroup", securityGroupId: <database SG>, protocol: "tcp", port:
   * 5432 }` (the database's group must allow this group in) or HTTPS to the VPC endpoints' group
   * for STS when pods use IRSA. In `standard` mode traffic leaving the VPC uses the node's group.
   * @default none: only DNS (TCP and UDP 53) to `clusterSecurityGroupId`
   */
  egress?: PodSgEgressRule[];
  /**
   * TCP ports the kubelet probes, opened from `clusterSecurityGroupId`. None are needed in the
   * `standard` enforcing mode, where same-node kubelet traffic skips the pod's group; in `strict`
   * mode list every probe port. Not "all ports": the cluster group is also the group of every
   * pod without its own, so that would open these pods to the whole cluster. @default []
   */
  kubeletProbePorts?: number[];
}

export interface PodSecurityGroupArgs extends PodSecurityGroupSpec {
  /**
   * The group's name within its cluster: the EC2 group is `<clusterName>-<groupName>` and the
   * SecurityGroupPolicy is `<groupName>`. Logical names stay `name`, so several clusters in one
   * program never collide. @default name
   */
  groupName?: string;
  /** EKS cluster name: the group is named `<clusterName>-<groupName>` and tagged as the cluster's. */
  clusterName: string;
  /** VPC of the cluster. */
  vpcId: pulumi.Input<string>;
  /**
   * The group CoreDNS and the kubelet run with: the security group EKS creates with the cluster
   * (`Cluster.clusterSecurityGroupId`), which managed nodes carry
   * (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html); not pulumi-eks's own
   * groups, which no managed node carries. The component adds to it inbound DNS from this group.
   */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** The one shared Kubernetes provider of the cluster. */
  provider: k8s.Provider;
  /**
   * The Namespace object of `namespace`, when this program creates it (`createNamespace`): the
   * SecurityGroupPolicy waits for it, since Kubernetes refuses an object in a namespace that does
   * not exist yet. @default none (the namespace exists already, as kube-system does)
   */
  namespaceResource?: pulumi.Resource;
  /** Tags for the group and its rules. @default none */
  tags?: Record<string, string>;
}

/**
 * Every problem with a pod security group's spec, in the project's error format, with keys under
 * `keyPrefix` (for example `eks-blueprint:podSecurityGroups.api`). Empty when it is valid.
 */
export function podSecurityGroupProblems(spec: PodSecurityGroupSpec, keyPrefix = ""): string[] {
  const key = (path: string) => (keyPrefix ? `${keyPrefix}.${path}` : path);
  const out: string[] = [];
  out.push(...dnsLabelProblems(spec.namespace, key("namespace")));
  if (!spec.podSelector && !spec.serviceAccountSelector) {
    out.push(
      problem(
        key("podSelector"),
        "no selector, so the policy would select no pod",
        null,
        "set podSelector, serviceAccountSelector or both ({} selects every pod in the namespace)",
      ),
    );
  }
  for (const field of ["podSelector", "serviceAccountSelector"] as const) {
    out.push(...labelProblems(spec[field], key(field)));
  }
  for (const direction of ["ingress", "egress"] as const) {
    const rules: PodSgRule[] = spec[direction] ?? [];
    const ruleErrors = rules.flatMap((r, i) => ruleProblems(key(`${direction}[${i}]`), r));
    out.push(...ruleErrors);
    // Names come from what a rule allows; only well-formed rules have a meaning to name.
    if (ruleErrors.length === 0) out.push(...ruleKeyProblems(rules, key(direction)));
  }
  const probes = spec.kubeletProbePorts ?? [];
  if (!probes.every((p) => isPort(p) && p > 0) || new Set(probes).size !== probes.length) {
    out.push(
      problem(
        key("kubeletProbePorts"),
        "not distinct ports",
        probes,
        "use distinct integers from 1 to 65535",
      ),
    );
  }
  return out;
}

/**
 * An EC2 security group for a set of pods, and the SecurityGroupPolicy that gives it to them.
 * Needs the cluster side switched on: `vpcCniPodEniConfiguration` on the vpc-cni add-on,
 * `vpcResourceControllerPolicyArn` on the cluster role, and trunking-capable nodes
 * (`supportsPodSecurityGroups`). EKS installs the SecurityGroupPolicy CRD on every cluster.
 */
export class PodSecurityGroup extends pulumi.ComponentResource {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly securityGroupId: pulumi.Output<string>;
  readonly policy: k8s.apiextensions.CustomResource;

  constructor(name: string, args: PodSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every problem at once, before any resource is registered.
    const problems = podSecurityGroupProblems(args);
    const shortName = args.groupName ?? name;
    for (const direction of ["ingress", "egress"] as const) {
      (args[direction] ?? []).forEach((rule, i) => {
        if ("group" in rule && rule.group !== undefined && rule.securityGroupId === undefined) {
          const fix = "give securityGroupId: only WorkloadAccess resolves a sibling's name";
          problems.push(problem(`${direction}[${i}].group`, "no id to use", rule.group, fix));
        }
      });
    }
    if (!isDnsSubdomain(shortName)) {
      problems.push(
        problem(
          "name",
          "not a Kubernetes object name",
          shortName,
          "use lowercase letters, digits and '-'",
        ),
      );
    }
    throwProblems("PodSecurityGroup", name, problems);
    const positions = new Map([
      ...(args.ingress ?? []).map((r, i) => [`${name}-ingress-${ruleKey(r)}`, i] as const),
      ...(args.egress ?? []).map((r, i) => [`${name}-egress-${ruleKey(r)}`, i] as const),
    ]);
    super(
      "eks-blueprint:index:PodSecurityGroup",
      name,
      {},
      withRenames(opts, "PodSecurityGroup", name, positions),
    );
    const groupName = `${args.clusterName}-${shortName}`;
    // revokeRulesOnDelete: other groups reference this one (database rules, the cluster group's
    // DNS rule, the ALB controller's backend rules), and EC2 refuses to delete a referenced group.
    this.securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        name: groupName,
        description: `Pods of ${groupName}, given by SecurityGroupPolicy`,
        vpcId: args.vpcId,
        revokeRulesOnDelete: true,
        // The cluster tag marks the group as this cluster's. When a pod's interface has several
        // groups, the AWS Load Balancer Controller adds its backend rules to the tagged one.
        tags: {
          ...args.tags,
          Name: groupName,
          [`kubernetes.io/cluster/${args.clusterName}`]: "owned",
        },
      },
      { parent: this },
    );
    const id = this.securityGroup.id;
    const rule = (
      ruleName: string,
      direction: "ingress" | "egress",
      ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs,
    ) => {
      const ruleOpts = { parent: this };
      return direction === "ingress"
        ? new aws.vpc.SecurityGroupIngressRule(ruleName, { ...ruleArgs, tags: args.tags }, ruleOpts)
        : new aws.vpc.SecurityGroupEgressRule(ruleName, { ...ruleArgs, tags: args.tags }, ruleOpts);
    };
    for (const b of baselineRules({
      groupName,
      podSecurityGroupId: id,
      clusterSecurityGroupId: args.clusterSecurityGroupId,
      kubeletProbePorts: args.kubeletProbePorts ?? [],
    })) {
      rule(`${name}-${b.suffix}`, b.direction, b.args);
    }
    for (const r of args.ingress ?? []) {
      rule(`${name}-ingress-${ruleKey(r)}`, "ingress", ingressRuleArgs(id, r));
    }
    for (const r of args.egress ?? []) {
      rule(`${name}-egress-${ruleKey(r)}`, "egress", egressRuleArgs(id, r));
    }
    this.policy = new k8s.apiextensions.CustomResource(
      name,
      {
        apiVersion: SECURITY_GROUP_POLICY_API_VERSION,
        kind: SECURITY_GROUP_POLICY_KIND,
        metadata: { name: shortName, namespace: args.namespace },
        spec: securityGroupPolicySpec(args, [id]),
      },
      {
        parent: this,
        provider: args.provider,
        dependsOn: args.namespaceResource ? [args.namespaceResource] : [],
      },
    );
    this.securityGroupId = id;
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }
}
