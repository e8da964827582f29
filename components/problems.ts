// The one format of validation problems. Components check their args with pure `…Problems()`
// functions the stack schema calls too: one answer, worded for the path each user typed
// (`nodeGroups.general.minSize` or `eks-blueprint:nodeGroups.general.minSize`).

/** `<path>: <what is wrong> (got <value>); <what is valid>`. */
export const problem = (key: string, what: string, got: unknown, valid: string): string =>
  `${key}: ${what} (got ${JSON.stringify(got)}); ${valid}`;

/** `[problem(…)]` when `wrong`, else none: a check that finds at most one problem. */
export const problemIf = (wrong: boolean, ...p: Parameters<typeof problem>): string[] =>
  wrong ? [problem(...p)] : [];

/** A problem list and the function that adds one to it, for checks made field by field. */
export function problemList(
  out: string[] = [],
): [string[], (...p: Parameters<typeof problem>) => void] {
  return [out, (...p) => void out.push(problem(...p))];
}

/**
 * An args field as its caller typed it: nested args (`network`) and stack config spellings
 * (`network.cidrBlock` is `eks-blueprint:vpcCidr`) map their own way; a plain prefix is `under`.
 */
export type PathOf = (field: string) => string;

/** Fields under `prefix` (`under("network")("cidrBlock")` is `network.cidrBlock`); `""` is the root. */
export const under =
  (prefix: string): PathOf =>
  (field) =>
    prefix ? `${prefix}.${field}` : field;

/** Throws one error listing every problem; called before `super()`, so nothing is registered. */
export function throwProblems(component: string, name: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${component} ${name}:\n  - ${problems.join("\n  - ")}`);
}

export const isIntegerIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** A list of distinct TCP ports, 1 to 65535, when given. */
export const portListProblems = (ports: unknown, key: string): string[] =>
  problemIf(
    ports !== undefined &&
      (!Array.isArray(ports) ||
        !ports.every((p) => isIntegerIn(p, 1, 65535)) ||
        new Set(ports).size !== ports.length),
    key,
    "not distinct ports",
    ports,
    "use distinct integers from 1 to 65535",
  );

/** Whether `value` is one of `options`: a type guard, so the caller needs no cast. */
export const isOneOf = <T>(options: readonly T[], value: unknown): value is T =>
  options.some((o) => o === value);

/** A JSON-like map (not null, not an array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `A, B or C` (or `A, B and C`): a list of options as a sentence names them. */
export const optionList = (options: readonly unknown[], last = "or"): string =>
  options.length > 1
    ? `${options.slice(0, -1).join(", ")} ${last} ${String(options[options.length - 1])}`
    : String(options[0]);

/** A problem unless `value` is one of `options`; `hint` follows the list in the fix. */
export function oneOfProblems(
  value: unknown,
  options: readonly unknown[],
  at: string,
  what: string,
  hint = "",
): string[] {
  return options.includes(value)
    ? []
    : [problem(at, `unknown ${what}`, value, `use ${optionList(options)}${hint}`)];
}

/**
 * A problem per key of the map `value` that is not one of `known`, keyed `<at>.<key>`: a misspelt
 * optional field would otherwise keep its default without a word. Not a map: none (its own check).
 */
export function unknownFieldProblems(
  value: unknown,
  known: readonly string[],
  at: string,
): string[] {
  if (!isRecord(value)) return [];
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => problem(`${at}.${k}`, "unknown key", k, `use ${optionList(known)}`));
}

/** An object's own keys, typed as its keys. */
export const keysOf = <T extends object>(o: T): Extract<keyof T, string>[] =>
  Object.keys(o).filter((k): k is Extract<keyof T, string> => k in o);

// Short names (node groups, Fargate profiles, workload roles, pod security groups) go into
// physical names, `<clusterName>-<short name>`, which AWS caps at 63 or 64 characters.
const SHORT_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const SHORT_NAME_HINT =
  "use 1-20 characters: lowercase letters, digits and hyphens, starting with a letter";

/** A problem when `name` is not a short name; `what` says what it names (`node group name`). */
export const shortNameProblems = (name: string, at: string, what: string): string[] =>
  SHORT_NAME.test(name) ? [] : [problem(at, `bad ${what}`, name, SHORT_NAME_HINT)];

/** Edit distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length];
}
