import { z } from "zod";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../components/cluster/cluster-settings";
import {
  DNS_LABEL,
  DNS_LABEL_HINT,
  isLabelKey,
  isLabelValue,
  LABEL_HINT,
} from "../components/kubernetes-names";
import { EKS_SYSTEM_NAMESPACES } from "../components/teams/namespace";
import { SHORT_NAME, SHORT_NAME_HINT } from "../components/problems";

/**
 * Zod shapes for the few rules the day-2 and add-on schemas still read through zod. Every rule
 * itself lives beside its component (components/), where EksBlueprint applies it too; these only
 * put it into zod's terms.
 */

// CIDR arithmetic is the components' (components/network/cidr.ts); re-exported for the coexistence check.
export { cidrsOverlap, formatCidr, hasHostBits, parseCidr } from "../components/network/cidr";
export { LOG_RETENTION_DAYS } from "../components/cluster/cluster-settings";
export { DNS_LABEL, DNS_LABEL_HINT };
export const EKS_NAMESPACES = EKS_SYSTEM_NAMESPACES;

/** A namespace name, as every config key that names a namespace takes it. */
export const namespaceName = z
  .string({ error: `not a namespace name; ${DNS_LABEL_HINT}` })
  .regex(DNS_LABEL, { error: `not a namespace name; ${DNS_LABEL_HINT}` });

/** Short names of node groups, profiles, roles: they become part of physical names. */
export const shortName = SHORT_NAME;
export const shortNameHint = SHORT_NAME_HINT;

export const logRetentionDays = z.number().refine(isLogRetentionDays, {
  error: `not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** A map of Kubernetes labels, checked by the components' one label rule (`labelProblems`). */
export const kubernetesLabelMap = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [k, v] of Object.entries(labels)) {
    if (!isLabelKey(k) || !isLabelValue(v)) {
      ctx.addIssue({ code: "custom", path: [k], message: `not a Kubernetes label; ${LABEL_HINT}` });
    }
  }
});

/**
 * A string read as the component type `T` it feeds. Which strings `T` allows is the component's
 * own check (`blueprintProblems`), which runs before the args are used.
 */
export const componentString = <T extends string>() =>
  z.string({ error: "not a string" }).pipe(z.custom<T>());

/**
 * A config value as the user wrote it. Pulumi passes plain strings as they are and structured
 * values (numbers, booleans, lists, maps) as JSON text: a key whose schema takes the text keeps
 * it, any other is read back from JSON, and text that is no JSON stays text for the schema to
 * refuse in its own words ("not a boolean; use true or false").
 */
export function configValue(text: string | undefined, schema?: z.ZodType): unknown {
  if (text === undefined || schema?.safeParse(text).success) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
