import { z } from "zod";
import { CLUSTER_DEFAULTS } from "../components/cluster/cluster";
import type { KubernetesMinor } from "../components/cluster/kubernetes-versions";
import { NAT_GATEWAY_STRATEGIES, NETWORK_DEFAULTS } from "../components/network/network";
import { boolean, componentString, componentNumber } from "./validators";
import { fargateProfilesSchema, nodeGroupsSchema } from "./node-groups-config";
import { enforcingModeSchema, podSecurityGroupsSchema } from "./pod-security-config";
import { teamsSchema } from "./teams-config";
import { irsaRolesSchema } from "./workload-config";

export const PROJECT = "eks-blueprint";

/** `eks-blueprint:addons`: a map of add-on key to settings; the registry checks the rest. */
const addonsConfigSchema = z.record(z.string(), z.unknown(), {
  error: "not a map of add-ons; give each add-on's settings under its key",
});

/**
 * Top-level keys (`aws:region`, `eks-blueprint:<field>`): types and known keys; `blueprintProblems`
 * checks values, as for library users. Defaults are component constants. Optional keys stay out of
 * Pulumi.yaml (the CLI requires declared keys without `default:`); `.describe()` is the fallback.
 */
export const configSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
    error: "not an AWS region; set aws:region, for example us-west-2",
  }),
  clusterName: z.string().optional().describe("Defaults to eks-blueprint-<stack>."),
  // Typed as BlueprintArgs takes it; blueprintProblems names a minor not in the list.
  kubernetesVersion: z.string().pipe(z.custom<KubernetesMinor>()),
  vpcCidr: z.string(),
  availabilityZones: componentNumber().default(NETWORK_DEFAULTS.availabilityZones),
  natGateways: componentString<(typeof NAT_GATEWAY_STRATEGIES)[number]>().default(
    NETWORK_DEFAULTS.natGateways,
  ),
  endpointPublicAccessCidrs: z.array(z.string()).default([]),
  adminRoleArns: z.array(z.string()).default([]),
  protect: boolean.default(CLUSTER_DEFAULTS.protect),
  logRetentionDays: componentNumber().default(CLUSTER_DEFAULTS.logRetentionDays),
  keepPulumiEksSecurityGroups: boolean.default(false),
  nodeGroups: nodeGroupsSchema,
  fargateProfiles: fargateProfilesSchema.default({}),
  irsaRoles: irsaRolesSchema.default({}),
  podSecurityGroups: podSecurityGroupsSchema.default({}),
  podSecurityGroupEnforcingMode: enforcingModeSchema,
  teams: teamsSchema.default({}),
  workloadNamespaces: z.array(z.string()).default([]),
  addons: addonsConfigSchema.default({}),
  tags: z.record(z.string(), z.string()).default({}),
  drills: z.strictObject({ zone: z.string() }).optional().describe("Defaults to no drills."),
  // Read here only to be checked: the value reaches Grafana through loadStackConfig as a secret.
  grafanaAdminPassword: z
    .string()
    .min(1, {
      error: "empty password; set one with `pulumi config set --secret`, or unset the key",
    })
    .optional()
    .describe("Defaults to a generated password kept in a Kubernetes Secret."),
});

export type StackConfig = z.infer<typeof configSchema>;
