import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { noStackFile, ROOT, stackFile, stackNames } from "../stacks/stack-names";
import { REDACTED } from "./record";
import type { SynthOptions } from "./synthesize";

// Where the stack files are; the programs and tests import it from here.
export { ROOT };

export type StackConfigFile = Required<SynthOptions>;

/** Pulumi passes every config value as a string; structured values as JSON. */
export function flattenConfig(
  config: Record<string, unknown>,
): Pick<StackConfigFile, "config" | "secretKeys"> {
  const flat: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      // Offline there is no secrets provider to decrypt with: the synth shows it redacted.
      flat[key] = REDACTED;
      secretKeys.push(key);
    } else {
      flat[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { config: flat, secretKeys };
}

const parsed = new Map<string, unknown>();
/** A YAML file, parsed once per content (tests and the synth read the same stack files often). */
const readYaml = (dir: string, file: string): unknown => {
  const text = readFileSync(path.join(dir, file), "utf8");
  if (!parsed.has(text)) parsed.set(text, parse(text));
  return structuredClone(parsed.get(text));
};

/** `Pulumi.yaml` and the `config:` map of `Pulumi.<stack>.yaml` in `dir`, as parsed YAML. */
export function readStackFiles<P extends { name: string }>(stack: string, dir: string = ROOT) {
  const stacks = stackNames(dir);
  if (!stacks.includes(stack)) throw new Error(noStackFile(stack, stacks));
  const project = readYaml(dir, "Pulumi.yaml") as P;
  const settings = readYaml(dir, stackFile(stack)) as { config?: Record<string, unknown> };
  return { project, config: settings?.config ?? {} };
}

/** Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` in `dir` as the Pulumi CLI hands them over. */
export function readStackConfig(stack: string, dir: string = ROOT): StackConfigFile {
  const { project, config } = readStackFiles(stack, dir);
  return { project: project.name, stack, ...flattenConfig(config) };
}
