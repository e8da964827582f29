import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** EKS cluster name the subnets are tagged for (`kubernetes.io/cluster/<name>`). */
  clusterName: string;
  /** IPv4 CIDR of the VPC, /16 to /20. */
  cidrBlock: string;
  /** Number of availability zones. @default 3 */
  availabilityZones?: number;
  /** NAT gateways: one per AZ survives an AZ outage; one in total is cheaper. @default "OnePerAz" */
  natGateways?: "OnePerAz" | "Single";
  /** Tags for every resource. @default none */
  tags?: Record<string, string>;
  /** Protect the VPC from accidental deletion. @default true */
  protect?: boolean;
  /** Tag the private subnets `karpenter.sh/discovery=<clusterName>` for Karpenter's EC2NodeClass. @default false */
  karpenterDiscovery?: boolean;
}

export const NETWORK_DEFAULTS = {
  availabilityZones: 3,
  natGateways: "OnePerAz",
  protect: true,
} as const;

/**
 * Subnet tags the AWS Load Balancer Controller uses to place load balancers: public subnets for
 * internet-facing, private for internal. https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
 */
export function subnetTags(
  clusterName: string,
  tier: "public" | "private",
): Record<string, string> {
  return {
    [`kubernetes.io/cluster/${clusterName}`]: "shared",
    [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
  };
}

/** Private subnets get most of the space (pods take VPC IPs); public ones only hold load balancers and NAT. */
export function subnetMasks(cidrBlock: string): { public: number; private: number } {
  const vpcMask = Number(cidrBlock.split("/")[1]);
  return { private: vpcMask + 3, public: vpcMask + 6 };
}

/** The VPC: public and private subnets in each AZ, tagged for EKS. */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Network", name, {}, opts);
    const masks = subnetMasks(args.cidrBlock);
    const vpc = new awsx.ec2.Vpc(
      name,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: args.availabilityZones ?? NETWORK_DEFAULTS.availabilityZones,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        natGateways: { strategy: args.natGateways ?? NETWORK_DEFAULTS.natGateways },
        subnetStrategy: "Auto",
        subnetSpecs: [
          { type: "Public", cidrMask: masks.public, tags: subnetTags(args.clusterName, "public") },
          {
            type: "Private",
            cidrMask: masks.private,
            tags: {
              ...subnetTags(args.clusterName, "private"),
              ...(args.karpenterDiscovery ? { "karpenter.sh/discovery": args.clusterName } : {}),
            },
          },
        ],
        tags: { ...args.tags, Name: args.clusterName },
      },
      { parent: this, protect: args.protect ?? NETWORK_DEFAULTS.protect },
    );
    this.vpcId = vpc.vpcId;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
