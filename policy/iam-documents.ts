import { isObj, Obj, parseJson, strings } from "./values";

export interface FoundDocument {
  /** Input path, for example `inlinePolicies[0].policy`. */
  path: string;
  statements: Obj[];
}

const isDocument = (v: unknown): v is Obj => isObj(v) && "Statement" in v;

/**
 * Every IAM policy document in a resource's inputs, wherever it sits, as a JSON string or object.
 * Keys are walked sorted, so violations come out in a stable order.
 */
export function policyDocuments(inputs: Obj): FoundDocument[] {
  const found: FoundDocument[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > 12) return;
    const parsed = typeof v === "string" ? parseJson(v) : v;
    if (isDocument(parsed)) {
      const st = parsed.Statement;
      found.push({ path, statements: (Array.isArray(st) ? st : [st]).filter(isObj) });
      return;
    }
    if (Array.isArray(parsed)) {
      parsed.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    } else if (isObj(parsed)) {
      for (const key of Object.keys(parsed).sort()) {
        walk(parsed[key], path ? `${path}.${key}` : key, depth + 1);
      }
    }
  };
  walk(inputs, "", 0);
  return found;
}

/** Every statement, with its label for messages: `policy Statement[1] (Sid "Scale")`. */
export const statementsIn = (inputs: Obj): { s: Obj; label: string }[] =>
  policyDocuments(inputs).flatMap((doc) =>
    doc.statements.map((s, i) => ({
      s,
      label: `${doc.path} Statement[${i}]${typeof s.Sid === "string" ? ` (Sid "${s.Sid}")` : ""}`,
    })),
  );

export const isAllow = (s: Obj) => s.Effect === "Allow";

export const statementActions = (s: Obj): string[] => [
  ...strings(s.Action),
  ...strings(s.NotAction),
];

/** Condition values for a key under the given operators; condition keys are case-insensitive. */
export function conditionValues(
  s: Obj,
  operators: string[],
  keySuffix: string,
): string[] | undefined {
  let values: string[] | undefined;
  for (const op of operators) {
    const block = isObj(s.Condition) ? s.Condition[op] : undefined;
    if (!isObj(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase().endsWith(keySuffix.toLowerCase())) {
        values = [...(values ?? []), ...strings(value)];
      }
    }
  }
  return values;
}
