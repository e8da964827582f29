// How the stack schema reads values into the components' types; the components check the values.
import { z } from "zod";
import { DNS_LABEL, DNS_LABEL_HINT } from "../components/kubernetes-names";
import { isOneOf, optionList } from "../components/problems";

export const namespaceName = z
  .string({ error: `not a namespace name; ${DNS_LABEL_HINT}` })
  .regex(DNS_LABEL, { error: `not a namespace name; ${DNS_LABEL_HINT}` });

export const boolean = z.boolean({ error: "not a boolean; use true or false" });

/** One of a component's strings, else refused in its words with the schema's other problems. */
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

/** A string typed as the component's `T`; `blueprintProblems` checks it before args are used. */
export const componentString = <T extends string>() =>
  z.string({ error: "not a string" }).pipe(z.custom<T>());

/**
 * A config value as written. Pulumi passes strings as they are, other values as JSON: a key whose
 * schema takes text keeps it, others are parsed, and non-JSON stays text for the schema to refuse.
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
