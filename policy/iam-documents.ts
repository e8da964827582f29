import { isObj, Obj, parseJson, strings } from "./values";

/** One IAM policy document found in a resource's inputs, with where it was found. */
export interface FoundDocument {
  /** Input path, for example `policy` or `inlinePolicies[0].policy`. */
  path: string;
  statements: Obj[];
}

const isDocument = (v: unknown): v is Obj => isObj(v) && "Statement" in v;

/**
 * Every IAM policy document in a resource's inputs, wherever it sits: `policy` of a RolePolicy or
 * Policy, a Role's `assumeRolePolicy` and `inlinePolicies`, a KMS key policy, a queue policy.
 * Documents arrive as JSON strings or objects; both count. Keys are walked in sorted order so
 * violations come out in a stable order.
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

/** Statement label for messages: `policy Statement[1] (Sid "Scale")`. */
export function statementLabel(doc: FoundDocument, index: number): string {
  const sid = doc.statements[index]?.Sid;
  return `${doc.path} Statement[${index}]${typeof sid === "string" ? ` (Sid "${sid}")` : ""}`;
}

export const isAllow = (s: Obj) => s.Effect === "Allow";

/** Actions a statement names, in `Action` and `NotAction`. */
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
