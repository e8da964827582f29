// The config keys we read. The Pulumi CLI passes every key of `Pulumi.<stack>.yaml` unchecked, so a
// typo such as `eks-blueprint:protected` would deploy the default it meant to change: we refuse it.
import { PROJECT, configSchema } from "./config-schema";
import { configValue } from "./validators";
import { MIGRATION_NAMESPACE, migrationSchema } from "./migration-config";
import { editDistance, isOneOf, problem } from "../components/problems";

/** Config namespaces that belong to this project; `aws:` and other providers' keys are theirs. */
export const OUR_NAMESPACES = [PROJECT, MIGRATION_NAMESPACE] as const;

/** Keys that hold secrets: set with `pulumi config set --secret`. */
export const SECRET_CONFIG_KEYS: readonly string[] = [`${PROJECT}:grafanaAdminPassword`];

/** Our namespaces' keys, qualified and sorted; `aws:region` is read too but is the provider's. */
export function knownConfigKeys(): string[] {
  const fields = Object.keys(configSchema.shape).filter((k) => k !== "region");
  return [
    ...fields.map((k) => `${PROJECT}:${k}`),
    ...Object.keys(migrationSchema.shape).map((k) => `${MIGRATION_NAMESPACE}:${k}`),
  ].sort();
}

/** Nearest known key, case-insensitive (ties: first sorted); undefined outside our namespaces. */
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

/** A problem per unread key of our namespaces in the flat config, naming the closest valid key. */
/** Keys of our namespaces the program does not read. */
export const unknownKeys = (config: Record<string, unknown>): string[] =>
  Object.keys(config).filter((key) => isOurKey(key) && !knownConfigKeys().includes(key));

export function unknownKeyProblems(config: Record<string, string | undefined>): string[] {
  const known = knownConfigKeys();
  return unknownKeys(config)
    .sort()
    .map((key) => {
      const namespace = key.slice(0, key.indexOf(":") + 1);
      const valid = known.filter((k) => k.startsWith(namespace)).join(", ");
      const [what, fix] = MOVED_KEYS[key]
        ? ["moved", MOVED_KEYS[key]]
        : ["unknown key", `did you mean ${closestKey(key)}? Valid keys: ${valid}`];
      return problem(key, what, configValue(config[key]), fix);
    });
}

/** The stack config key of a BlueprintArgs path, so a component's problem reads in stack words. */
export function configKeyOf(path: string): string {
  if (path === "region") return "aws:region";
  if (path === "network.cidrBlock") return `${PROJECT}:vpcCidr`;
  return `${PROJECT}:${path.replace(/^network\./, "")}`;
}
