// `npm run adopt -- <stack> --records <file> --gateway <file> --out <dir>`: the first move from a
// cluster no blueprint built (docs/migration.md, "Adopting a cluster no blueprint built"). Reads
// the stack's `migration:*` config, the zone's records (`aws route53 list-resource-record-sets
// --output json`), the gateway (`pulumi stack output gatewayLoadBalancer --json`); writes
// <dir>/change-batch.json, <dir>/import.json, prints the commands. On a problem: exit 1, no files.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readStackConfig, ROOT } from "../../synth/stack-files";
import { CliSpec, inputFile, parseArgs, runMain, stackFile, UsageError } from "../run/args";
import type { RecordSet } from "./adoption";

const SPEC: CliSpec = {
  usage:
    "usage: npm run adopt -- <stack> --records <records.json> --gateway <gateway.json> --out <dir>",
  values: ["--records", "--gateway", "--out"],
  positionals: [1, 1],
};

export function main(argv: string[], dir: string = ROOT): number {
  const args = parseArgs(argv, SPEC);
  const [records, gateway, out] = ["--records", "--gateway", "--out"].map((f) => args.value(f));
  const [stack] = args.positionals;
  if (!records || !gateway || !out) throw new UsageError(SPEC.usage);
  stackFile(dir, stack);
  // After the arguments: the config schema loads every component (0.6 s a usage error need not wait).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PROJECT } =
    require("../../stacks/config-schema") as typeof import("../../stacks/config-schema");
  const { parseMigrationConfig, trafficArgs } =
    require("../../stacks/migration-config") as typeof import("../../stacks/migration-config");
  const { adoption } = require("./adoption") as typeof import("./adoption");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const file = readStackConfig(stack, dir);
  const clusterName = file.config[`${PROJECT}:clusterName`] ?? `${PROJECT}-${stack}`;
  const traffic = trafficArgs(clusterName, parseMigrationConfig(file.config));
  if (!traffic) {
    console.error(
      `migration:hostnames: not set in Pulumi.${stack}.yaml; set the shared hostnames, migration:hostedZoneId and the old cluster under migration:externalPeers first`,
    );
    return 1;
  }
  const read = (f: string, what: string, make: string) =>
    JSON.parse(
      readFileSync(inputFile(f, what, `make it with \`${make} > ${f}\``), "utf8"),
    ) as unknown;
  const result = adoption({
    project: file.project,
    stack,
    traffic,
    gateway: read(
      gateway,
      "the new cluster's gateway load balancer",
      `pulumi stack output gatewayLoadBalancer --json -s ${stack}`,
    ) as { name: string; zoneId: string },
    records: (
      read(
        records,
        "the zone's records",
        `aws route53 list-resource-record-sets --hosted-zone-id ${traffic.zoneId} --output json`,
      ) as { ResourceRecordSets: RecordSet[] }
    ).ResourceRecordSets,
  });
  if (result.problems.length > 0) {
    console.error(result.problems.join("\n"));
    return 1;
  }
  mkdirSync(out, { recursive: true });
  const batchFile = path.join(out, "change-batch.json");
  const importFile = path.join(out, "import.json");
  writeFileSync(batchFile, `${JSON.stringify(result.batch, null, 2)}\n`);
  writeFileSync(importFile, `${JSON.stringify(result.importFile, null, 2)}\n`);
  console.log(
    [
      `aws route53 change-resource-record-sets --hosted-zone-id ${traffic.zoneId} --change-batch file://${batchFile}`,
      `pulumi import --file ${importFile} --protect=false --generate-code=false --yes -s ${stack}`,
    ].join("\n"),
  );
  return 0;
}

if (require.main === module) runMain(main);
