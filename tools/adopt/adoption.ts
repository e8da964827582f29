/**
 * Adopting a cluster no blueprint built: its plain records serve production, and a weighted record
 * cannot sit beside a plain one of the same name and type. One ChangeResourceRecordSets batch
 * deletes each plain record (and the old ExternalDNS's ownership TXT records of that name) and
 * creates the two weighted records, the old side's and this stack's. Route 53 applies a batch all
 * or nothing, so the name never answers with nothing, and a DELETE whose values differ from the
 * record's cancels the whole batch (API_ChangeResourceRecordSets: "Change batches are considered
 * transactional changes"; "To delete a resource record set, you must specify all the same values
 * that you specified when you created it"): the DELETEs copy the records exactly as Route 53
 * listed them. The weighted records are then imported into the stack that owns them.
 */
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

export interface Change {
  Action: "CREATE" | "DELETE";
  ResourceRecordSet: RecordSet;
}

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

export interface Adoption {
  batch: { Comment: string; Changes: Change[] };
  importFile: ImportFile;
  problems: string[];
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

export function adoption(i: AdoptionInput): Adoption {
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
    changes.push(
      { Action: "DELETE", ResourceRecordSet: plain[0] },
      ...txt.map((r): Change => ({ Action: "DELETE", ResourceRecordSet: r })),
    );
    const own = weightedRecordSpec(
      i.traffic.zoneId,
      h,
      i.traffic.setIdentifier,
      i.traffic.weight,
      i.gateway,
    );
    const members: [string, WeightedRecordSpec, string | undefined][] = [
      [weightedRecordName(component, h), own, undefined],
    ];
    if (peer && peerId) {
      const old = weightedRecordSpec(i.traffic.zoneId, h, peerId, peer.weight, peer.alias);
      members.unshift([weightedRecordName(component, h, peerId), old, peerId]);
    }
    for (const [logicalName, spec] of members) {
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
