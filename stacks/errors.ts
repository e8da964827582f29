import type { z } from "zod";
import { problem } from "../components/problems";

/** Thrown once, with every problem found, before any resource is registered. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigValidationError";
  }
}

/** Joins a zod issue path onto a config key: `x:nodeGroups` + [a, 0] → `x:nodeGroups.a[0]`. */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : `${acc}.${String(p)}`),
    root,
  );
}

/** The value at a zod issue path, or undefined where the path leaves the input. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Reflect.get(v, p);
  }
  return v;
}

/**
 * `pulumi config set` for a key: nested keys need `--path` (without it the CLI writes one flat key
 * named `a.b[0]`); a list is set item by item (`[0]`), a map key by key (`.<key>`).
 */
export function configSetCommand(key: string, expected?: string): string {
  const inner = expected === "array" ? "[0]" : expected === "record" ? ".<key>" : "";
  const nested = /[.[]/.test(key.slice(key.indexOf(":") + 1)) || inner !== "";
  return nested
    ? `pulumi config set --path '${key}${inner}' <value>`
    : `pulumi config set ${key} <value>`;
}

/** A value of the wrong type, by the type expected: what is wrong, and what to write instead. */
function wrongType(expected: string, got: unknown): [string, string] {
  const scalar = ["string", "number", "boolean"].includes(typeof got);
  switch (expected) {
    case "string":
      // YAML reads `1.30` as 1.3 and `yes` as true: quoting keeps the text.
      return ["not a string", scalar ? `quote it: "${String(got)}"` : "give text"];
    case "number":
      return ["not a number", "give a number, unquoted"];
    case "boolean":
      return ["not a boolean", "use true or false"];
    case "array":
      return [
        "not a list",
        scalar ? `give a list: [${String(got)}]` : "give a list such as [a, b]",
      ];
    default:
      return ["not a map", "give key: value pairs, indented under the key"];
  }
}

/** Turns zod issues into our error format; `root` is the config key the value was read from. */
export function zodProblems(root: string, input: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = keyPath(root, issue.path);
    if (issue.code === "unrecognized_keys") {
      return problem(
        key,
        `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`,
        issue.keys,
        "remove it or check its spelling against the stack config table in README.md",
      );
    }
    const got = valueAt(input, issue.path);
    // zod's type check, or componentValue's, whose component checks every value but an absent one.
    if (got === undefined && (issue.code === "invalid_type" || issue.message === "missing")) {
      const expected = issue.code === "invalid_type" ? issue.expected : undefined;
      return problem(key, "missing", got, `set it with \`${configSetCommand(key, expected)}\``);
    }
    // zod's own wording ("Invalid input: expected number, received string") names no fix.
    if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
      const [what, valid] = wrongType(issue.expected, got);
      return problem(key, what, got, valid);
    }
    const [what, valid] = issue.message.includes(";")
      ? issue.message.split(/;\s*(.*)/s, 2)
      : [issue.message, "see the key in the stack config table in README.md"];
    return problem(key, what, got, valid);
  });
}
