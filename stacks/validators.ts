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
 * Any value, typed as the component's `T`: its check words a wrong type with the valid range
 * (`minSize: one` → "use an integer from 0 to 10000"), where zod would say only "expected number".
 */
export const componentValue = <T>() => z.custom<T>((v) => v !== undefined, { error: "missing" });

/** A number the component checks; JSON Schema (README's table, Pulumi.yaml) still says number. */
export const componentNumber = () => componentValue<number>().meta({ type: "number" });

const parseJson = (text: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
};

/**
 * A config value as written. Pulumi passes strings as they are, other values as JSON: JSON the
 * schema takes is parsed, a key whose schema takes text keeps it, and what is neither stays text
 * (or parsed JSON) for the schema to refuse in its words.
 */
export function configValue(text: string | undefined, schema?: z.ZodType): unknown {
  if (text === undefined) return text;
  const json = parseJson(text);
  // A JSON string stays text: `"x"` typed with quotes is what the user wrote.
  if (json && typeof json.value !== "string" && schema?.safeParse(json.value).success) {
    return json.value;
  }
  // A string key keeps its text even when the text is wrong: its own check says why.
  const asText = schema?.safeParse(text);
  const notText = asText?.error?.issues.some((i) => i.code === "invalid_type" && !i.path.length);
  if (asText && !notText) return text;
  return json ? json.value : text;
}
