import { irsaAnnotation } from "../access/irsa-policy";
import { isRecord } from "../problems";
import { present, type Resolved } from "./spec";

/** Helm values as plain data: what a chart's values.yaml holds. */
export type Values = Record<string, unknown>;

/** Our values for one chart, in two layers. */
export interface ValueLayers {
  /** Tunables a stack may override (replicas, resources, retention). */
  defaults: Values;
  /** Keys the wiring needs (service account, IRSA, cluster name, region); they beat overrides. */
  owned: Values;
}

/** Pure deep merge, later layers win: maps by key; lists (as Helm), scalars, null replace. */
export function deepMerge(...layers: Values[]): Values {
  const out: Values = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      out[key] = isRecord(value) ? deepMerge(isRecord(out[key]) ? out[key] : {}, value) : value;
    }
  }
  return out;
}

/** The value at `path`, or undefined where a step is not a map. */
export const valueAt = (values: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), values);

/** Defaults, overrides, then owned keys: overrides cannot unhook the wiring (IRSA trust). */
export function mergeValues(layers: ValueLayers, overrides: Values = {}): Values {
  return deepMerge(layers.defaults, overrides, layers.owned);
}

/** Container resource requests (and an optional memory limit) in the shape every chart takes. */
export function requests(cpu: string, memory: string, memoryLimit?: string): Values {
  return { requests: { cpu, memory }, ...(memoryLimit ? { limits: { memory: memoryLimit } } : {}) };
}

/** The container context `restricted` asks for: no privilege escalation, no capabilities. */
export const NO_PRIVILEGES = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** A chart's service account for the add-on's IRSA role: created, named, annotated with the role. */
export const irsaServiceAccount = (name: string, resolved: Resolved): Values => ({
  create: true,
  name,
  annotations: irsaAnnotation(present(resolved.roleArn, "its IRSA role")),
});
