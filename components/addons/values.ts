import { isRecord } from "../problems";

/** Helm values as plain data: what a chart's values.yaml holds. */
export type Values = Record<string, unknown>;

/**
 * Our values for one chart, in two layers. `defaults` are tunables a stack may override
 * (replicas, resources, retention); `owned` are the keys the blueprint's wiring depends on
 * (service account name and IRSA annotation, cluster name, region, owner id), which always win.
 */
export interface ValueLayers {
  /** Tunables a stack may override. */
  defaults: Values;
  /** Keys the wiring depends on; they win over every override. */
  owned: Values;
}

/**
 * Deep merge where later layers win: maps merge key by key, anything else (lists, scalars,
 * null) replaces what was there. Lists are replaced whole, as Helm does, so a stack can shorten
 * one. Inputs are never mutated.
 */
export function deepMerge(...layers: Values[]): Values {
  const out: Values = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const prev = out[key];
      out[key] =
        isRecord(prev) && isRecord(value)
          ? deepMerge(prev, value)
          : isRecord(value)
            ? deepMerge(value)
            : value;
    }
  }
  return out;
}

/**
 * The one merge order for every add-on: our defaults, then the stack's overrides, then the keys
 * we own. An override can tune anything but cannot unhook the wiring (a wrong service account
 * name would break the IRSA trust silently; see STYLE.md "Values").
 */
export function mergeValues(layers: ValueLayers, overrides: Values = {}): Values {
  return deepMerge(layers.defaults, overrides, layers.owned);
}

/** Container resource requests (and an optional memory limit) in the shape every chart takes. */
export function requests(cpu: string, memory: string, memoryLimit?: string): Values {
  return {
    requests: { cpu, memory },
    ...(memoryLimit ? { limits: { memory: memoryLimit } } : {}),
  };
}
