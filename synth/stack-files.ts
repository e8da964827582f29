import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { readMigrationConfig } from "../stacks/migration-config";
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

const readYaml = (dir: string, file: string): unknown =>
  parse(readFileSync(path.join(dir, file), "utf8"));

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

/**
 * The pairs of stacks in `dir` that run side by side, as `migration:peers` declares them on either
 * side: each pair once, its names and the list sorted. Never a pair nobody declared, so a copied
 * file is not paired with its source. A stack whose file or `migration:*` is invalid declares
 * nothing here: its synth reports why.
 */
export function peerPairs(dir: string = ROOT): [string, string][] {
  const stacks = stackNames(dir);
  const pairs = new Map<string, [string, string]>();
  for (const stack of stacks) {
    let config: Record<string, string>;
    try {
      config = readStackConfig(stack, dir).config;
    } catch {
      continue; // Not YAML: its synth says where.
    }
    for (const peer of readMigrationConfig(config, { stack, stacks }).settings?.peers ?? []) {
      const [a, b] = [stack, peer].sort();
      pairs.set(`${a} ${b}`, [a, b]);
    }
  }
  return [...pairs.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, pair]) => pair);
}
