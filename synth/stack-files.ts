import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REDACTED } from "./record";
import type { SynthOptions } from "./synthesize";

export const ROOT = path.resolve(
  __dirname,
  "..",
  __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "",
);

/** A stack's config as the synth takes it, every field set. */
export type StackConfigFile = Required<SynthOptions>;

/** Pulumi passes every config value as a string; structured values as JSON. */
export function flattenConfig(
  config: Record<string, unknown>,
): Pick<StackConfigFile, "config" | "secretKeys"> {
  const flat: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      // Offline there is no secrets provider to decrypt with; the synth shows the value as redacted.
      flat[key] = REDACTED;
      secretKeys.push(key);
    } else {
      flat[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config: flat, secretKeys };
}

/** Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` from `dir` the way the Pulumi CLI hands them to the program. */
export function readStackConfig(stack: string, dir: string = ROOT): StackConfigFile {
  const project = (parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string })
    .name;
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const settings = (parse(readFileSync(file, "utf8")) ?? {}) as {
    config?: Record<string, unknown>;
  };
  return { project, stack, ...flattenConfig(settings.config ?? {}) };
}
