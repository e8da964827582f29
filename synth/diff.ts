import { isRecord } from "../components/problems";
import { kubernetesId, recordKey, REDACTED, type ResourceView, type SynthRecord } from "./record";
import { forcesReplacement } from "./replacements";

export type DiffRecord = ResourceView & Pick<SynthRecord, "parent" | "read">;

export interface DiffInput {
  stack: string;
  resources: readonly DiffRecord[];
}

/** Pseudo-fields for resource options: they are not inputs, but a reviewer must see them change. */
export const PARENT_FIELD = "(parent)";
export const PROTECT_FIELD = "(protect)";
export const READ_FIELD = "(read)";

export interface FieldChange {
  path: string;
  /** undefined when the field is absent on that side. */
  before: unknown;
  after: unknown;
  /** Either side is a secret: both are shown redacted. */
  secret: boolean;
  /** Changing this field makes the provider delete and recreate the resource. */
  replaces: boolean;
}

export interface ResourceRef {
  /** `type::name`, the resource's identity in the diff. */
  key: string;
  type: string;
  name: string;
  /** Key of its top-level ancestor component, or "(stack)" for a lone top-level resource. */
  component: string;
}

export interface ResourceChange extends ResourceRef {
  fields: FieldChange[];
  replacement: boolean;
}

export interface SynthDiff {
  base: string;
  head: string;
  /** Set when two different stacks are compared and names were matched across them. */
  renamed?: { from: string; to: string };
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ResourceChange[];
}

export const STACK_ROOT = "(stack)";
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// One collator: localeCompare with options builds one per call, a tenth of a diff's time.
const byPath = new Intl.Collator("en", { numeric: true }).compare;
const isScalar = (v: unknown) => v === null || typeof v !== "object";

function parseContainer(s: string): unknown {
  const t = s.trim();
  if (!/^[{[]/.test(t)) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === "object" && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Inputs as leaf path → value; JSON in strings (IAM policies) is opened: one action, one line. */
export function flattenInputs(
  value: unknown,
  path = "",
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  const parsed = typeof value === "string" && path ? parseContainer(value) : undefined;
  const v = parsed ?? value;
  if (Array.isArray(v) && v.length > 0 && !v.every(isScalar)) {
    v.forEach((x, i) => flattenInputs(x, `${path}[${i}]`, out));
  } else if (isRecord(v) && Object.keys(v).length > 0) {
    for (const key of Object.keys(v).sort()) {
      const child = IDENTIFIER.test(key)
        ? path
          ? `${path}.${key}`
          : key
        : `${path}[${JSON.stringify(key)}]`;
      flattenInputs(v[key], child, out);
    }
  } else if (path) {
    out.set(path, v);
  }
  return out;
}

/** Replaces whole-token `from` (between non-alphanumerics) with `to`: "prod-vpc" → "prod2-vpc". */
export function renameToken(name: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return name.replace(new RegExp(`(^|[^A-Za-z0-9])${escaped}(?=$|[^A-Za-z0-9])`, "g"), `$1${to}`);
}

function renameRecord(r: DiffRecord, from: string, to: string): DiffRecord {
  const parent =
    r.parent === null
      ? null
      : r.parent.replace(/::(.*)$/, (_, n: string) => `::${renameToken(n, from, to)}`);
  return { ...r, name: renameToken(r.name, from, to), parent };
}

/** Each resource's top-level ancestor; a childless top-level resource belongs to the stack. */
function componentsOf(records: readonly DiffRecord[]): Map<string, string> {
  const parents = new Map(records.map((r) => [recordKey(r), r.parent]));
  const hasChildren = new Set(records.map((r) => r.parent).filter((p): p is string => p !== null));
  const result = new Map<string, string>();
  for (const r of records) {
    let key = recordKey(r);
    const seen = new Set<string>();
    while (parents.get(key) && !seen.has(key)) {
      seen.add(key);
      key = parents.get(key) as string;
    }
    result.set(recordKey(r), key === recordKey(r) && !hasChildren.has(key) ? STACK_ROOT : key);
  }
  return result;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function fieldChanges(type: string, before: DiffRecord, after: DiffRecord): FieldChange[] {
  if (before.read !== after.read) {
    // Managed, then read: the engine lets go of it when the ids match, else deletes the old one
    // (pulumi/pulumi pkg/resource/deploy/step_generator.go, GenerateReadSteps: "relinquish").
    const kept = before.read !== undefined || kubernetesId(before) === after.read;
    return [
      { path: READ_FIELD, before: before.read, after: after.read, secret: false, replaces: !kept },
    ];
  }
  const b = flattenInputs(before.inputs);
  const a = flattenInputs(after.inputs);
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...b.keys(), ...a.keys()])].sort(byPath)) {
    const [x, y] = [b.get(path), a.get(path)];
    if (same(x, y)) continue;
    changes.push({
      path,
      before: x,
      after: y,
      secret: x === REDACTED || y === REDACTED,
      replaces: forcesReplacement(type, path),
    });
  }
  // The parent is part of the URN: without an alias, Pulumi deletes and recreates the resource.
  const options: [string, unknown, unknown, boolean][] = [
    [PARENT_FIELD, before.parent, after.parent, true],
    [PROTECT_FIELD, before.protect ?? false, after.protect ?? false, false],
  ];
  for (const [path, x, y, replaces] of options) {
    if (x !== y) changes.push({ path, before: x, after: y, secret: false, replaces });
  }
  return changes;
}

/** Compares synth results by type + name; across stacks, base `prod-vpc` meets head `prod2-vpc`. */
export function diffSynth(base: DiffInput, head: DiffInput): SynthDiff {
  const rename =
    base.stack && head.stack && base.stack !== head.stack
      ? { from: base.stack, to: head.stack }
      : undefined;
  const baseRecords = rename
    ? base.resources.map((r) => renameRecord(r, rename.from, rename.to))
    : base.resources;
  const olds = new Map(baseRecords.map((r) => [recordKey(r), r]));
  const news = new Map(head.resources.map((r) => [recordKey(r), r]));
  const [oldComponents, newComponents] = [componentsOf(baseRecords), componentsOf(head.resources)];
  const ref = (r: DiffRecord, components: Map<string, string>): ResourceRef => ({
    key: recordKey(r),
    type: r.type,
    name: r.name,
    component: components.get(recordKey(r)) ?? STACK_ROOT,
  });
  const byKey = (x: ResourceRef, y: ResourceRef) => x.key.localeCompare(y.key);
  const changed: ResourceChange[] = [];
  for (const [key, after] of news) {
    const before = olds.get(key);
    if (!before) continue;
    const fields = fieldChanges(after.type, before, after);
    if (fields.length)
      changed.push({
        ...ref(after, newComponents),
        fields,
        replacement: fields.some((f) => f.replaces),
      });
  }
  return {
    base: base.stack,
    head: head.stack,
    ...(rename ? { renamed: rename } : {}),
    added: [...news.values()]
      .filter((r) => !olds.has(recordKey(r)))
      .map((r) => ref(r, newComponents))
      .sort(byKey),
    removed: [...olds.values()]
      .filter((r) => !news.has(recordKey(r)))
      .map((r) => ref(r, oldComponents))
      .sort(byKey),
    changed: changed.sort(byKey),
  };
}
