import * as pulumi from "@pulumi/pulumi";
import { withRenames } from "../renames";
import { AddonBundle } from "./bundle";
import type { AddonContext } from "./context";
import { NetworkPolicyBaseline } from "./network-policies";
import type { AddonSelection } from "./registry";

export interface PlatformArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** The add-ons (registry.ts); see `AddonSelection` for what is on by default. @default {} */
  addons?: AddonSelection;
  /** Private subnets, one per AZ (EFS mount targets). */
  privateSubnetIds: pulumi.Output<string[]>;
  /** Number of availability zones (one EFS mount target each). */
  availabilityZones: number;
  /** EKS's cluster security group, on managed nodes: allowed to reach the EFS mount targets. */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** Workload namespaces already created, by name; each gets the network policy baseline. @default {} */
  workloadNamespaces?: Record<string, pulumi.Resource>;
  /** Resources network policies wait for (the vpc-cni add-on enforces them). */
  networkPolicyEngine: pulumi.Resource;
  /** Policies allowing all in observed namespaces, applied before any that denies. @default [] */
  allowAllFirst?: pulumi.Resource[];
}

/** Everything that runs in the cluster: the add-on bundle and the workload network policies. */
export class Platform extends pulumi.ComponentResource {
  readonly bundle: AddonBundle;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Platform", name, {}, withRenames(opts, "Platform", name));
    const { context } = args;
    this.bundle = new AddonBundle(
      `${name}-addons`,
      {
        context: {
          ...context,
          // One subnet per zone, by the zone's index (EFS mount targets are named by it).
          privateSubnetIds: [...Array(args.availabilityZones).keys()].map((i) =>
            args.privateSubnetIds.apply((ids) => ids[i]),
          ),
          clusterSecurityGroupId: args.clusterSecurityGroupId,
        },
        addons: args.addons,
      },
      { parent: this },
    );
    const namespaces = args.workloadNamespaces ?? {};
    if (Object.keys(namespaces).length > 0) {
      new NetworkPolicyBaseline(
        `${name}-netpol`,
        {
          provider: context.provider,
          namespaces: Object.keys(namespaces),
          dependsOn: [
            ...Object.values(namespaces),
            args.networkPolicyEngine,
            ...(args.allowAllFirst ?? []),
          ],
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
