import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { problemIf, throwProblems } from "../problems";
import {
  AliasTarget,
  recordImportId,
  TrafficArgs,
  trafficProblems,
  weightedRecordName,
  weightedRecordSpec,
} from "./weighted-records";

/** The blueprint's traffic problems: the records' own, and Istio, whose gateway they alias. */
export function blueprintTrafficProblems(
  traffic: TrafficArgs | undefined,
  istio: { enabled?: boolean } | undefined,
): string[] {
  if (!traffic) return [];
  return [
    ...trafficProblems(traffic, "traffic"),
    ...problemIf(
      !istio || istio.enabled === false,
      "traffic",
      "set, but addons.istio is off: the records alias the Istio gateway's load balancer",
      traffic.hostnames,
      "turn addons.istio on, or leave traffic unset",
    ),
  ];
}

export interface TrafficRecordsArgs extends TrafficArgs {
  /** This cluster's gateway load balancer (`gatewayLoadBalancer`). */
  target: pulumi.Output<AliasTarget>;
}

/**
 * The gateway NLB as an alias target: its Service's DNS name and the canonical hosted zone id fixed
 * per region and type (https://docs.aws.amazon.com/general/latest/gr/elb.html).
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
 * Weighted records of the shared hostnames: this cluster's, aliased to its gateway NLB, and each
 * external peer's. Moving traffic is a config change, previewed as in-place record updates.
 */
export class TrafficRecords extends pulumi.ComponentResource {
  /** The records by logical name. */
  readonly records: Record<string, aws.route53.Record> = {};

  constructor(name: string, args: TrafficRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("TrafficRecords", name, trafficProblems(args, "traffic"));
    super("eks-blueprint:index:TrafficRecords", name, {}, opts);
    for (const hostname of args.hostnames) {
      const recordName = weightedRecordName(name, hostname);
      // Only the alias waits for the NLB, so previews show the weight before its name is known.
      const own = weightedRecordSpec(args.zoneId, hostname, args.setIdentifier, args.weight, {
        name: "",
        zoneId: "",
      });
      this.records[recordName] = new aws.route53.Record(
        recordName,
        { ...own, aliases: args.target.apply((t) => [{ ...own.aliases[0], ...t }]) },
        // Imported, never created first: creating an existing record fails, and deleting it to
        // create it again is the outage. The alias must still name the NLB it points at.
        { parent: this, ...(args.importExisting ? { import: recordImportId(own) } : {}) },
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
