import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eksAddonNames, eksAddonVersions, EksAddonVersions } from "../addons/catalog";
import type { AddonContext } from "../addons/context";
import { deepMerge, Values } from "../addons/values";
import { addonRole } from "../addons/addon-role";
import { IrsaRole } from "../access/irsa";
import { stableJson } from "../access/irsa-policy";
import { SUPPORTED_KUBERNETES_MINORS } from "./kubernetes-versions";

export const VPC_CNI = { namespace: "kube-system", serviceAccount: "aws-node" } as const;

/**
 * The catalog's pinned EKS add-on versions for a cluster's minor. A minor without an entry is a
 * config error naming the version and the minors we support, thrown before anything registers.
 */
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
 * vpc-cni configuration values: network policy enforcement on (the value is the string "true";
 * add-on v1.14.0-eksbuild.3 or later), merged with the pod-ENI settings of the pod security
 * group issue, so one writer owns the add-on's configuration
 * (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
 */
export function vpcCniConfiguration(podEni?: Values): Values {
  return deepMerge(podEni ?? {}, { enableNetworkPolicy: "true" });
}

/**
 * coredns configuration values. The coredns add-on schema (v1.11 and later; check with
 * `aws eks describe-addon-configuration --addon-name coredns`) takes `replicaCount`,
 * `podDisruptionBudget` and `topologySpreadConstraints`: EKS then renders the PDB itself, so
 * draining a node group never takes both DNS replicas at once.
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
 * Conflict resolution, stated rather than left to EKS's default (NONE, which fails):
 * - create: OVERWRITE, because EKS installs self-managed vpc-cni, coredns and kube-proxy with
 *   every cluster; adopting them must replace their settings with ours.
 * - update: PRESERVE, so a version bump keeps values changed on the cluster (for example an
 *   emergency `kubectl set env` on aws-node) instead of EKS resetting them to its defaults; our
 *   own configurationValues still apply, because they are sent with every update.
 * (https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html)
 */
export const CONFLICT_RESOLUTION = {
  resolveConflictsOnCreate: "OVERWRITE",
  resolveConflictsOnUpdate: "PRESERVE",
} as const;

export interface CoreAddonsArgs {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** Pod-ENI settings (`vpcCniPodEniConfiguration()`) when pods get security groups. @default none */
  vpcCniPodEni?: Values;
  /** CoreDNS replicas. @default 2 */
  corednsReplicas?: number;
  /**
   * Install eks-pod-identity-agent. EksBlueprint passes whether anything it builds has a Pod
   * Identity association: without one the agent's DaemonSet would run on every node for nothing.
   * @default true
   */
  podIdentityAgent?: boolean;
  /**
   * What coredns waits for when the node groups are built after this component. They must be:
   * the node role has no AmazonEKS_CNI_Policy, so nodes only become Ready once vpc-cni runs
   * with its IRSA role (terraform-aws-eks calls this `before_compute`). The blueprint passes a
   * promise it resolves with the node groups. @default context.computeReady
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
    // Checked before super(): an unpinned minor fails with nothing registered.
    const versions = coreAddonVersions(args.context.kubernetesVersion);
    super("eks-blueprint:index:CoreAddons", name, {}, opts);
    const ctx = args.context;
    // The CNI's ENI permissions go to aws-node only, never to every pod through the node role.
    this.vpcCniRole = addonRole(
      `${name}-vpc-cni-irsa`,
      ctx,
      {
        ...VPC_CNI,
        roleSuffix: "vpc-cni",
        managedPolicyArns: [`arn:${ctx.partition}:iam::aws:policy/AmazonEKS_CNI_Policy`],
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
    // vpc-cni and kube-proxy are DaemonSets EKS installs at cluster creation: nodes need them to
    // become Ready, so they must not wait for the node groups.
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
      // The pod identity agent uses the node role (eks-auth:AssumeRoleForPodIdentity is in
      // AmazonEKSWorkerNodePolicy); it needs no role of its own.
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
