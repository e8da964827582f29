import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { portListProblems, throwProblems, problemList, under } from "../problems";
import { withRenames } from "../renames";
import { dnsLabelProblems, isDnsSubdomain, labelProblems } from "../kubernetes-names";
import {
  baselineRules,
  PodSgEgressRule,
  PodSgIngressRule,
  PodSgRule,
  ruleArgs,
  ruleKey,
  ruleKeyProblems,
  ruleProblems,
} from "./pod-security-group-rules";
import {
  SECURITY_GROUP_POLICY_API_VERSION,
  SECURITY_GROUP_POLICY_KIND,
  securityGroupPolicySpec,
} from "./security-group-policy";

const DIRECTIONS = ["ingress", "egress"] as const;

/** What a pod security group declares about its pods; validated by `podSecurityGroupProblems`. */
export interface PodSecurityGroupSpec {
  /** Namespace of the pods, and of the SecurityGroupPolicy. */
  namespace: string;
  /**
   * Pod labels (`matchLabels`); `{}` is every pod in the namespace. This or
   * `serviceAccountSelector` is required; with both, a pod must match both. @default none
   */
  podSelector?: Record<string, string>;
  /** Labels (`matchLabels`) of the pods' service accounts. @default none */
  serviceAccountSelector?: Record<string, string>;
  /** Inbound rules (`<name>-ingress-<ruleKey>`). @default none: only DNS and kubelet probe ports */
  ingress?: PodSgIngressRule[];
  /**
   * Outbound rules (`<name>-egress-<ruleKey>`); the provider revokes EC2's allow-all, so list the
   * rest: `{ to: "securityGroup", securityGroupId: <database SG>, protocol: "tcp", port: 5432 }`
   * (that group must allow this one in), HTTPS to the VPC endpoints for STS with IRSA. In
   * `standard` mode traffic leaving the VPC uses the node's group.
   * @default none: only DNS (TCP and UDP 53) to `clusterSecurityGroupId`
   */
  egress?: PodSgEgressRule[];
  /**
   * Kubelet probe TCP ports opened from the cluster group: all in `strict` mode, none in `standard`
   * (same-node kubelet traffic skips the pod's group). Never every port: that group is every other
   * pod's too. @default []
   */
  kubeletProbePorts?: number[];
  /**
   * TCP ports its pods serve, opened from the cluster group, where the Istio gateway and Prometheus
   * run (in `standard` mode traffic from other nodes passes the pod's group). @default none
   */
  servicePorts?: number[];
}

/** What a meshed pod's sidecar reaches on the nodes. */
export interface PodSecurityGroupMesh {
  /** It sends spans to the trace collector (the OpenTelemetry add-on) too. @default false */
  tracing?: boolean;
}

export interface PodSecurityGroupArgs extends PodSecurityGroupSpec {
  /**
   * EC2 group `<clusterName>-<groupName>`, SecurityGroupPolicy `<groupName>`; logical names stay
   * `name`, so clusters in one program never collide. @default name
   */
  groupName?: string;
  /** EKS cluster name, which names and tags the group. */
  clusterName: string;
  /** VPC of the cluster. */
  vpcId: pulumi.Input<string>;
  /**
   * `Cluster.clusterSecurityGroupId`, the group of managed nodes, CoreDNS and the kubelet
   * (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html), not pulumi-eks's own
   * groups, which no node carries. It gets DNS rules here.
   */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** The one shared Kubernetes provider of the cluster. */
  provider: k8s.Provider;
  /**
   * The Namespace, if created here: the policy waits, as Kubernetes refuses objects in a missing
   * namespace. @default none (the namespace exists already, as kube-system does)
   */
  namespaceResource?: pulumi.Resource;
  /**
   * The pods' namespace is in the Istio mesh: their sidecars reach istiod and, with `tracing`, the
   * trace collector, both on the nodes. @default none: not meshed
   */
  mesh?: PodSecurityGroupMesh;
  /** Tags for the group and its rules. @default none */
  tags?: Record<string, string>;
}

/** A spec's problems, keyed under `keyPrefix` (such as `eks-blueprint:podSecurityGroups.api`). */
export function podSecurityGroupProblems(spec: PodSecurityGroupSpec, keyPrefix = ""): string[] {
  const key = under(keyPrefix);
  const [out, add] = problemList(dnsLabelProblems(spec.namespace, key("namespace")));
  if (!spec.podSelector && !spec.serviceAccountSelector) {
    add(
      key("podSelector"),
      "no selector, so the policy would select no pod",
      null,
      "set podSelector, serviceAccountSelector or both ({} selects every pod in the namespace)",
    );
  }
  for (const field of ["podSelector", "serviceAccountSelector"] as const) {
    out.push(...labelProblems(spec[field], key(field)));
  }
  for (const direction of DIRECTIONS) {
    const rules: PodSgRule[] = spec[direction] ?? [];
    if (!Array.isArray(rules)) {
      add(key(direction), "not a list of rules", rules, `list the ${direction} rules, [] for none`);
      continue;
    }
    const ruleErrors = rules.flatMap((r, i) => ruleProblems(key(`${direction}[${i}]`), r));
    out.push(...ruleErrors);
    // Names come from what a rule allows; only well-formed rules have a meaning to name.
    if (ruleErrors.length === 0) out.push(...ruleKeyProblems(rules, key(direction)));
  }
  for (const field of ["kubeletProbePorts", "servicePorts"] as const) {
    out.push(...portListProblems(spec[field], key(field)));
  }
  return out;
}

/**
 * An EC2 security group for pods and its SecurityGroupPolicy. Needs `vpcCniPodEniConfiguration`,
 * `vpcResourceControllerPolicyArn` on the cluster role and trunking nodes; EKS installs the CRD.
 */
export class PodSecurityGroup extends pulumi.ComponentResource {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly securityGroupId: pulumi.Output<string>;
  readonly policy: k8s.apiextensions.CustomResource;

  constructor(name: string, args: PodSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const [problems, add] = problemList(podSecurityGroupProblems(args));
    const shortName = args.groupName ?? name;
    for (const direction of DIRECTIONS) {
      (args[direction] ?? []).forEach((rule, i) => {
        if ("group" in rule && rule.group !== undefined && rule.securityGroupId === undefined) {
          const fix = "give securityGroupId: only WorkloadAccess resolves a sibling's name";
          add(`${direction}[${i}].group`, "no id to use", rule.group, fix);
        }
      });
    }
    if (!isDnsSubdomain(shortName)) {
      add(
        "name",
        "not a Kubernetes object name",
        shortName,
        "use lowercase letters, digits and '-'",
      );
    }
    throwProblems("PodSecurityGroup", name, problems);
    const positions = new Map(
      DIRECTIONS.flatMap((d) =>
        (args[d] ?? []).map((r: PodSgRule, i) => [`${name}-${d}-${ruleKey(r)}`, i] as const),
      ),
    );
    super(
      "eks-blueprint:index:PodSecurityGroup",
      name,
      {},
      withRenames(opts, "PodSecurityGroup", name, positions),
    );
    const groupName = `${args.clusterName}-${shortName}`;
    // revokeRulesOnDelete: other groups' rules reference this one, and EC2 refuses to delete it.
    this.securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        name: groupName,
        description: `Pods of ${groupName}, given by SecurityGroupPolicy`,
        vpcId: args.vpcId,
        revokeRulesOnDelete: true,
        // The Load Balancer Controller adds backend rules to a pod's cluster-tagged group.
        tags: {
          ...args.tags,
          Name: groupName,
          [`kubernetes.io/cluster/${args.clusterName}`]: "owned",
        },
      },
      { parent: this },
    );
    const id = this.securityGroup.id;
    const rules = baselineRules({
      groupName,
      podSecurityGroupId: id,
      clusterSecurityGroupId: args.clusterSecurityGroupId,
      kubeletProbePorts: args.kubeletProbePorts ?? [],
      servicePorts: args.servicePorts,
      mesh: args.mesh,
    });
    for (const direction of DIRECTIONS) {
      for (const r of args[direction] ?? []) {
        rules.push({ suffix: `${direction}-${ruleKey(r)}`, direction, args: ruleArgs(id, r) });
      }
    }
    for (const { suffix, direction, args: rule } of rules) {
      const Rule =
        direction === "ingress"
          ? aws.vpc.SecurityGroupIngressRule
          : aws.vpc.SecurityGroupEgressRule;
      new Rule(`${name}-${suffix}`, { ...rule, tags: args.tags }, { parent: this });
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
