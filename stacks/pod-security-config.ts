import { z } from "zod";

/**
 * `eks-blueprint:podSecurityGroups`. Config cannot hold a group id, so a rule names a sibling
 * (`{ from: podSecurityGroup, group: <name> }`) for WorkloadAccess; the components check values.
 */
export const podSecurityGroupsSchema = z.record(
  z.string(),
  z.looseObject({ namespace: z.string(), singleton: z.string().optional() }),
);

export const enforcingModeSchema = z
  .enum(["standard", "strict"], { error: "unknown enforcing mode; use standard or strict" })
  .default("standard");
