import { z } from "zod";

/**
 * The shape of `eks-blueprint:podSecurityGroups`. Config cannot hold another group's id, so a rule
 * names a sibling group instead: `{ from: podSecurityGroup, group: <name> }`; WorkloadAccess
 * resolves it. Selectors, rules, ports, sibling references, trunking node types and Fargate
 * overlap are the components' checks, run by the stack through `blueprintProblems`.
 */
export const podSecurityGroupsSchema = z.record(
  z.string(),
  z.looseObject({ namespace: z.string(), singleton: z.string().optional() }),
);

export const enforcingModeSchema = z
  .enum(["standard", "strict"], { error: "unknown enforcing mode; use standard or strict" })
  .default("standard");
