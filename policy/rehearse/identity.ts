import type { SynthRecord } from "../../synth/record";
import { recordKey } from "../../synth/record";

/**
 * Identities as the engine keys state: qualified type (ancestors' types but the stack's, joined by
 * `$`) and name (pulumi/pulumi sdk/go/common/resource/urn.go, NewURN), plus aliases, inherited by
 * children too (pkg/resource/deploy/step_generator.go generateAliases). `previous` resolves aliases
 * naming a parent gone since.
 */
export function identitiesOf(
  records: readonly SynthRecord[],
  previous: readonly SynthRecord[] = [],
): Map<string, Set<string>> {
  const byKey = new Map(records.map((r) => [recordKey(r), r]));
  const before = previous.length > 0 ? identitiesOf(previous) : new Map<string, Set<string>>();
  const memo = new Map<string, Set<string>>();
  const qualifiedTypes = (key: string | null, seen: Set<string>): Set<string> => {
    if (key === null) return new Set([""]);
    return new Set([...ids(key, seen)].map((id) => id.slice(0, id.lastIndexOf("::"))));
  };
  const join = (parent: string, type: string) => (parent ? `${parent}$${type}` : type);
  const ids = (key: string, seen: Set<string>): Set<string> => {
    const known = memo.get(key);
    if (known) return known;
    const r = byKey.get(key);
    // An alias may name an old parent that exists only before the change: its identity then.
    if (!r) return before.get(key) ?? new Set([key]);
    if (seen.has(key)) return new Set([key]);
    seen.add(key);
    const parents = qualifiedTypes(r.parent, seen);
    const out = new Set([...parents].map((p) => `${join(p, r.type)}::${r.name}`));
    for (const alias of r.aliases ?? []) {
      // `type::name` keeps the parent; `type::name@parent` names the old one; `@` alone, none.
      const [own, parent] = alias.includes("@") ? alias.split("@") : [alias, undefined];
      const [type, name] = [own.slice(0, own.indexOf("::")), own.slice(own.indexOf("::") + 2)];
      const aliasParents =
        parent === undefined
          ? parents
          : parent === ""
            ? new Set([""])
            : qualifiedTypes(parent, seen);
      for (const p of aliasParents) out.add(`${join(p, type)}::${name}`);
    }
    memo.set(key, out);
    return out;
  };
  return new Map(records.map((r) => [recordKey(r), ids(recordKey(r), new Set())]));
}

/** The base's records under the head's keys where the engine sees the same resource (a move). */
export function matchToHead(
  base: readonly SynthRecord[],
  head: readonly SynthRecord[],
): SynthRecord[] {
  const baseIds = identitiesOf(base.map((r) => ({ ...r, aliases: undefined })));
  const owner = new Map<string, SynthRecord>();
  for (const [key, set] of identitiesOf(head, base)) {
    const record = head.find((r) => recordKey(r) === key) as SynthRecord;
    for (const id of set) owner.set(id, record);
  }
  return base.map((r) => {
    const [id] = baseIds.get(recordKey(r)) as Set<string>;
    const to = owner.get(id);
    return to ? { ...r, type: to.type, name: to.name, parent: to.parent } : r;
  });
}
