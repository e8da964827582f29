import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { BlueprintArgs } from "../components/blueprint";
import { SUPPORTED_KUBERNETES_MINORS } from "../components/kubernetes-versions";
import { ConfigValidationError, zodProblems } from "./errors";
import { fargateProfilesSchema, nodeGroupsSchema } from "./node-groups-config";
import { logRetentionDays, publicAccessCidr, roleArn, vpcCidr } from "./validators";
import { irsaRolesSchema } from "./workload-config";
import { addonsConfigSchema, AddonSecrets, toAddonSelection } from "./addons-config";
import { parseDay2Config } from "./day2-config";
import {
  MigrationSettings,
  ownsSingleton,
  readMigrationConfig,
  singletonReferenceProblems,
  weightedRecordAnnotations,
} from "./migration-config";
import {
  enforcingModeSchema,
  podSecurityConfigProblems,
  podSecurityGroupsSchema,
} from "./pod-security-config";

export const PROJECT = "eks-blueprint";

/**
 * Cluster names end up in IAM role names (`<cluster>-aws-load-balancer-controller`), which AWS
 * caps at 64 characters; 32 leaves room for every suffix we add.
 */
const clusterName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
  error:
    "not a usable cluster name; use 1-32 characters: lowercase letters, digits and hyphens, starting with a letter",
});

/** The project's config keys, each with how its raw string is read. */
export const configSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
    error: "not an AWS region; set aws:region, for example us-west-2",
  }),
  clusterName: clusterName.optional(),
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_MINORS, {
    error: `unsupported Kubernetes version; use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")}`,
  }),
  vpcCidr,
  availabilityZones: z
    .number()
    .int()
    .min(2, { error: "too few availability zones; EKS needs 2 to 6" })
    .max(6, { error: "too many availability zones; use 2 to 6" })
    .default(3),
  natGateways: z
    .enum(["OnePerAz", "Single"], { error: "unknown NAT strategy; use OnePerAz or Single" })
    .default("OnePerAz"),
  endpointPublicAccessCidrs: z.array(publicAccessCidr).default([]),
  adminRoleArns: z.array(roleArn).default([]),
  protect: z.boolean({ error: "not a boolean; use true or false" }).default(true),
  logRetentionDays: logRetentionDays.default(30),
  nodeGroups: nodeGroupsSchema,
  fargateProfiles: fargateProfilesSchema.default({}),
  irsaRoles: irsaRolesSchema.default({}),
  podSecurityGroups: podSecurityGroupsSchema.default({}),
  podSecurityGroupEnforcingMode: enforcingModeSchema,
  addons: addonsConfigSchema.default({}),
  tags: z.record(z.string(), z.string()).default({}),
});

export type StackConfig = z.infer<typeof configSchema>;

/** Keys whose value is JSON (objects, lists, numbers, booleans); the rest are plain strings. */
const JSON_KEYS = new Set([
  "availabilityZones",
  "endpointPublicAccessCidrs",
  "adminRoleArns",
  "protect",
  "logRetentionDays",
  "nodeGroups",
  "fargateProfiles",
  "irsaRoles",
  "podSecurityGroups",
  "addons",
  "tags",
]);

const STRING_KEYS = [
  "clusterName",
  "kubernetesVersion",
  "vpcCidr",
  "natGateways",
  "podSecurityGroupEnforcingMode",
];

const MIGRATION_KEYS = ["migration:weight", "migration:hostnames", "migration:singletons"];

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

/** The config key a schema path starts at, as a user types it in `pulumi config set`. */
const qualified = (key: string) => (key === "region" ? "aws:region" : `${PROJECT}:${key}`);

/** Reads the raw values; a JSON key with unparsable text is reported, not thrown. */
function readRaw(get: (key: string) => string | undefined, problems: string[]) {
  const raw: Record<string, unknown> = { region: get("aws:region") };
  for (const key of STRING_KEYS) raw[key] = get(`${PROJECT}:${key}`);
  for (const key of JSON_KEYS) {
    const text = get(`${PROJECT}:${key}`);
    if (text === undefined) continue;
    try {
      raw[key] = JSON.parse(text);
    } catch {
      problems.push(
        `${qualified(key)}: not valid JSON/YAML (got ${JSON.stringify(text)}); see Pulumi.yaml`,
      );
    }
  }
  return raw;
}

/**
 * Validates a stack's config and returns the blueprint's typed args, or throws one
 * ConfigValidationError listing every problem, before any resource exists.
 */
export function parseStackConfig(
  stack: string,
  get: (key: string) => string | undefined,
  secrets: AddonSecrets = {},
  flat?: Record<string, string | undefined>,
): BlueprintArgs {
  const problems: string[] = [];
  const raw = readRaw(get, problems);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, ...rest] = issue.path;
      const sub = new z.ZodError([{ ...issue, path: rest }]);
      problems.push(...zodProblems(qualified(String(top)), raw[String(top)], sub));
    }
  }
  const day2 = parseDay2Config(get, {
    clusterAutoscalerAddon: parsed.data?.addons.clusterAutoscaler?.enabled === true,
    nodeGroups: parsed.data?.nodeGroups,
  });
  problems.push(...day2.problems);
  const migration = readMigrationConfig(
    flat ?? Object.fromEntries(MIGRATION_KEYS.map((k) => [k, get(k)])),
  );
  problems.push(...migration.problems);
  if (parsed.success && migration.settings) {
    problems.push(...singletonReferenceProblems(migration.settings, singletonRefs(parsed.data)));
  }
  if (parsed.success) {
    const c = parsed.data;
    problems.push(
      ...podSecurityConfigProblems(c.podSecurityGroups, {
        nodeGroups: c.nodeGroups,
        fargateProfiles: c.fargateProfiles,
      }),
    );
  }
  if (problems.length > 0 || !parsed.success || !day2.config || !migration.settings) {
    throw new ConfigValidationError(problems);
  }
  const platform = day2.config;
  const m = migration.settings;
  const c = parsed.data;
  const clusterName = c.clusterName ?? `${PROJECT}-${stack}`;
  const addons = toAddonSelection(c.addons, secrets);
  if (addons.istio) {
    // Ours last: the weighted record is what moves traffic, so config cannot override it.
    addons.istio.gatewayServiceAnnotations = {
      ...addons.istio.gatewayServiceAnnotations,
      ...weightedRecordAnnotations(clusterName, m.hostnames, m.weight),
    };
  }
  return {
    clusterName,
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
    irsaRoles: ownedOnly(m, c.irsaRoles),
    podSecurityGroups: ownedOnly(m, c.podSecurityGroups) as BlueprintArgs["podSecurityGroups"],
    podSecurityGroupEnforcingMode: c.podSecurityGroupEnforcingMode,
    addons,
    platform: {
      autoscaler: platform.autoscaler,
      karpenter: platform.karpenter,
      metricsServer: platform.metricsServer,
      efs: platform.efs,
      containerInsights: platform.containerInsights,
      workloadNamespaces: platform.workloadNamespaces,
    },
    protect: c.protect,
    tags: { ...c.tags, "eks-blueprint:stack": stack },
  };
}

/** Reads the current stack's config through Pulumi (the language host's values). */
export function loadStackConfig(stack: string = pulumi.getStack()): BlueprintArgs {
  const all = pulumi.runtime.allConfig();
  const grafanaKey = `${PROJECT}:grafanaAdminPassword`;
  const grafanaAdminPassword =
    all[grafanaKey] === undefined ? undefined : pulumi.secret(all[grafanaKey]);
  return parseStackConfig(stack, (key) => all[key], { grafanaAdminPassword }, all);
}
