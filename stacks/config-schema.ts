import { z } from "zod";
import { SUPPORTED_KUBERNETES_MINORS } from "../components/kubernetes-versions";
import { addonsConfigSchema } from "./addons-config";
import { fargateProfilesSchema, nodeGroupsSchema } from "./node-groups-config";
import { enforcingModeSchema, podSecurityGroupsSchema } from "./pod-security-config";
import { logRetentionDays, publicAccessCidr, roleArn, vpcCidr } from "./validators";
import { irsaRolesSchema } from "./workload-config";

export const PROJECT = "eks-blueprint";

/**
 * Cluster names end up in IAM role names (`<cluster>-aws-load-balancer-controller`), which AWS
 * caps at 64 characters; 32 leaves room for every suffix we add.
 */
const clusterName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
  error:
    "not a usable cluster name; use 1-32 characters: lowercase letters, digits and hyphens, starting with a letter",
});

/**
 * The project's top-level config keys (`aws:region` and `eks-blueprint:<field>`), each with how
 * its value is read. A key with a default (or optional) here is optional for the stack, and is
 * therefore not declared in Pulumi.yaml (the CLI requires every declared key without a `default:`);
 * the `.describe()` texts say what an optional key without a schema default falls back to.
 */
export const configSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
    error: "not an AWS region; set aws:region, for example us-west-2",
  }),
  clusterName: clusterName.optional().describe("Defaults to eks-blueprint-<stack>."),
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

/** Keys whose value is JSON (objects, lists, numbers, booleans); the rest are plain strings. */
export const JSON_KEYS: ReadonlySet<string> = new Set([
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
