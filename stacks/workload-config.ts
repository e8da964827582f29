import { z } from "zod";
import { DNS_LABEL, namespaceName, shortName, shortNameHint } from "./validators";

const k8sName = z.string().regex(DNS_LABEL, {
  error: "not a Kubernetes name; use lowercase letters, digits and hyphens (at most 63)",
});

const iamAction = z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, {
  error: "not an IAM action; use service:Action such as sqs:ReceiveMessage",
});

const statement = z.strictObject({
  effect: z.enum(["Allow", "Deny"]).default("Allow"),
  actions: z.array(iamAction).min(1, { error: "no actions; list at least one" }),
  resources: z
    .array(z.string().regex(/^(arn:aws[a-z-]*:.+)$/, { error: "not an ARN; list resource ARNs" }))
    .min(1, { error: "no resources; list the ARNs this statement applies to (never *)" }),
});

/** A workload's IRSA role: application teams get AWS access from stack config, without code. */
export const irsaRolesSchema = z.record(
  z.string().regex(shortName, { error: `bad role name; ${shortNameHint}` }),
  z
    .strictObject({
      namespace: namespaceName,
      serviceAccount: k8sName,
      managedPolicyArns: z
        .array(
          z.string().regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/, {
            error: "not an IAM policy ARN; use arn:aws:iam::<account or aws>:policy/<name>",
          }),
        )
        .default([]),
      statements: z.array(statement).default([]),
      singleton: z.string().optional(),
    })
    .refine((r) => r.managedPolicyArns.length + r.statements.length > 0, {
      error: "no permissions; give managedPolicyArns or statements",
    }),
);

export type IrsaRolesConfig = z.infer<typeof irsaRolesSchema>;
