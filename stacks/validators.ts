// How the stack schema reads values into the components' types; what a value may be is the
// components' own check.
import { z } from "zod";
import { DNS_LABEL, DNS_LABEL_HINT } from "../components/kubernetes-names";
import { isOneOf, optionList } from "../components/problems";

/** A namespace name, as every config key that names a namespace takes it. */
export const namespaceName = z
  .string({ error: `not a namespace name; ${DNS_LABEL_HINT}` })
  .regex(DNS_LABEL, { error: `not a namespace name; ${DNS_LABEL_HINT}` });

/**
 * One of a component's allowed strings, refused in the component's words when it is not (so it
 * is reported with the rest of the schema's problems, before the components' checks run).
 */
export const componentEnum = <T extends string>(choice: {
  options: readonly T[];
  what: string;
  hint: string;
}) => {
  const { options, what, hint } = choice;
  const error = `unknown ${what}; use ${optionList(options)}${hint}`;
  return z
    .string({ error })
    .refine((v) => isOneOf(options, v), { error })
    .pipe(z.custom<T>());
};

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
  if (text === undefined) return text;
  // A string key keeps its text even when the text is wrong: its own check says why.
  const asText = schema?.safeParse(text);
  const notText = asText?.error?.issues.some((i) => i.code === "invalid_type" && !i.path.length);
  if (asText && !notText) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
