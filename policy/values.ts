// Readers for untyped inputs: a rule never throws on an unexpected shape; it leaves it alone.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export const obj = (v: unknown): Obj => (isObj(v) ? v : {});

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/** A string or a list of strings (IAM's Action/Resource, CIDR lists) as a list. */
export const strings = (v: unknown): string[] =>
  typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every string in `v`, however deep, with its path: `a.b[0]`, or the JSON pointer `/a/b/0`. */
export function stringLeaves(v: unknown, pointer = false, path = ""): [string, string][] {
  const at = (k: string | number) =>
    pointer ? `${path}/${k}` : typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  if (typeof v === "string") return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, pointer, at(i)));
  return isObj(v) ? Object.entries(v).flatMap(([k, x]) => stringLeaves(x, pointer, at(k))) : [];
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

export const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

export const isOpenCidr = (cidr: string) => OPEN_CIDRS.includes(cidr.trim());
