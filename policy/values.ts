/**
 * Defensive readers for untyped inputs: a rule must never throw on a shape it did not expect, it
 * either judges a value it understands or leaves the resource alone.
 */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export const obj = (v: unknown): Obj => (isObj(v) ? v : {});

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A string or a list of strings (IAM's Action/Resource, CIDR lists) as a list. */
export const strings = (v: unknown): string[] =>
  typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `get(o, "a", "b")` is `o.a.b`, or undefined when any step is missing. */
export function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const key of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Pulumi JSON inputs arrive as strings (the synth, `aws.iam.Role`) or as objects. */
export function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** CIDRs that mean "the whole internet". */
export const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

export const isOpenCidr = (cidr: string) => OPEN_CIDRS.includes(cidr.trim());
