import { z } from "zod";
import { DEFAULT_STATEMENT_EFFECT } from "../components/irsa-policy";

/**
 * The shape of `eks-blueprint:irsaRoles`: application teams get AWS access from stack config,
 * without code. What the values may be is WorkloadAccess's own check (`workloadRoleProblems`),
 * run by the stack through `blueprintProblems` with config keys.
 */
const statement = z.strictObject({
  effect: z
    .enum(["Allow", "Deny"], { error: "not an IAM effect; use Allow or Deny" })
    .default(DEFAULT_STATEMENT_EFFECT),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
});

export const irsaRolesSchema = z.record(
  z.string(),
  z.strictObject({
    namespace: z.string(),
    serviceAccount: z.string(),
    managedPolicyArns: z.array(z.string()).optional(),
    statements: z.array(statement).optional(),
    singleton: z.string().optional(),
  }),
);

export type IrsaRolesConfig = z.infer<typeof irsaRolesSchema>;
