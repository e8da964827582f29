// `node dist/tools/workflows/check-addon-versions.js [--print]`: exits non-zero when EKS no longer
// offers a pin of `eksAddonVersions` (components/addons/catalog.ts) for its Kubernetes minor. Needs
// the aws CLI with EKS read access (.github/workflows/addon-versions.yml, weekly); `--print` just
// lists the commands, for someone without credentials.
import { execFileSync } from "node:child_process";
import {
  eksAddonNames,
  eksAddonVersions,
  type EksAddonVersions,
} from "../../components/addons/catalog";
import { parseArgs } from "../run/args";

/** Every pin of the catalog, minor by minor, in the catalog's order. */
export function addonPins() {
  return Object.entries(eksAddonVersions).flatMap(([minor, pinned]) =>
    (Object.keys(pinned) as (keyof EksAddonVersions)[]).map((key) => ({
      minor,
      key,
      /** The EKS add-on name, as `--addon-name` takes it. */
      addonName: eksAddonNames[key],
      version: pinned[key],
    })),
  );
}

/** One pinned add-on version for one Kubernetes minor. */
type AddonPin = ReturnType<typeof addonPins>[number];

/** The aws CLI arguments that list what EKS offers for one pin. */
export const describeArgs = (pin: AddonPin): string[] => [
  ...["eks", "describe-addon-versions", "--kubernetes-version", pin.minor],
  ...["--addon-name", pin.addonName, "--output", "json"],
];

/** What we read of `describe-addon-versions` (EKS API reference, DescribeAddonVersions). */
interface DescribeAddonVersions {
  addons?: {
    addonName?: string;
    addonVersions?: {
      addonVersion?: string;
      compatibilities?: { clusterVersion?: string }[];
    }[];
  }[];
}

/** The versions of `addonName` that an answer says are compatible with `minor`. */
export function offeredVersions(answer: unknown, addonName: string, minor: string): string[] {
  return ((answer as DescribeAddonVersions).addons ?? [])
    .filter((a) => a.addonName === addonName)
    .flatMap((a) => a.addonVersions ?? [])
    .filter((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === minor))
    .map((v) => v.addonVersion)
    .filter((v): v is string => typeof v === "string");
}

/** What is wrong with one pin given EKS's answer, or undefined when EKS offers it. */
export function pinProblem(pin: AddonPin, answer: unknown): string | undefined {
  const offered = offeredVersions(answer, pin.addonName, pin.minor);
  if (offered.includes(pin.version)) return undefined;
  const newest = offered.slice(0, 3).map((v) => JSON.stringify(v));
  return `eksAddonVersions["${pin.minor}"].${pin.key}: EKS does not offer ${pin.addonName} at this version for Kubernetes ${pin.minor} (got ${JSON.stringify(pin.version)}); ${newest.length ? `offered include ${newest.join(", ")}` : "EKS offers no version of it for this minor"}`;
}

export function main(argv: string[] = process.argv.slice(2)): number {
  const usage = "usage: node dist/tools/workflows/check-addon-versions.js [--print]";
  const args = parseArgs(argv, { usage, switches: ["--print"] });
  const pins = addonPins();
  if (args.has("--print")) {
    for (const pin of pins) process.stdout.write(`aws ${describeArgs(pin).join(" ")}\n`);
    return 0;
  }
  const problems: string[] = [];
  for (const pin of pins) {
    const answer = execFileSync("aws", describeArgs(pin), { encoding: "utf8" });
    const p = pinProblem(pin, JSON.parse(answer));
    if (p) problems.push(p);
    process.stdout.write(
      `${p ? "NOT OFFERED" : "offered"}  ${pin.minor} ${pin.addonName} ${pin.version}\n`,
    );
  }
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stdout.write(
    `check-addon-versions: ${problems.length} of ${pins.length} pin(s) not offered\n`,
  );
  return problems.length ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    process.stderr.write(`check-addon-versions: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
