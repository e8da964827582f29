// `eks-blueprint:teams`: zod checks only the shape; values are components/teams/team-problems.ts's
// check, run with config keys so a library user and a stack user get the same answer.
import { z } from "zod";
import type { PodSecurityException, RestrictionStage } from "../components/teams/team-settings";
import { componentString, componentNumber, componentValue } from "./validators";

/** A reason the component requires; a missing one is its problem to word, not zod's. */
const reason = z.string({ error: "not a string" }).optional().pipe(z.custom<string>());

/** A count the component checks, worded with its range. */
const count = componentNumber().optional();

const quota = z.strictObject({
  cpu: z.string().optional(),
  memory: z.string().optional(),
  memoryLimit: z.string().optional(),
  pods: count,
  persistentVolumeClaims: count,
  storage: z.string().optional(),
  loadBalancers: count,
  nodePorts: count,
});

const limits = z.strictObject({
  defaultCpuRequest: z.string().optional(),
  defaultMemoryRequest: z.string().optional(),
  defaultMemoryLimit: z.string().optional(),
});

const egressRule = z.strictObject({
  cidr: z.string(),
  ports: componentValue<number[]>(),
  protocol: z.enum(["TCP", "UDP"], { error: "not a protocol; use TCP or UDP" }).optional(),
  reason,
});

const live = z.strictObject({
  stage: componentString<RestrictionStage>(),
  labels: z.record(z.string(), z.string()).optional(),
});

const teamNamespace = z.strictObject({
  live: live.optional().describe("Defaults to none: the stack creates the namespace."),
  podSecurity: z
    .strictObject({ level: componentString<PodSecurityException>(), reason })
    .optional()
    .describe("Defaults to restricted, with no exception."),
  mesh: z.boolean().optional().describe("Defaults to false."),
  quota: quota.optional(),
  limits: limits.optional(),
  metricsPorts: componentValue<number[]>().optional(),
  egress: z.record(z.string(), egressRule).optional(),
});

const team = z.strictObject({
  namespaces: z.record(z.string(), teamNamespace),
  editRoleArns: z.array(z.string()).optional(),
  viewRoleArns: z.array(z.string()).optional(),
});

/** Teams by short name (components/teams/team-settings.ts `TeamSpec`). */
export const teamsSchema = z.record(z.string(), team);
