// Every problem in one run. Each top-level key is read on its own; a part its schema refuses is
// set aside (an unknown key dropped, a value of the wrong type or a missing one replaced by an
// empty one of the right type, any other refused value left to its default) until the rest reads,
// so the components check all that could be read, in the same run as the schema's problems.
import type { z } from "zod";
import { isRecord } from "../components/problems";
import { keyPath, valueAt, zodProblems } from "./errors";

type Path = readonly PropertyKey[];

export interface KeyReading {
  /** The value as written with the refused parts set aside; undefined when none of it reads. */
  value: unknown;
  /** The schema's problems with the value as written. */
  problems: string[];
  /** Keys of the parts set aside (a list's key for its items), or the key itself. */
  cuts: string[];
}

/** An empty value of the type zod expected, which its schema takes (components check the rest). */
const EMPTY: Record<string, () => unknown> = {
  string: () => "",
  number: () => 0,
  boolean: () => false,
  array: () => [],
  object: () => ({}),
  record: () => ({}),
};

/** Sets aside the part `issue` refuses in `box.value`, its key into `cuts`; false if none fits. */
function setAside(box: { value: unknown }, issue: z.core.$ZodIssue, cuts: Path[]): boolean {
  const path = [...issue.path];
  if (issue.code === "unrecognized_keys") {
    const holder = valueAt(box.value, path);
    if (isRecord(holder)) for (const k of issue.keys) delete holder[k];
    return true;
  }
  const holder = valueAt(box.value, path.slice(0, -1));
  const last = path[path.length - 1];
  if (path.length === 0 || !(isRecord(holder) || Array.isArray(holder))) return false;
  // A list's own checks (all x86, spot with two types) would judge the stand-in: set the list aside.
  let list = path.slice(0, -1);
  while (typeof list[list.length - 1] === "number") list = list.slice(0, -1);
  cuts.push(typeof last === "number" ? list : path);
  const empty = issue.code === "invalid_type" ? EMPTY[issue.expected] : undefined;
  if (empty) Reflect.set(holder, last, empty());
  // Missing where any value would do (`componentValue`): null, for the component to refuse.
  else if (valueAt(box.value, path) === undefined) Reflect.set(holder, last, null);
  // Refused otherwise: the default, or an empty value next round; an item, with its list.
  else if (isRecord(holder)) delete holder[String(last)];
  else {
    const listHolder = valueAt(box.value, list.slice(0, -1));
    if (list.length === 0 || !isRecord(listHolder)) return false;
    delete listHolder[String(list[list.length - 1])];
  }
  return true;
}

/** Reads one top-level key (`root`) with its schema, setting aside what the schema refuses. */
export function readKey(root: string, schema: z.ZodType, input: unknown): KeyReading {
  const first = schema.safeParse(input);
  if (first.success) return { value: input, problems: [], cuts: [] };
  const problems = zodProblems(root, input, first.error);
  const box = { value: structuredClone(input) };
  const cuts: Path[] = [];
  let issues = first.error.issues;
  // Each round sets a part aside or gives up; the bound only guards against a schema that
  // refuses its own stand-ins.
  for (let round = 0; round < 20 && issues.length > 0; round++) {
    if (!issues.every((issue) => setAside(box, issue, cuts))) break;
    issues = schema.safeParse(box.value).error?.issues ?? [];
  }
  return issues.length === 0
    ? { value: box.value, problems, cuts: cuts.map((p) => keyPath(root, p)) }
    : { value: undefined, problems, cuts: [root] };
}

/** `key` is `outer` or a key under it. */
export const within = (key: string, outer: string) =>
  key === outer || key.startsWith(`${outer}.`) || key.startsWith(`${outer}[`);

/** Config keys a problem names in its text (`turn eks-blueprint:addons.istio on`). */
const mentions = (text: string) =>
  [...text.matchAll(/\b(?:eks-blueprint|migration|aws):[\w.[\]-]+/g)].map((m) =>
    m[0].replace(/[.[]+$/, ""),
  );

/**
 * Whether a component's problem is about a part set aside, whose schema problem is the one to
 * fix: keyed at or under it, or above it within its key (the entry holds a stand-in), or naming
 * it or what holds it (`set, but eks-blueprint:addons.istio is off` when the add-ons did not read).
 */
export function isCutAway(problem: string, cuts: readonly string[]): boolean {
  const colon = problem.indexOf(": ");
  const key = problem.slice(0, colon);
  const named = mentions(problem.slice(colon + 2));
  return cuts.some(
    (c) =>
      within(key, c) ||
      (within(c, key) && key !== /^[^.[]+/.exec(c)?.[0]) ||
      named.some((m) => within(m, c) || within(c, m)),
  );
}
