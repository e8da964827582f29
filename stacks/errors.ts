import type { z } from "zod";
import { problem } from "../components/problems";

/** `<config key>: <what is wrong> (got <value>); <what is valid>`: the components' one format. */
export const configError = problem;

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

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Reflect.get(v, p);
  }
  return v;
}

/** Turns zod issues into our error format; `root` is the config key the value was read from. */
export function zodProblems(root: string, input: unknown, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return configError(
        keyPath(root, issue.path),
        `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`,
        issue.keys,
        "remove it or check its spelling against the stack config table in README.md",
      );
    }
    const got = valueAt(input, issue.path);
    if (issue.code === "invalid_type" && got === undefined) {
      const key = keyPath(root, issue.path);
      return configError(key, "missing", got, `set it with \`pulumi config set ${key} <value>\``);
    }
    const [problem, valid] = issue.message.includes(";")
      ? issue.message.split(/;\s*(.*)/s, 2)
      : [issue.message, "see the key in the stack config table in README.md"];
    return configError(keyPath(root, issue.path), problem, got, valid);
  });
}
