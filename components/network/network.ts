import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { hostBitsProblems, parseCidr } from "./cidr";
import { providerOutput, type ProviderOutput } from "../provider-outputs";
import { isIntegerIn, oneOfProblems, PathOf, throwProblems, under, problemList } from "../problems";

export interface NetworkArgs {
  /** EKS cluster name the subnets are tagged for (`kubernetes.io/cluster/<name>`). */
  clusterName: string;
  /** IPv4 CIDR of the VPC, /16 to /20 (pods take VPC addresses, so smaller runs out). */
  cidrBlock: string;
  /** Number of availability zones, 2 to 6 (EKS needs subnets in at least two). @default 3 */
  availabilityZones?: number;
  /** NAT gateways: one per AZ survives an AZ outage; one in total is cheaper. @default "OnePerAz" */
  natGateways?: "OnePerAz" | "Single";
  /** Tags for every resource. @default none */
  tags?: Record<string, string>;
  /** Protect the VPC from accidental deletion. @default true */
  protect?: boolean;
  /** Tag private subnets `karpenter.sh/discovery` for Karpenter's EC2NodeClass. @default false */
  karpenterDiscovery?: boolean;
}

export const NETWORK_DEFAULTS = {
  availabilityZones: 3,
  natGateways: "OnePerAz",
  protect: true,
} as const;

export const NAT_GATEWAY_STRATEGIES = ["OnePerAz", "Single"] as const;

/** Pods take VPC addresses: a /16 holds 65,536, a /20 4,096. */
export const VPC_PREFIX_RANGE = { widest: 16, narrowest: 20 } as const;

/** EKS needs subnets in at least two AZs; no region we deploy to has more than six. */
export const AVAILABILITY_ZONE_RANGE = { min: 2, max: 6 } as const;

export function networkProblems(
  args: Pick<NetworkArgs, "cidrBlock" | "availabilityZones" | "natGateways">,
  path: PathOf = under(""),
): string[] {
  const [out, add] = problemList();
  const cidr = typeof args.cidrBlock === "string" ? parseCidr(args.cidrBlock) : undefined;
  const { widest, narrowest } = VPC_PREFIX_RANGE;
  if (!cidr) {
    add(path("cidrBlock"), "not an IPv4 CIDR", args.cidrBlock, "use the form 10.20.0.0/16");
  } else if (cidr.prefix < widest || cidr.prefix > narrowest) {
    add(
      path("cidrBlock"),
      "VPC prefix length out of range",
      args.cidrBlock,
      `use a /${widest} to /${narrowest} (pods take VPC addresses)`,
    );
  } else {
    out.push(...hostBitsProblems(args.cidrBlock, path("cidrBlock")));
  }
  const { min, max } = AVAILABILITY_ZONE_RANGE;
  if (args.availabilityZones !== undefined && !isIntegerIn(args.availabilityZones, min, max)) {
    add(
      path("availabilityZones"),
      "not a usable number of availability zones",
      args.availabilityZones,
      `use an integer from ${min} to ${max} (EKS needs at least ${min})`,
    );
  }
  if (args.natGateways !== undefined) {
    out.push(
      ...oneOfProblems(
        args.natGateways,
        NAT_GATEWAY_STRATEGIES,
        path("natGateways"),
        "NAT strategy",
      ),
    );
  }
  return out;
}

/** LB subnet tags: https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html */
export function subnetTags(
  clusterName: string,
  tier: "public" | "private",
): Record<string, string> {
  return {
    [`kubernetes.io/cluster/${clusterName}`]: "shared",
    [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
  };
}

/** Private subnets get most space (pods take VPC IPs); public ones hold load balancers and NAT. */
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
    throwProblems("Network", name, networkProblems(args));
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
    const output = <T>(value: pulumi.Output<T>, field: ProviderOutput<"awsx:ec2:Vpc">) =>
      providerOutput(value, "awsx:ec2:Vpc", name, field);
    this.vpcId = output(vpc.vpcId, "vpcId");
    this.publicSubnetIds = output(vpc.publicSubnetIds, "publicSubnetIds");
    this.privateSubnetIds = output(vpc.privateSubnetIds, "privateSubnetIds");
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
