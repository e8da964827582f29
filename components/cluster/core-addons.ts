import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "../addons/catalog";
import type { AddonContext } from "../addons/context";
import { deepMerge, Values } from "../addons/values";
import { IrsaRole } from "../access/irsa";
import { policyDocument, stableJson } from "../access/irsa-policy";
import { vpcCniGuard } from "../access/guards";
import { SUPPORTED_KUBERNETES_MINORS } from "./kubernetes-versions";

export const VPC_CNI = { namespace: "kube-system", serviceAccount: "aws-node" } as const;

/** Pinned EKS add-on versions for a minor; an unpinned one throws before anything registers. */
export function coreAddonVersions(kubernetesVersion: string): EksAddonVersions {
  const pinned = new Map<string, EksAddonVersions>(Object.entries(eksAddonVersions)).get(
    kubernetesVersion,
  );
  if (!pinned) {
    throw new Error(
      `eks-blueprint:kubernetesVersion: no EKS add-on versions pinned for this minor (got ${JSON.stringify(kubernetesVersion)}); use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")} or add it to eksAddonVersions in components/addons/catalog.ts`,
    );
  }
  return pinned;
}

/**
 * vpc-cni values, one writer for pod ENI and network policy ("true" as a string, v1.14.0-eksbuild.3
 * and later): https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export function vpcCniConfiguration(podEni?: Values): Values {
  return deepMerge(podEni ?? {}, { enableNetworkPolicy: "true" });
}

/**
 * coredns values (add-on schema v1.11+: `aws eks describe-addon-configuration --addon-name
 * coredns`); EKS renders the PDB, so a drain never takes both DNS replicas at once.
 */
export function corednsConfiguration(replicas = 2): Values {
  return {
    replicaCount: replicas,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        // ScheduleAnyway: DNS must come up even while one zone has no node.
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ],
  };
}

/**
 * EKS's default, NONE, fails. Create: OVERWRITE, adopting the self-managed add-ons every cluster
 * starts with. Update: PRESERVE, so a bump keeps values changed on the cluster (an emergency
 * `kubectl set env`); ours are sent with every update anyway
 * (https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html).
 */
export const CONFLICT_RESOLUTION = {
  resolveConflictsOnCreate: "OVERWRITE",
  resolveConflictsOnUpdate: "PRESERVE",
} as const;

export interface CoreAddonsArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** Pod-ENI settings (`vpcCniPodEniConfiguration()`) when pods get security groups. @default none */
  vpcCniPodEni?: Values;
  /** CoreDNS replicas. @default 2 */
  corednsReplicas?: number;
  /** Install eks-pod-identity-agent (EksBlueprint: only with an association). @default true */
  podIdentityAgent?: boolean;
  /**
   * The node groups coredns waits for, built after this component: without AmazonEKS_CNI_Policy on
   * the node role, nodes are Ready only once vpc-cni runs. @default context.computeReady
   */
  corednsAfter?: Promise<pulumi.Resource[]>;
}

/** vpc-cni (own IRSA role, network policy on), coredns, kube-proxy and eks-pod-identity-agent. */
export class CoreAddons extends pulumi.ComponentResource {
  readonly vpcCniRole: IrsaRole;
  readonly addons: Record<"vpcCni" | "coredns" | "kubeProxy", aws.eks.Addon> & {
    /** Only when `podIdentityAgent` is on. */
    podIdentityAgent?: aws.eks.Addon;
  };

  constructor(name: string, args: CoreAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    const versions = coreAddonVersions(args.context.kubernetesVersion);
    super("eks-blueprint:index:CoreAddons", name, {}, opts);
    const ctx = args.context;
    // The CNI's ENI permissions go to aws-node only, never to every pod through the node role.
    this.vpcCniRole = new IrsaRole(
      `${name}-vpc-cni-irsa`,
      {
        ...ctx,
        ...VPC_CNI,
        roleName: `${ctx.clusterName}-vpc-cni`,
        managedPolicyArns: [`arn:${ctx.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
        policy: pulumi
          .all([ctx.accountId, ctx.vpcId])
          .apply(([accountId, vpcId]) =>
            stableJson(policyDocument(...vpcCniGuard({ ...ctx, accountId, vpcId }))),
          ),
      },
      { parent: this },
    );
    const addon = (
      key: "vpcCni" | "coredns" | "kubeProxy" | "podIdentityAgent",
      extra: Partial<aws.eks.AddonArgs>,
      dependsOn: pulumi.ResourceOptions["dependsOn"] = [],
    ) =>
      new aws.eks.Addon(
        `${name}-${eksAddonNames[key]}`,
        {
          clusterName: ctx.cluster,
          addonName: eksAddonNames[key],
          addonVersion: versions[key],
          ...CONFLICT_RESOLUTION,
          tags: ctx.tags,
          ...extra,
        },
        { parent: this, dependsOn },
      );
    // Nodes need vpc-cni and kube-proxy to become Ready, so these do not wait for node groups.
    const vpcCni = addon(
      "vpcCni",
      {
        serviceAccountRoleArn: this.vpcCniRole.roleArn,
        configurationValues: stableJson(vpcCniConfiguration(args.vpcCniPodEni)),
      },
      [this.vpcCniRole],
    );
    const corednsAfter: pulumi.Input<pulumi.Input<pulumi.Resource>[]> = args.corednsAfter
      ? args.corednsAfter.then((nodes): pulumi.Resource[] => [vpcCni, ...nodes])
      : [vpcCni, ...ctx.computeReady];
    this.addons = {
      vpcCni,
      kubeProxy: addon("kubeProxy", {}),
      // The agent uses the node role (AmazonEKSWorkerNodePolicy has AssumeRoleForPodIdentity).
      ...(args.podIdentityAgent === false
        ? {}
        : { podIdentityAgent: addon("podIdentityAgent", {}) }),
      // EKS reports coredns ACTIVE only once its pods run, so it waits for nodes.
      coredns: addon(
        "coredns",
        { configurationValues: stableJson(corednsConfiguration(args.corednsReplicas)) },
        corednsAfter,
      ),
    };
    this.registerOutputs({ vpcCniRoleArn: this.vpcCniRole.roleArn });
  }
}
