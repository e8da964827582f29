/**
 * The config keys this project reads, and the check that every key a stack sets in our
 * namespaces is one of them. The Pulumi CLI has no such check: it hands the program every key of
 * `Pulumi.<stack>.yaml`, so a typo such as `eks-blueprint:protected` would otherwise be ignored
 * and the stack deployed with the default it was meant to change.
 */
import { PROJECT, configSchema } from "./config-schema";
import { configError } from "./errors";
import { configValue } from "./validators";
import { MIGRATION_NAMESPACE, migrationSchema } from "./migration-config";
import { isOneOf } from "../components/problems";

/** Config namespaces that belong to this project; `aws:` and other providers' keys are theirs. */
export const OUR_NAMESPACES = [PROJECT, MIGRATION_NAMESPACE] as const;

/** Keys that hold secrets: set with `pulumi config set --secret`. */
export const SECRET_CONFIG_KEYS: readonly string[] = [`${PROJECT}:grafanaAdminPassword`];

/**
 * Every key of our namespaces the stack config reader takes, qualified and sorted
 * (`eks-blueprint:protect`, `migration:weight`). `aws:region` is read too, but the `aws`
 * namespace is the provider's.
 */
export function knownConfigKeys(): string[] {
  const fields = Object.keys(configSchema.shape).filter((k) => k !== "region");
  return [
    ...fields.map((k) => `${PROJECT}:${k}`),
    ...Object.keys(migrationSchema.shape).map((k) => `${MIGRATION_NAMESPACE}:${k}`),
  ].sort();
}

/** Edit distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length];
}

/**
 * The known key closest to `key` by edit distance (ties: the first in sorted order), compared
 * case-insensitively; undefined when `key` is not in one of our namespaces.
 */
export function closestKey(key: string): string | undefined {
  const namespace = key.slice(0, key.indexOf(":"));
  if (!isOneOf(OUR_NAMESPACES, namespace)) return undefined;
  let best: { key: string; distance: number } | undefined;
  for (const known of knownConfigKeys()) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (!best || distance < best.distance) best = { key: known, distance };
  }
  return best?.key;
}

/** Whether a qualified key lies in one of our namespaces (`eks-blueprint:…`, `migration:…`). */
export const isOurKey = (key: string): boolean =>
  OUR_NAMESPACES.some((ns) => key.startsWith(`${ns}:`));

/** Keys a stack file may still hold from an earlier version, and what to write instead. */
const MOVED_KEYS: Record<string, string> = {
  [`${PROJECT}:autoscaler`]: `select Karpenter as ${PROJECT}:addons.karpenter (cluster-autoscaler is then off), or remove the key for cluster-autoscaler`,
  ...Object.fromEntries(
    ["metricsServer", "efs", "containerInsights", "karpenter"].map((k) => [
      `${PROJECT}:${k}`,
      `set it as ${PROJECT}:addons.${k} (\`pulumi config set --path '${PROJECT}:addons.${k}.<setting>' <value>\`)`,
    ]),
  ),
};

/**
 * One problem per key of our namespaces that the project does not read, naming the closest
 * valid key and listing the valid keys of that namespace:
 * `eks-blueprint:protected: unknown key (got true); did you mean eks-blueprint:protect? Valid keys: …`.
 * `config` is the full flat config (`namespace:key` → string), as `pulumi.runtime.allConfig()` gives it.
 */
export function unknownKeyProblems(config: Record<string, string | undefined>): string[] {
  const known = knownConfigKeys();
  return Object.keys(config)
    .filter((key) => isOurKey(key) && !known.includes(key))
    .sort()
    .map((key) => {
      const namespace = key.slice(0, key.indexOf(":") + 1);
      const valid = known.filter((k) => k.startsWith(namespace)).join(", ");
      if (MOVED_KEYS[key])
        return configError(key, "moved", configValue(config[key]), MOVED_KEYS[key]);
      return configError(
        key,
        "unknown key",
        configValue(config[key]),
        `did you mean ${closestKey(key)}? Valid keys: ${valid}`,
      );
    });
}

/**
 * The config key a stack user types for a BlueprintArgs path, so a component's problem reads in
 * stack words: `nodeGroups.general.minSize` → `eks-blueprint:nodeGroups.general.minSize`,
 * `network.cidrBlock` → `eks-blueprint:vpcCidr`, `network.availabilityZones` →
 * `eks-blueprint:availabilityZones`, `region` → `aws:region`.
 */
export function configKeyOf(path: string): string {
  if (path === "region") return "aws:region";
  if (path === "network.cidrBlock") return `${PROJECT}:vpcCidr`;
  return `${PROJECT}:${path.replace(/^network\./, "")}`;
}
