import * as pulumi from "@pulumi/pulumi";
import type { BlueprintArgs } from "../components/blueprint/blueprint";
import { blueprintProblems } from "../components/blueprint/blueprint-problems";
import { withGitOpsFacts } from "../components/addons/argocd/argocd";
import { migrationGitOpsFacts } from "./workload-config";
import { AddonSecrets, addonsConfigProblems, toAddonSelection } from "./addons-config";
import { addonSettingsProblems, bundlePaths } from "../components/addons/selection";
import { UNDECLARED_NAMESPACE } from "../components/teams/namespace";
import { configKeyOf, knownConfigKeys, unknownKeyProblems } from "./config-keys";
import { configSchema, PROJECT, StackConfig } from "./config-schema";
import { configValue } from "./validators";
import { ConfigValidationError } from "./errors";
import {
  MIGRATION_NAMESPACE,
  MigrationSettings,
  ownsSingleton,
  readMigrationConfig,
  singletonReferenceProblems,
  trafficArgs,
} from "./migration-config";
import { singletonNamespaceProblems } from "./namespace-refs";
import { isRecord, keysOf, problemIf } from "../components/problems";
import { isCutAway, readKey, within } from "./config-read";
import { stackNames } from "./stack-names";

/** Entries that name a singleton, by config key, for the migration checks. */
const singletonRefs = (c: StackConfig) =>
  Object.fromEntries(
    (["irsaRoles", "podSecurityGroups"] as const).flatMap((key) =>
      Object.entries(c[key]).flatMap(([name, { singleton, namespace }]) =>
        singleton ? [[`${PROJECT}:${key}.${name}`, { singleton, namespace }] as const] : [],
      ),
    ),
  );

/** A singleton runs in one cluster only: the stack that does not own it gets nothing for it. */
function ownedOnly<T extends { singleton?: string }>(
  m: MigrationSettings,
  entries: Record<string, T>,
) {
  return Object.fromEntries(
    Object.entries(entries).filter(([, e]) => !e.singleton || ownsSingleton(m, e.singleton)),
  );
}

const readRaw = (config: Record<string, string | undefined>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(configSchema.shape).map(([field, schema]) => [
      field,
      configValue(config[configKeyOf(field)], schema),
    ]),
  );

/** The `migration:*` keys the project reads; unknownKeyProblems reports the others. */
const migrationKeys = (config: Record<string, string | undefined>) =>
  Object.fromEntries(
    knownConfigKeys()
      .filter((k) => k.startsWith(`${MIGRATION_NAMESPACE}:`))
      .map((k) => [k, config[k]]),
  );

/**
 * Stand-ins for required keys that do not read, so the components still check the rest; the
 * components' problems with them are cut away (config-read.ts). No check reads the region.
 */
const STAND_INS: Partial<Record<keyof StackConfig, unknown>> = {
  region: "us-east-1",
  kubernetesVersion: "",
  vpcCidr: "",
  nodeGroups: {},
};

/** Each key read on its own (config-read.ts): the schema's problems, and all of it that reads. */
function readConfig(raw: Record<string, unknown>) {
  const readings = keysOf(configSchema.shape).map((field) => {
    const reading = readKey(configKeyOf(field), configSchema.shape[field], raw[field]);
    return { field, ...reading, value: reading.value ?? STAND_INS[field] };
  });
  const readable = configSchema.safeParse(
    Object.fromEntries(readings.map(({ field, value }) => [field, value])),
  );
  return {
    problems: readings.flatMap((r) => r.problems),
    cuts: readings.flatMap((r) => r.cuts),
    readable: readable.data,
  };
}

/** Every problem with the config, or the parsed pieces when there is none. */
function checkStackConfig(
  stack: string,
  config: Record<string, string | undefined>,
  stacks: readonly string[],
) {
  const raw = readRaw(config);
  const { problems: schemaProblems, cuts, readable } = readConfig(raw);
  const addonProblems = addonsConfigProblems(raw.addons);
  // An add-on whose settings are refused counts as set aside: checks that name it are left out.
  // How add-ons relate (off, but another needs it) refuses nothing, so it cuts nothing away.
  const refused = isRecord(raw.addons)
    ? addonSettingsProblems(raw.addons, (field) => configKeyOf(bundlePaths(field)))
    : [];
  cuts.push(...refused.map((p) => p.slice(0, p.indexOf(": "))));
  const problems = [...unknownKeyProblems(config), ...schemaProblems, ...addonProblems];
  const migration = readMigrationConfig(migrationKeys(config), { stack, stacks });
  problems.push(...migration.problems);
  // With teams or workloadNamespaces unread, what they declare is unknown: no reference is judged.
  const declaring = [configKeyOf("teams"), configKeyOf("workloadNamespaces")];
  const undeclaredUnknown = cuts.some((c) => declaring.some((d) => within(c, d)));
  const judged = (p: string) =>
    !isCutAway(p, cuts) && !(undeclaredUnknown && p.includes(`: ${UNDECLARED_NAMESPACE} (`));
  const checked = (found: string[]) => problems.push(...found.filter(judged));
  if (readable && migration.settings) {
    checked(singletonReferenceProblems(migration.settings, singletonRefs(readable)));
  }
  const istio = isRecord(raw.addons) ? raw.addons.istio : undefined;
  checked(
    problemIf(
      !!migration.settings?.hostnames.length && (!isRecord(istio) || istio.enabled === false),
      `${MIGRATION_NAMESPACE}:hostnames`,
      `set, but ${PROJECT}:addons.istio is off: the weighted records alias its gateway's load balancer`,
      migration.settings?.hostnames,
      `turn ${PROJECT}:addons.istio on, or remove the hostnames`,
    ),
  );
  if (readable) {
    // EksBlueprint's checks, on every entry and with the add-ons (teams' mesh checks need Istio),
    // on all that reads: in one run with the schema's problems, less those about its cut parts.
    const args = { ...blueprintArgs(stack, readable), addons: toAddonSelection(readable.addons) };
    checked(blueprintProblems(args, configKeyOf));
    if (migration.settings) {
      checked(singletonNamespaceProblems(migration.settings.singletons, args));
    }
  }
  if (problems.length > 0 || !readable || !migration.settings) {
    throw new ConfigValidationError(problems);
  }
  return { c: readable, m: migration.settings };
}

// Blueprint args from parsed config, before the singleton filter and add-ons. Values the schema
// leaves to the components (`natGateways`, taint effects) are typed here; blueprintProblems checks.
function blueprintArgs(stack: string, c: StackConfig): BlueprintArgs {
  return {
    clusterName: c.clusterName ?? `${PROJECT}-${stack}`,
    kubernetesVersion: c.kubernetesVersion,
    region: c.region,
    network: {
      cidrBlock: c.vpcCidr,
      availabilityZones: c.availabilityZones,
      natGateways: c.natGateways,
    },
    endpointPublicAccessCidrs: c.endpointPublicAccessCidrs,
    adminRoleArns: c.adminRoleArns,
    logRetentionDays: c.logRetentionDays,
    keepPulumiEksSecurityGroups: c.keepPulumiEksSecurityGroups,
    nodeGroups: c.nodeGroups,
    fargateProfiles: c.fargateProfiles,
    irsaRoles: c.irsaRoles,
    podSecurityGroups: c.podSecurityGroups,
    podSecurityGroupEnforcingMode: c.podSecurityGroupEnforcingMode,
    workloadNamespaces: c.workloadNamespaces,
    teams: c.teams,
    protect: c.protect,
    tags: { ...c.tags, "eks-blueprint:stack": stack },
    ...(c.drills ? { drills: c.drills } : {}),
  };
}

/**
 * The blueprint's args from the flat config (`pulumi.runtime.allConfig()`: `ns:key` → string or
 * JSON), or one ConfigValidationError with every problem, misspelt keys too, before any resource.
 * `stacks`: the project's stacks, which `migration:peers` may name (stacks/stack-names.ts).
 */
export function parseStackConfig(
  stack: string,
  config: Record<string, string | undefined>,
  secrets: AddonSecrets = {},
  stacks: readonly string[] = stackNames(),
): BlueprintArgs {
  const { c, m } = checkStackConfig(stack, config, stacks);
  const args = blueprintArgs(stack, c);
  const addons = withGitOpsFacts(toAddonSelection(c.addons, secrets), migrationGitOpsFacts(m));
  // EksBlueprint refuses traffic without Istio (blueprintTrafficProblems), in its own paths.
  const traffic = trafficArgs(args.clusterName, m);
  return {
    ...args,
    irsaRoles: ownedOnly(m, c.irsaRoles),
    podSecurityGroups: ownedOnly(m, c.podSecurityGroups),
    addons,
    ...(traffic ? { traffic } : {}),
  };
}

/** Reads the current stack's config through Pulumi (the language host's values). */
export function loadStackConfig(stack: string, stacks: readonly string[]): BlueprintArgs {
  const all = pulumi.runtime.allConfig();
  const password = all[`${PROJECT}:grafanaAdminPassword`];
  const grafanaAdminPassword = password === undefined ? undefined : pulumi.secret(password);
  return parseStackConfig(stack, all, { grafanaAdminPassword }, stacks);
}
