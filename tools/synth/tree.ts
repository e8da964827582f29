import { recordKey, type SynthRecord } from "../../synth/record";

/** A readable tree of components and resources, with a count per type at the end. */
export function renderTree(resources: SynthRecord[]): string {
  const children = new Map<string | null, SynthRecord[]>();
  for (const r of resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${r.name}  (${r.type})`);
      walk(recordKey(r), indent + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  lines.push("", `${resources.length} resources:`);
  for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${String(n).padStart(4)}  ${type}`);
  }
  return lines.join("\n");
}
