import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { problem, throwProblems } from "../problems";
import {
  AliasTarget,
  TrafficArgs,
  trafficProblems,
  weightedRecordName,
  weightedRecordSpec,
} from "./weighted-records";

export type { AliasTarget, ExternalPeer, TrafficArgs } from "./weighted-records";

/**
 * The blueprint's traffic problems, in its args' paths: the records' own, and the gateway they
 * alias, which only Istio provides.
 */
export function blueprintTrafficProblems(
  traffic: TrafficArgs | undefined,
  istio: { enabled?: boolean } | undefined,
): string[] {
  if (!traffic) return [];
  return [
    ...trafficProblems(traffic, "traffic"),
    ...(istio && istio.enabled !== false
      ? []
      : [
          problem(
            "traffic",
            "set, but addons.istio is off: the records alias the Istio gateway's load balancer",
            traffic.hostnames,
            "turn addons.istio on, or leave traffic unset",
          ),
        ]),
  ];
}

export interface TrafficRecordsArgs extends TrafficArgs {
  /** This cluster's gateway load balancer (`gatewayLoadBalancer`). */
  target: pulumi.Output<AliasTarget>;
}

/**
 * The gateway NLB as an alias target: its DNS name (an output of its Service) and its canonical
 * hosted zone id, which an alias names (not the zone the record lives in). That id is fixed per
 * region and load balancer type; the data source reads it from the ELB endpoint table
 * (https://docs.aws.amazon.com/general/latest/gr/elb.html).
 */
export function gatewayLoadBalancer(
  hostname: pulumi.Output<string>,
  region: string,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<AliasTarget> {
  const zoneId = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "network", region }, opts).id;
  return pulumi.all([hostname, zoneId]).apply(([name, id]) => ({ name, zoneId: id }));
}

/**
 * The Route 53 weighted records of the shared hostnames, owned by the stack: one per hostname with
 * this cluster's set identifier and weight, aliased to its gateway's NLB, plus one per hostname and
 * external peer. Moving traffic is a config change that `pulumi preview` shows as an in-place
 * update of these records, and `pulumi up` returns once Route 53 has accepted it.
 */
export class TrafficRecords extends pulumi.ComponentResource {
  /** The records by logical name. */
  readonly records: Record<string, aws.route53.Record> = {};

  constructor(name: string, args: TrafficRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("TrafficRecords", name, trafficProblems(args, "traffic"));
    super("eks-blueprint:index:TrafficRecords", name, {}, opts);
    const target = args.target;
    for (const hostname of args.hostnames) {
      const recordName = weightedRecordName(name, hostname);
      // Only the alias waits for the load balancer: the weight stays a plain value, so a preview
      // shows it even while the NLB's name is not known yet.
      const own = weightedRecordSpec(args.zoneId, hostname, args.setIdentifier, args.weight, {
        name: "",
        zoneId: "",
      });
      this.records[recordName] = new aws.route53.Record(
        recordName,
        { ...own, aliases: target.apply((t) => [{ ...own.aliases[0], ...t }]) },
        { parent: this },
      );
      for (const [peer, p] of Object.entries(args.externalPeers ?? {})) {
        const peerName = weightedRecordName(name, hostname, peer);
        this.records[peerName] = new aws.route53.Record(
          peerName,
          weightedRecordSpec(args.zoneId, hostname, peer, p.weight, p.alias),
          { parent: this },
        );
      }
    }
    this.registerOutputs({ hostnames: args.hostnames, weight: args.weight });
  }
}
