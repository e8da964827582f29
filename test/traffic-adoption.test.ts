// The first move from a cluster no blueprint built: one atomic change batch from the zone's record
// sets as Route 53 lists them (test/fixtures/adoption/records.json), and the import file whose
// records land exactly where the program registers them.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { adoption, RecordSet } from "../tools/adopt/adoption";
import { main } from "../tools/adopt/main";
import { UsageError } from "../tools/run/args";
import { stringify } from "yaml";
import { ROOT } from "../synth/stack-files";
import { committedConfig, synthStackWith } from "./stack-harness";
import { printed } from "./printed";

const records = (
  JSON.parse(
    readFileSync(path.join(__dirname, "fixtures", "adoption", "records.json"), "utf8"),
  ) as { ResourceRecordSets: RecordSet[] }
).ResourceRecordSets;
const OLD_ELB = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6-0123456789abcdef.elb.us-west-2.amazonaws.com";
const legacy = { weight: 100, alias: { name: OLD_ELB, zoneId: "Z1H1FL5HABSF5" } };
const gateway = {
  name: "k8s-istioing-istioing-0a1b2c3d4e-0123456789abcdef.elb.us-west-2.amazonaws.com",
  zoneId: "Z18D5FSROUN65G",
};
const traffic = {
  zoneId: "Z0123456789EXAMPLE",
  hostnames: ["www.example.com", "api.example.com"],
  setIdentifier: "eks-blueprint-prod2",
  weight: 0,
  externalPeers: { legacy },
};
const input = { project: "eks-blueprint", stack: "prod2", traffic, gateway, records };
const weighted = (h: string, id: string, weight: number, t: { name: string; zoneId: string }) => ({
  Action: "CREATE",
  ResourceRecordSet: {
    Name: h,
    Type: "A",
    SetIdentifier: id,
    Weight: weight,
    AliasTarget: { HostedZoneId: t.zoneId, DNSName: t.name, EvaluateTargetHealth: true },
  },
});
const at = (name: string, type: string) => records.find((r) => r.Name === name && r.Type === type)!;

test("one batch: each plain record and its ExternalDNS ownership TXT deleted as listed, two weighted records created", () => {
  const { batch, problems } = adoption(input);
  expect(problems).toEqual([]);
  expect(batch).toEqual({
    Comment: "prod2 adopts www.example.com, api.example.com: plain records to weighted sets",
    Changes: [
      { Action: "DELETE", ResourceRecordSet: at("www.example.com.", "A") },
      { Action: "DELETE", ResourceRecordSet: at("cname-www.example.com.", "TXT") },
      weighted("www.example.com", "legacy", 100, legacy.alias),
      weighted("www.example.com", "eks-blueprint-prod2", 0, gateway),
      { Action: "DELETE", ResourceRecordSet: at("api.example.com.", "CNAME") },
      { Action: "DELETE", ResourceRecordSet: at("api.example.com.", "TXT") },
      { Action: "DELETE", ResourceRecordSet: at("cname-api.example.com.", "TXT") },
      weighted("api.example.com", "legacy", 100, legacy.alias),
      weighted("api.example.com", "eks-blueprint-prod2", 0, gateway),
    ],
  });
});

test.each([
  [
    { ...input, traffic: { ...traffic, externalPeers: {} } },
    "migration:externalPeers: 0 peers (got []); declare exactly the old cluster, with the weight it serves today",
  ],
  [
    { ...input, traffic: { ...traffic, weight: 1 } },
    "migration:weight: not 0 (got 1); adopt at 0, then move traffic by the canary (docs/migration.md, step 4)",
  ],
  [
    { ...input, traffic: { ...traffic, hostnames: ["status.example.com"] } },
    'migration:externalPeers.legacy.alias.name: not what status.example.com serves today (got "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6-0123456789abcdef.elb.us-west-2.amazonaws.com"); use example.statuspage.io',
  ],
  [
    { ...input, traffic: { ...traffic, hostnames: ["shop.example.com"] } },
    "shop.example.com: no plain A or CNAME record in the zone's record sets; adoption replaces exactly one plain A or CNAME record per hostname",
  ],
])("refused: %#", (i, message) => {
  expect(adoption(i).problems).toEqual([message]);
});

test("the import file puts each record where prod2's program registers it", async () => {
  const { importFile } = adoption(input);
  expect(importFile.nameTable).toEqual({
    blueprint: "urn:pulumi:prod2::eks-blueprint::eks-blueprint:index:EksBlueprint::prod2",
  });
  expect(importFile.resources.map((r) => [r.logicalName, r.id ?? "(component)", r.parent])).toEqual(
    [
      ["prod2-traffic", "(component)", "blueprint"],
      [
        "prod2-traffic-legacy-www.example.com",
        "Z0123456789EXAMPLE_www.example.com_A_legacy",
        "traffic",
      ],
      [
        "prod2-traffic-www.example.com",
        "Z0123456789EXAMPLE_www.example.com_A_eks-blueprint-prod2",
        "traffic",
      ],
      [
        "prod2-traffic-legacy-api.example.com",
        "Z0123456789EXAMPLE_api.example.com_A_legacy",
        "traffic",
      ],
      [
        "prod2-traffic-api.example.com",
        "Z0123456789EXAMPLE_api.example.com_A_eks-blueprint-prod2",
        "traffic",
      ],
    ],
  );
  // prod2 with the peer declared: the same names under the same parents, and the same inputs.
  const synth = await synthStackWith("prod2", (c) => (c["migration:externalPeers"] = { legacy }));
  const parentOf = (type: string, name: string) =>
    synth.resources.find((r) => r.type === type && r.name === name)?.parent;
  for (const r of importFile.resources.slice(1)) {
    expect([r.logicalName, parentOf(r.type, r.logicalName)]).toEqual([
      r.logicalName,
      "eks-blueprint:index:TrafficRecords::prod2-traffic",
    ]);
  }
  expect(parentOf("eks-blueprint:index:TrafficRecords", "prod2-traffic")).toBe(
    "eks-blueprint:index:EksBlueprint::prod2",
  );
  expect(parentOf("eks-blueprint:index:EksBlueprint", "prod2")).toBeNull();
  const peerRecord = synth.resources.find((r) => r.name === "prod2-traffic-legacy-www.example.com");
  expect(peerRecord?.inputs).toEqual({
    zoneId: "Z0123456789EXAMPLE",
    name: "www.example.com",
    type: "A",
    setIdentifier: "legacy",
    weightedRoutingPolicies: [{ weight: 100 }],
    aliases: [{ name: OLD_ELB, zoneId: "Z1H1FL5HABSF5", evaluateTargetHealth: true }],
  });
});

test("the CLI writes both files and prints the two commands; refused or without inputs it writes nothing", () => {
  const out = mkdtempSync(path.join(tmpdir(), "adopt-"));
  const gatewayFile = path.join(out, "gateway.json");
  writeFileSync(gatewayFile, JSON.stringify(gateway));
  const recordsFile = path.join(__dirname, "fixtures", "adoption", "records.json");
  // prod2 as the runbook's adoption block leaves it: the old cluster declared as its one peer.
  const dir = mkdtempSync(path.join(tmpdir(), "adopt-stack-"));
  writeFileSync(path.join(dir, "Pulumi.yaml"), readFileSync(path.join(ROOT, "Pulumi.yaml")));
  const config = { ...committedConfig("prod2"), "migration:externalPeers": { legacy } };
  writeFileSync(path.join(dir, "Pulumi.prod2.yaml"), stringify({ config }));
  const { logs, errors } = printed(() => {
    const args = ["prod2", "--records", recordsFile, "--gateway", gatewayFile, "--out", out];
    expect(main(args, dir)).toBe(0);
    // The committed prod2 declares no peer: refused, naming the key.
    expect(main(args)).toBe(1);
    // A UsageError (toThrow compares the class too): runMain prints the message, exit 2.
    expect(() => main(["prod2"])).toThrow(
      new UsageError(
        "usage: npm run adopt -- <stack> --records <records.json> --gateway <gateway.json> --out <dir>",
      ),
    );
  });
  expect(logs).toEqual([
    `aws route53 change-resource-record-sets --hosted-zone-id Z0123456789EXAMPLE --change-batch file://${out}/change-batch.json\npulumi import --file ${out}/import.json --protect=false --generate-code=false --yes -s prod2`,
  ]);
  expect(errors).toEqual([
    "migration:externalPeers: 0 peers (got []); declare exactly the old cluster, with the weight it serves today",
  ]);
  const written = JSON.parse(readFileSync(path.join(out, "change-batch.json"), "utf8")) as {
    Changes: { Action: string }[];
  };
  expect(written.Changes.map((c) => c.Action)).toEqual([
    "DELETE",
    "DELETE",
    "CREATE",
    "CREATE",
    "DELETE",
    "DELETE",
    "DELETE",
    "CREATE",
    "CREATE",
  ]);
});
