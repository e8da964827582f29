import { recordKey, type SynthRecord } from "../../synth/record";

/** Our own ComponentResources: grouping only, nothing is created in the cloud for them. */
export const isOwnComponent = (r: Pick<SynthRecord, "type">): boolean =>
  r.type.startsWith("eks-blueprint:");

/**
 * The dependency graph of one synth, as the engine walks it: a resource is created after
 * everything in its `dependsOn`, and deleted before it.
 */
export class ResourceGraph {
  private readonly records = new Map<string, SynthRecord>();
  private readonly reach = new Map<string, Set<string>>();

  constructor(records: readonly SynthRecord[]) {
    for (const r of records) this.records.set(recordKey(r), r);
  }

  get(key: string): SynthRecord | undefined {
    return this.records.get(key);
  }

  all(): SynthRecord[] {
    return [...this.records.values()];
  }

  /** Everything `key` waits for, directly or through other resources. */
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

  /** True when the engine creates `to` before `from`, because `from` waits for it. */
  waitsFor(from: string, to: string): boolean {
    return this.dependenciesOf(from).has(to);
  }

  /**
   * An order the engine may create the stack's cloud resources in: every resource after what it
   * waits for, ties broken by key so the order is stable. Our own components are left out.
   */
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

  /** The order the engine deletes in on `pulumi destroy`: dependents first. */
  deleteOrder(): string[] {
    return this.createOrder().reverse();
  }
}
