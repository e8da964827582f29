import { recordKey, type SynthRecord } from "../../synth/record";

/** Our ComponentResources: nothing is created in the cloud for them. */
export const isOwnComponent = (r: Pick<SynthRecord, "type">): boolean =>
  r.type.startsWith("eks-blueprint:");

/** The engine creates a resource after everything in its `dependsOn`, and deletes it before. */
export class ResourceGraph {
  private readonly records = new Map<string, SynthRecord>();
  private readonly reach = new Map<string, Set<string>>();

  constructor(records: readonly SynthRecord[]) {
    for (const r of records) this.records.set(recordKey(r), r);
  }

  get(key: string): SynthRecord | undefined {
    return this.records.get(key);
  }

  /** Everything `key` waits for, directly or not. */
  dependenciesOf(key: string): Set<string> {
    const known = this.reach.get(key);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...(this.records.get(key)?.dependsOn ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.records.get(next)?.dependsOn ?? []));
    }
    this.reach.set(key, seen);
    return seen;
  }

  waitsFor(from: string, to: string): boolean {
    return this.dependenciesOf(from).has(to);
  }

  /** Cloud resources in an order the engine may create them, ties broken by key. */
  createOrder(): string[] {
    const order: string[] = [];
    const placed = new Set<string>();
    const visit = (key: string, path: Set<string>) => {
      if (placed.has(key) || !this.records.has(key)) return;
      if (path.has(key)) throw new Error(`dependency cycle through ${key}`);
      path.add(key);
      for (const dep of [...(this.records.get(key)?.dependsOn ?? [])].sort()) visit(dep, path);
      path.delete(key);
      placed.add(key);
      if (!isOwnComponent(this.records.get(key) as SynthRecord)) order.push(key);
    };
    for (const key of [...this.records.keys()].sort()) visit(key, new Set());
    return order;
  }

  deleteOrder(): string[] {
    return this.createOrder().reverse();
  }
}
