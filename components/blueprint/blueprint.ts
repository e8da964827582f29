import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withRenames } from "../renames";
import { withGitOpsFacts } from "../addons/argocd/argocd";
import { type AddonSelection } from "../addons/registry";
import type { AddonContext } from "../addons/context";
import { Cluster, CLUSTER_DEFAULTS } from "../cluster/cluster";
import { CoreAddons } from "../cluster/core-addons";
import { FargateProfiles } from "../compute/fargate";
import { FargateLogging } from "../compute/fargate-logging";
import { partitionOf } from "../access/irsa-policy";
import { blueprintProblems } from "./blueprint-problems";
import { createNamespace } from "../teams/namespace";
import { TeamSpec } from "../teams/team-settings";
import { Teams } from "../teams/teams";
import { Network, NETWORK_DEFAULTS } from "../network/network";
import { vpcResourceControllerPolicyArn } from "../compute/nitro";
import { needsDevicePlugin, NodeGroupSpec } from "../compute/node-group-settings";
import { NodeGroups } from "../compute/node-groups";
import { Drills } from "../drills/drills";
import { throwProblems } from "../problems";
import { vpcCniPodEniConfiguration } from "../access/security-group-policy";
import { Platform } from "../addons/platform";
import { addonSelectionProblems, installedAddons } from "../addons/selection";
import { usesPodIdentity, WorkloadRoleSpec } from "../access/workload-role";
import { PodSecurityGroupConfig } from "../access/pod-security-group-config";
import { WorkloadAccess } from "../access/workload-access";
import { AliasTarget } from "../traffic/weighted-records";
import {
  blueprintTrafficProblems,
  gatewayLoadBalancer,
  TrafficRecords,
} from "../traffic/traffic-records";

export type { PodSecurityGroupConfig, WorkloadRoleSpec };

import type { BlueprintArgs } from "./blueprint-args";

export type { BlueprintArgs };

/** What the platform needs of each team namespace: mesh and metrics ports. */
const namespaceOptions = (teams: Record<string, TeamSpec> = {}) =>
  Object.fromEntries(
    Object.values(teams).flatMap((t) =>
      Object.entries(t.namespaces).map(([ns, spec]) => [
        ns,
        { mesh: spec.mesh ?? false, metricsPorts: spec.metricsPorts ?? [] },
      ]),
    ),
  );

export { blueprintNamespaceProblems, blueprintProblems } from "./blueprint-problems";

/**
 * The add-ons with the NVIDIA device plugin on when an AL2023 group has GPUs (its AMI has the
 * driver but no plugin, so pods could not request `nvidia.com/gpu`); an explicit entry, such as
 * `enabled: false` for a cluster running the GPU Operator instead, is kept as given.
 */
export function withDevicePlugin(
  addons: AddonSelection | undefined,
  nodeGroups: Record<string, NodeGroupSpec>,
): AddonSelection | undefined {
  const needed = Object.values(nodeGroups).some(needsDevicePlugin);
  return needed && addons?.nvidiaDevicePlugin === undefined
    ? { ...addons, nvidiaDevicePlugin: {} }
    : addons;
}

/** A production EKS cluster from one args object, wired in the order AWS and Kubernetes need. */
export class EksBlueprint extends pulumi.ComponentResource {
  readonly network: Network;
  readonly cluster: Cluster;
  readonly coreAddons: CoreAddons;
  readonly nodeGroups: NodeGroups;
  readonly fargate?: FargateProfiles;
  /** Workload namespaces (`workloadNamespaces` and the teams'), by name. */
  readonly namespaces: Record<string, k8s.core.v1.Namespace> = {};
  /** The teams' namespaces and access, when any team is declared. */
  readonly teams?: Teams;
  readonly workloads: WorkloadAccess;
  readonly platform: Platform;
  readonly traffic?: TrafficRecords;
  readonly drills?: Drills;
  /** The Istio gateway's NLB as an alias target, when Istio is installed. */
  readonly gatewayLoadBalancer?: pulumi.Output<AliasTarget>;

  constructor(name: string, given: BlueprintArgs, opts?: pulumi.ComponentResourceOptions) {
    const args = { ...given, addons: withDevicePlugin(given.addons, given.nodeGroups ?? {}) };
    throwProblems("EksBlueprint", name, [
      ...blueprintProblems(args),
      ...addonSelectionProblems(args.addons ?? {}),
      ...blueprintTrafficProblems(args.traffic, args.addons?.istio),
    ]);
    super("eks-blueprint:index:EksBlueprint", name, {}, withRenames(opts, "EksBlueprint", name));
    const partition = partitionOf(args.region);
    const protect = args.protect ?? CLUSTER_DEFAULTS.protect;
    const tags = { ...args.tags, "eks-blueprint:cluster": args.clusterName };
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const usesPodSecurityGroups = Object.keys(args.podSecurityGroups ?? {}).length > 0;
    const installed = installedAddons(args.addons ?? {});
    const karpenterDiscovery = installed.includes("karpenter");
    const { clusterName, kubernetesVersion, region } = args;
    // What most components take alike (each reads its own).
    const shared = { clusterName, kubernetesVersion, region, accountId, partition, tags };

    this.network = new Network(
      `${name}-network`,
      { clusterName: args.clusterName, ...args.network, tags, protect, karpenterDiscovery },
      { parent: this },
    );
    this.cluster = new Cluster(
      `${name}-cluster`,
      {
        ...shared,
        vpcId: this.network.vpcId,
        privateSubnetIds: this.network.privateSubnetIds,
        publicSubnetIds: this.network.publicSubnetIds,
        endpointPublicAccessCidrs: args.endpointPublicAccessCidrs,
        adminRoleArns: args.adminRoleArns,
        logRetentionDays: args.logRetentionDays,
        keepPulumiEksSecurityGroups: args.keepPulumiEksSecurityGroups,
        extraClusterRolePolicyArns: usesPodSecurityGroups
          ? [vpcResourceControllerPolicyArn(partition)]
          : [],
        karpenterDiscovery,
        protect,
      },
      { parent: this },
    );
    // Node groups wait for vpc-cni (nodes are NotReady without it) and coredns waits for nodes.
    let computeBuilt: (groups: pulumi.Resource[]) => void = () => undefined;
    const computeReady = new Promise<pulumi.Resource[]>((resolve) => (computeBuilt = resolve));
    const context = (compute: pulumi.Resource[]): AddonContext => ({
      ...shared,
      cluster: this.cluster.clusterNameOutput,
      vpcId: this.network.vpcId,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuer: this.cluster.oidcIssuer,
      provider: this.cluster.provider,
      computeReady: compute,
    });
    this.coreAddons = new CoreAddons(
      `${name}-core`,
      {
        context: context([]),
        vpcCniPodEni: usesPodSecurityGroups
          ? vpcCniPodEniConfiguration(args.podSecurityGroupEnforcingMode)
          : undefined,
        corednsAfter: computeReady,
        // The agent only where a PodIdentityAssociation is: OR in any other user of it here.
        podIdentityAgent: usesPodIdentity(args.irsaRoles),
      },
      { parent: this },
    );
    this.nodeGroups = new NodeGroups(
      `${name}-nodes`,
      {
        ...shared,
        cluster: this.cluster.eksCluster,
        subnetIds: this.network.privateSubnetIds,
        groups: args.nodeGroups,
        dependsOn: [this.coreAddons.addons.vpcCni],
      },
      { parent: this },
    );
    const compute = Object.values(this.nodeGroups.groups);
    computeBuilt(compute);
    if (Object.keys(args.fargateProfiles ?? {}).length > 0) {
      this.fargate = new FargateProfiles(
        `${name}-fargate`,
        {
          ...shared,
          cluster: this.cluster.clusterNameOutput,
          subnetIds: this.network.privateSubnetIds,
          profiles: args.fargateProfiles ?? {},
        },
        { parent: this },
      );
      // Fargate pods log only through the router this configures (fargate-logging.ts).
      new FargateLogging(
        `${name}-fargate-logs`,
        {
          ...shared,
          podExecutionRole: this.fargate.role.name,
          provider: this.cluster.provider,
          retentionDays: args.logRetentionDays ?? CLUSTER_DEFAULTS.logRetentionDays,
        },
        { parent: this },
      );
    }
    // Before workload access: the SecurityGroupPolicies go into these namespaces.
    for (const namespace of args.workloadNamespaces ?? []) {
      this.namespaces[namespace] = createNamespace(
        `${name}-ns`,
        {
          name: namespace,
          podSecurity: "restricted",
          kubernetesVersion: args.kubernetesVersion,
          provider: this.cluster.provider,
        },
        { parent: this },
      );
    }
    if (Object.keys(args.teams ?? {}).length > 0) {
      this.teams = new Teams(
        `${name}-teams`,
        {
          ...shared,
          teams: args.teams ?? {},
          cluster: this.cluster.clusterNameOutput,
          provider: this.cluster.provider,
          networkPolicyEngine: this.coreAddons.addons.vpcCni,
          vpcCidr: args.network.cidrBlock,
          tracing: installed.includes("openTelemetry"),
        },
        { parent: this },
      );
      // Team namespaces get the Platform's ingress baseline too, and hold SecurityGroupPolicies.
      Object.assign(this.namespaces, this.teams.namespaces);
    }
    this.workloads = new WorkloadAccess(
      `${name}-workloads`,
      {
        ...shared,
        cluster: this.cluster.clusterNameOutput,
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuer: this.cluster.oidcIssuer,
        vpcId: this.network.vpcId,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        provider: this.cluster.provider,
        irsaRoles: args.irsaRoles,
        podSecurityGroups: args.podSecurityGroups,
        namespaces: this.namespaces,
        mesh: {
          namespaces: Object.entries(namespaceOptions(args.teams))
            .filter(([, o]) => o.mesh)
            .map(([ns]) => ns),
          tracing: installed.includes("openTelemetry"),
        },
        dependsOn: compute,
      },
      { parent: this },
    );
    this.platform = new Platform(
      `${name}-platform`,
      {
        context: context(compute),
        // Argo CD's applications read the workload roles' ARNs from its cluster Secret.
        addons: withGitOpsFacts(
          args.addons,
          {
            roleArns: Object.fromEntries(
              Object.entries({ ...this.workloads.roles, ...this.workloads.podIdentityRoles }).map(
                ([role, r]) => [role, r.roleArn],
              ),
            ),
          },
          Object.fromEntries(
            Object.entries(args.teams ?? {}).map(([team, t]) => [team, Object.keys(t.namespaces)]),
          ),
        ),
        privateSubnetIds: this.network.privateSubnetIds,
        availabilityZones: args.network.availabilityZones ?? NETWORK_DEFAULTS.availabilityZones,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        workloadNamespaces: this.namespaces,
        namespaceOptions: namespaceOptions(args.teams),
        networkPolicyEngine: this.coreAddons.addons.vpcCni,
        allowAllFirst: this.teams?.allowAll,
      },
      { parent: this },
    );
    const gatewayHostname = this.platform.bundle.gatewayService?.hostname;
    if (gatewayHostname) {
      this.gatewayLoadBalancer = gatewayLoadBalancer(gatewayHostname, region, { parent: this });
    }
    // blueprintTrafficProblems made sure Istio, and so the gateway, is installed.
    if (args.traffic && this.gatewayLoadBalancer) {
      this.traffic = new TrafficRecords(
        `${name}-traffic`,
        { ...args.traffic, target: this.gatewayLoadBalancer },
        { parent: this },
      );
    }
    const gateway = this.platform.bundle.gatewayService;
    if (args.drills && gateway?.hostname) {
      this.drills = new Drills(
        `${name}-drills`,
        {
          ...args.drills,
          clusterName,
          cluster: this.cluster.clusterNameOutput,
          partition,
          region,
          accountId,
          gateway: {
            ...gateway,
            app: gateway.name,
            service: gateway.name,
            hostname: gateway.hostname,
          },
          provider: this.cluster.provider,
          tags,
        },
        { parent: this },
      );
    }
    this.registerOutputs({
      clusterName: args.clusterName,
      kubeconfig: this.cluster.kubeconfig,
      oidcProviderArn: this.cluster.oidcProviderArn,
      nodeGroupNames: this.nodeGroups.names,
    });
  }
}
