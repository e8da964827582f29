import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { BlueprintArgs } from "../components/blueprint/blueprint";
import { blueprintProblems } from "../components/blueprint/blueprint-problems";
import { withGitOpsFacts } from "../components/addons/argocd/argocd";
import { migrationGitOpsFacts } from "./workload-config";
import { AddonSecrets, addonsConfigProblems, toAddonSelection } from "./addons-config";
import { configKeyOf, knownConfigKeys, unknownKeyProblems } from "./config-keys";
import { configSchema, PROJECT, StackConfig } from "./config-schema";
import { configValue } from "./validators";
import { configError, ConfigValidationError, zodProblems } from "./errors";
import {
  MIGRATION_NAMESPACE,
  MigrationSettings,
  ownsSingleton,
  readMigrationConfig,
  singletonReferenceProblems,
  trafficArgs,
} from "./migration-config";
import { singletonNamespaceProblems } from "./namespace-refs";
import { isRecord } from "../components/problems";

export { configSchema, PROJECT } from "./config-schema";

/** Entries that name a singleton, by config key, for the migration checks. */
function singletonRefs(c: StackConfig) {
  const refs: Record<string, { singleton: string; namespace: string }> = {};
  for (const [key, entries] of [
    ["irsaRoles", c.irsaRoles],
    ["podSecurityGroups", c.podSecurityGroups],
  ] as const) {
    for (const [name, e] of Object.entries(entries)) {
      if (e.singleton)
        refs[`${PROJECT}:${key}.${name}`] = { singleton: e.singleton, namespace: e.namespace };
    }
  }
  return refs;
}

/** A singleton runs in one cluster only: the stack that does not own it gets nothing for it. */
function ownedOnly<T extends { singleton?: string }>(
  m: MigrationSettings,
  entries: Record<string, T>,
) {
  return Object.fromEntries(
    Object.entries(entries).filter(([, e]) => !e.singleton || ownsSingleton(m, e.singleton)),
  );
}

/** Every value of the schema's keys, as the user wrote it. */
const readRaw = (get: (key: string) => string | undefined): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(configSchema.shape).map(([field, schema]) => [
      field,
      configValue(get(configKeyOf(field)), schema),
    ]),
  );

/** Only the `migration:*` keys the project reads: unknown ones are reported by unknownKeyProblems. */
const migrationKeys = (config: Record<string, string | undefined>) =>
  Object.fromEntries(
    knownConfigKeys()
      .filter((k) => k.startsWith(`${MIGRATION_NAMESPACE}:`))
      .map((k) => [k, config[k]]),
  );

/** Every problem with the config, or the parsed pieces when there is none. */
function checkStackConfig(stack: string, config: Record<string, string | undefined>) {
  const get = (key: string) => config[key];
  const problems = unknownKeyProblems(config);
  const raw = readRaw(get);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, ...rest] = issue.path;
      const sub = new z.ZodError([{ ...issue, path: rest }]);
      problems.push(...zodProblems(configKeyOf(String(top)), raw[String(top)], sub));
    }
  }
  problems.push(...addonsConfigProblems(raw.addons));
  const migration = readMigrationConfig(migrationKeys(config));
  problems.push(...migration.problems);
  if (parsed.success && migration.settings) {
    problems.push(...singletonReferenceProblems(migration.settings, singletonRefs(parsed.data)));
  }
  const istio = isRecord(raw.addons) ? raw.addons.istio : undefined;
  if (migration.settings?.hostnames.length && (!isRecord(istio) || istio.enabled === false)) {
    // The weighted records alias the Istio gateway's load balancer (components/traffic/traffic-records.ts).
    problems.push(
      configError(
        `${MIGRATION_NAMESPACE}:hostnames`,
        `set, but ${PROJECT}:addons.istio is off: the weighted records alias its gateway's load balancer`,
        migration.settings.hostnames,
        `turn ${PROJECT}:addons.istio on, or remove the hostnames`,
      ),
    );
  }
  if (parsed.success) {
    // The checks EksBlueprint makes for library users, worded with the config keys: every entry,
    // owned singleton or not, is checked.
    // With the add-ons, so the teams' mesh checks see whether Istio is installed.
    const args = {
      ...blueprintArgs(stack, parsed.data),
      addons: toAddonSelection(parsed.data.addons),
    };
    problems.push(...blueprintProblems(args, configKeyOf));
    if (migration.settings) {
      problems.push(...singletonNamespaceProblems(migration.settings.singletons, args));
    }
  }
  if (problems.length > 0 || !parsed.success || !migration.settings) {
    throw new ConfigValidationError(problems);
  }
  return { c: parsed.data, m: migration.settings };
}

/**
 * The blueprint's args from parsed config, before the singleton filter and the add-ons. Values
 * whose shape the schema read but whose content it leaves to the components (`natGateways`, a
 * taint's effect) are typed here as the components take them; `blueprintProblems` checks them.
 */
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
    nodeGroups: c.nodeGroups,
    fargateProfiles: c.fargateProfiles,
    irsaRoles: c.irsaRoles,
    podSecurityGroups: c.podSecurityGroups,
    podSecurityGroupEnforcingMode: c.podSecurityGroupEnforcingMode,
    workloadNamespaces: c.workloadNamespaces,
    teams: c.teams,
    protect: c.protect,
    tags: { ...c.tags, "eks-blueprint:stack": stack },
  };
}

/**
 * Validates a stack's config and returns the blueprint's typed args, or throws one
 * ConfigValidationError listing every problem, before any resource exists. `config` is the full
 * flat config (`namespace:key` → string, objects as JSON), as `pulumi.runtime.allConfig()` gives
 * it: every key of our namespaces is looked at, so a misspelt one is an error, not ignored.
 */
export function parseStackConfig(
  stack: string,
  config: Record<string, string | undefined>,
  secrets: AddonSecrets = {},
): BlueprintArgs {
  const { c, m } = checkStackConfig(stack, config);
  const clusterName = c.clusterName ?? `${PROJECT}-${stack}`;
  const addons = withGitOpsFacts(toAddonSelection(c.addons, secrets), migrationGitOpsFacts(m));
  // EksBlueprint refuses traffic without Istio (blueprintTrafficProblems), in its own paths.
  const traffic = trafficArgs(clusterName, m);
  return {
    ...blueprintArgs(stack, c),
    irsaRoles: ownedOnly(m, c.irsaRoles),
    podSecurityGroups: ownedOnly(m, c.podSecurityGroups),
    addons,
    ...(traffic ? { traffic } : {}),
  };
}

/** Reads the current stack's config through Pulumi (the language host's values). */
export function loadStackConfig(stack: string = pulumi.getStack()): BlueprintArgs {
  const all = pulumi.runtime.allConfig();
  const grafanaKey = `${PROJECT}:grafanaAdminPassword`;
  const grafanaAdminPassword =
    all[grafanaKey] === undefined ? undefined : pulumi.secret(all[grafanaKey]);
  return parseStackConfig(stack, all, { grafanaAdminPassword });
}
