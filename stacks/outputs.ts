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
  /**
   * The Istio gateway's NLB as an alias target (`{name, zoneId}`), when Istio is installed: what
   * this stack's weighted records point at, and what `npm run adopt` puts in the first batch.
   */
  gatewayLoadBalancer?: pulumi.Output<{ name: string; zoneId: string }>;
}

export function blueprintOutputs(args: BlueprintArgs, blueprint: EksBlueprint): StackOutputs {
  return {
    clusterName: args.clusterName,
    kubernetesVersion: args.kubernetesVersion,
    endpoint: blueprint.cluster.eksCluster.core.endpoint,
    oidcProviderArn: blueprint.cluster.oidcProviderArn,
    kubeconfig: blueprint.cluster.kubeconfig,
    vpcId: blueprint.network.vpcId,
    vpcCidr: args.network.cidrBlock,
    nodeGroupNames: blueprint.nodeGroups.names,
    ...(blueprint.gatewayLoadBalancer
      ? { gatewayLoadBalancer: blueprint.gatewayLoadBalancer }
      : {}),
  };
}
