import * as pulumi from "@pulumi/pulumi";
import { BlueprintArgs, EksBlueprint } from "../components/blueprint/blueprint";

/** What every stack exports: enough for kubectl, for IRSA roles made elsewhere, and for the runbook. */
export interface StackOutputs {
  clusterName: string;
  kubernetesVersion: string;
  endpoint: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  vpcCidr: string;
  nodeGroupNames: Record<string, pulumi.Output<string>>;
  /** With Istio, its gateway NLB as alias target: for the weighted records and `npm run adopt`. */
  gatewayLoadBalancer?: pulumi.Output<{ name: string; zoneId: string }>;
  /** With `drills`, the FIS experiment template ids by drill: `zone` and `gateway`. */
  drillTemplates?: Record<"zone" | "gateway", pulumi.Output<string>>;
}

/** A stack's program, one EksBlueprint named `name` (`prod`): its validated config in, its outputs out. */
export function composition(name: string, args: BlueprintArgs): StackOutputs {
  const { cluster, network, nodeGroups, gatewayLoadBalancer, drills } = new EksBlueprint(
    name,
    args,
  );
  return {
    clusterName: args.clusterName,
    kubernetesVersion: args.kubernetesVersion,
    endpoint: cluster.eksCluster.core.endpoint,
    oidcProviderArn: cluster.oidcProviderArn,
    kubeconfig: cluster.kubeconfig,
    vpcId: network.vpcId,
    vpcCidr: args.network.cidrBlock,
    nodeGroupNames: nodeGroups.names,
    ...(gatewayLoadBalancer ? { gatewayLoadBalancer } : {}),
    ...(drills
      ? { drillTemplates: { zone: drills.templates.zone.id, gateway: drills.templates.gateway.id } }
      : {}),
  };
}
