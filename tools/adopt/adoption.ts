// Adopting a cluster no blueprint built: weighted and plain records of one name and type cannot
// coexist, so one ChangeResourceRecordSets batch deletes each plain record (and old ExternalDNS TXT
// records) and creates both weighted ones; the stack then imports them. Route 53 applies it all or
// nothing and refuses inexact DELETEs (API_ChangeResourceRecordSets: "Change batches are considered
// transactional changes"; "To delete a resource record set, you must specify all the same values
// that you specified when you created it"), so DELETEs copy records as listed.
import {
  AliasTarget,
  recordImportId,
  TrafficArgs,
  weightedRecordName,
  weightedRecordSpec,
  WeightedRecordSpec,
} from "../../components/traffic/weighted-records";

/** A record set as `aws route53 list-resource-record-sets` prints it. */
export interface RecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Weight?: number;
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId: string; DNSName: string; EvaluateTargetHealth: boolean };
  [field: string]: unknown;
}

export type Change = { Action: "CREATE" | "DELETE"; ResourceRecordSet: RecordSet };

/** `pulumi import --file`'s format (pulumi/pulumi pkg/cmd/pulumi/import.go, `importFile`). */
export interface ImportFile {
  nameTable: Record<string, string>;
  resources: {
    type: string;
    name: string;
    logicalName: string;
    id?: string;
    component?: true;
    parent: string;
  }[];
}

export interface AdoptionInput {
  /** Pulumi project name (Pulumi.yaml `name`). */
  project: string;
  /** The stack that adopts; its EksBlueprint is named after it (stacks/<stack>.ts). */
  stack: string;
  /** Its traffic args, with exactly one external peer: the old cluster. */
  traffic: TrafficArgs;
  /** Its gateway NLB (`pulumi stack output gatewayLoadBalancer --json`). */
  gateway: AliasTarget;
  /** Every record set of the zone (`aws route53 list-resource-record-sets`). */
  records: RecordSet[];
}

/** Route 53 answers names absolute and lowercase; alias names may carry `dualstack.`. */
const norm = (name: string) =>
  name
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^dualstack\./, "");

/** ExternalDNS's registry names for a hostname: the old format (the name) and `<type>-<name>`. */
const registryNames = (h: string) => [h, ...["a", "aaaa", "cname"].map((t) => `${t}-${h}`)];

const toChange = (r: WeightedRecordSpec): RecordSet => ({
  Name: r.name,
  Type: r.type,
  SetIdentifier: r.setIdentifier,
  Weight: r.weightedRoutingPolicies[0].weight,
  AliasTarget: {
    HostedZoneId: r.aliases[0].zoneId,
    DNSName: r.aliases[0].name,
    EvaluateTargetHealth: r.aliases[0].evaluateTargetHealth,
  },
});

/** The target a plain record serves, normalised, or a problem. */
function servedBy(r: RecordSet): string | undefined {
  if (r.AliasTarget) return norm(r.AliasTarget.DNSName);
  if (r.Type === "CNAME" && r.ResourceRecords?.length === 1)
    return norm(r.ResourceRecords[0].Value);
  return undefined;
}

export function adoption(i: AdoptionInput) {
  const problems: string[] = [];
  const peers = Object.entries(i.traffic.externalPeers ?? {});
  const component = `${i.stack}-traffic`;
  const importFile: ImportFile = {
    nameTable: {
      blueprint: `urn:pulumi:${i.stack}::${i.project}::eks-blueprint:index:EksBlueprint::${i.stack}`,
    },
    resources: [
      {
        type: "eks-blueprint:index:TrafficRecords",
        name: "traffic",
        logicalName: component,
        component: true,
        parent: "blueprint",
      },
    ],
  };
  const changes: Change[] = [];
  if (peers.length !== 1) {
    problems.push(
      `migration:externalPeers: ${peers.length} peers (got ${JSON.stringify(peers.map(([id]) => id))}); declare exactly the old cluster, with the weight it serves today`,
    );
  }
  if (i.traffic.weight !== 0) {
    problems.push(
      `migration:weight: not 0 (got ${i.traffic.weight}); adopt at 0, then move traffic by the canary (docs/migration.md, step 4)`,
    );
  }
  const [peerId, peer] = peers[0] ?? [];
  for (const h of i.traffic.hostnames) {
    const atName = i.records.filter((r) => norm(r.Name) === h);
    const plain = atName.filter((r) => !r.SetIdentifier && ["A", "AAAA", "CNAME"].includes(r.Type));
    if (plain.length !== 1 || plain[0].Type === "AAAA") {
      problems.push(
        `${h}: ${plain.length === 0 ? "no plain A or CNAME record" : `plain records ${plain.map((r) => r.Type).join(", ")}`} in the zone's record sets; adoption replaces exactly one plain A or CNAME record per hostname`,
      );
      continue;
    }
    const served = servedBy(plain[0]);
    if (peer && served !== norm(peer.alias.name)) {
      problems.push(
        `migration:externalPeers.${peerId}.alias.name: not what ${h} serves today (got ${JSON.stringify(peer.alias.name)}); use ${served ?? "the old load balancer's DNS name"}`,
      );
    }
    const txt = i.records.filter(
      (r) =>
        r.Type === "TXT" &&
        registryNames(h).includes(norm(r.Name)) &&
        (r.ResourceRecords ?? []).some((v) => v.Value.includes("heritage=external-dns")),
    );
    for (const r of [plain[0], ...txt]) changes.push({ Action: "DELETE", ResourceRecordSet: r });
    // Each weighted set as [peer, set identifier, weight, target]: the old cluster's first.
    const sets: [string | undefined, string, number, AliasTarget][] = [
      [undefined, i.traffic.setIdentifier, i.traffic.weight, i.gateway],
    ];
    if (peer && peerId) sets.unshift([peerId, peerId, peer.weight, peer.alias]);
    for (const [peerKey, setIdentifier, weight, target] of sets) {
      const spec = weightedRecordSpec(i.traffic.zoneId, h, setIdentifier, weight, target);
      const logicalName = weightedRecordName(component, h, peerKey);
      changes.push({ Action: "CREATE", ResourceRecordSet: toChange(spec) });
      importFile.resources.push({
        type: "aws:route53/record:Record",
        name: logicalName.replace(/[^A-Za-z0-9]+/g, "_"),
        logicalName,
        id: recordImportId(spec),
        parent: "traffic",
      });
    }
  }
  return {
    batch: {
      Comment: `${i.stack} adopts ${i.traffic.hostnames.join(", ")}: plain records to weighted sets`,
      Changes: changes,
    },
    importFile,
    problems,
  };
}
