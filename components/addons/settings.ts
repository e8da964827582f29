import { SUPPORTED_KUBERNETES_MINORS } from "../cluster/kubernetes-versions";
import { isIntegerIn, isRecord, problem, problemIf, problemList } from "../problems";
import type { AddonSpec, CommonSettings, Prepared, WithDefaults } from "./spec";

/** The settings of one add-on with its registry defaults filled in; `enabled` is not a setting. */
export function resolveSettings<S extends CommonSettings, D extends keyof S = never>(
  spec: Pick<AddonSpec<S, Prepared, D>, "defaults">,
  given: S | undefined,
): WithDefaults<S, D> {
  const out: Record<string, unknown> = { ...spec.defaults };
  for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) out[k] = v;
  delete out.enabled;
  // Every default is a key of S, and every D default is set: what the spec's type promises.
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions
  return out as WithDefaults<S, D>;
}

/** Problems with raw settings, keyed `<at>.<field>`: shape and keys, then the add-on's own. */
export function settingsProblems(
  spec: AddonSpec<CommonSettings, Prepared>,
  raw: unknown,
  at: string,
): string[] {
  if (!isRecord(raw)) {
    return [
      problem(
        at,
        "not a map of settings",
        raw,
        "give the add-on's settings as a map, {} for every default",
      ),
    ];
  }
  const known = ["enabled", "values", ...Object.keys(spec.defaults)];
  const [out, add] = problemList(
    Object.keys(raw)
      .filter((k) => !known.includes(k))
      .map((k) => problem(`${at}.${k}`, "unknown setting", k, `use ${known.join(", ")}`)),
  );
  if (raw.enabled !== undefined && typeof raw.enabled !== "boolean") {
    add(`${at}.enabled`, "not a boolean", raw.enabled, "use true or false");
  }
  if (raw.values !== undefined && !isRecord(raw.values)) {
    add(`${at}.values`, "not a map of chart values", raw.values, "give the chart's keys as a map");
  }
  if (out.length > 0) return out;
  return spec.problems?.(resolveSettings(spec, raw), at) ?? [];
}

/** A problem unless `value` is a whole number from `min` to `max`; `what` says what it counts. */
export function wholeNumberProblems(
  value: unknown,
  min: number,
  max: number,
  at: string,
  what: string,
): string[] {
  return problemIf(
    !isIntegerIn(value, min, max),
    at,
    `not ${what}`,
    value,
    `use a whole number from ${min} to ${max}`,
  );
}

/** A problem for each entry of `list` that does not match `pattern`, or one if it is no list. */
export function stringListProblems(
  list: unknown,
  pattern: RegExp,
  at: string,
  what: string,
  valid: string,
): string[] {
  if (!Array.isArray(list)) return [problem(at, `not a list of ${what}s`, list, valid)];
  return list.flatMap((v, i) =>
    typeof v === "string" && pattern.test(v)
      ? []
      : [problem(`${at}[${i}]`, `not a ${what}`, v, valid)],
  );
}

/** A `contextProblems` check: a problem, `what`, unless the cluster's name matches `pattern`. */
export const clusterNameProblems =
  (pattern: RegExp, what: string, valid: string) =>
  ({ clusterName }: { clusterName: string }, at: string): string[] =>
    pattern.test(clusterName) ? [] : [problem(`${at}.clusterName`, what, clusterName, valid)];

/** A problem unless `value` is a map of string to string. */
export function stringMapProblems(value: unknown, at: string, what: string): string[] {
  if (!isRecord(value))
    return [problem(at, `not a map of ${what}`, value, "give a map of strings")];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== "string")
    .map(([k, v]) => problem(`${at}.${k}`, "not a string", v, "quote numbers and booleans"));
}

/** A catalog table with one pin per Kubernetes minor, read three ways. */
export interface MinorPins<T> {
  /** The pin for a minor, if the table has one. */
  pinned: (minor: string) => T | undefined;
  /** A problem when the table pins nothing for the cluster's minor, keyed `<at>.kubernetesVersion`. */
  problems: (cluster: { kubernetesVersion: string }, at: string) => string[];
  /** The pin for a minor; throws that problem (keyed `context`) for a minor the table lacks. */
  require: (minor: string) => T;
}

/** `table` (named `tableName` in components/addons/catalog.ts) pins `what` per minor. */
export function minorPins<T>(
  table: Readonly<Record<string, T>>,
  what: string,
  tableName: string,
): MinorPins<T> {
  const pins = new Map(Object.entries(table));
  const pinned = (minor: string) => pins.get(minor);
  const problems = (cluster: { kubernetesVersion: string }, at: string) =>
    problemIf(
      pinned(cluster.kubernetesVersion) === undefined,
      `${at}.kubernetesVersion`,
      `no ${what} pinned for the cluster's Kubernetes minor`,
      cluster.kubernetesVersion,
      `use one of ${SUPPORTED_KUBERNETES_MINORS.join(", ")} or add it to ${tableName} in components/addons/catalog.ts`,
    );
  const require = (minor: string) => {
    const pin = pinned(minor);
    if (pin === undefined) throw new Error(problems({ kubernetesVersion: minor }, "context")[0]);
    return pin;
  };
  return { pinned, problems, require };
}
