// How the stack schema reads values into the components' types; what a value may be is the
// components' own check.
import { z } from "zod";
import { DNS_LABEL, DNS_LABEL_HINT } from "../components/kubernetes-names";

export { DNS_LABEL };

/** A namespace name, as every config key that names a namespace takes it. */
export const namespaceName = z
  .string({ error: `not a namespace name; ${DNS_LABEL_HINT}` })
  .regex(DNS_LABEL, { error: `not a namespace name; ${DNS_LABEL_HINT}` });

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
