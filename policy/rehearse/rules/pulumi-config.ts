import { parseStackConfig } from "../../../stacks/config";
import {
  closestKey,
  knownConfigKeys,
  OUR_NAMESPACES,
  SECRET_CONFIG_KEYS,
} from "../../../stacks/config-keys";
import { ConfigValidationError } from "../../../stacks/errors";
import { flattenConfig } from "../../../synth/stack-files";
import type { Finding, RehearsalInput, Rule } from "../types";

const PULUMI_CONFIG_SOURCE =
  "https://github.com/pulumi/pulumi/blob/master/sdk/go/common/workspace/config.go (mergeConfig, validateStackConfigValue)";

/** A project key as the stack file spells it: declared keys may omit the project's namespace. */
const qualified = (project: string, key: string) => (key.includes(":") ? key : `${project}:${key}`);
const isSecure = (v: unknown) => v !== null && typeof v === "object" && "secure" in v;

export const declaredKeysAreSet: Rule = {
  id: "declared-keys-are-set",
  phase: "config",
  title: "the Pulumi CLI requires every key Pulumi.yaml declares without a default",
  source: `${PULUMI_CONFIG_SOURCE}: "Stack '<stack>' is missing configuration value '<key>'"`,
  smokeCheck: "pulumi-up-succeeds",
  check({ project, stackConfig, stack }) {
    return Object.entries(project.config ?? {})
      .filter(([, decl]) => !("default" in decl) && !("value" in decl))
      .map(([key]) => qualified(project.name, key))
      .filter((key) => key.startsWith(`${project.name}:`) && !(key in stackConfig))
      .map((key) => ({
        rule: "declared-keys-are-set",
        subject: key,
        message: `Pulumi.yaml declares it without a default and Pulumi.${stack}.yaml does not set it, so the CLI refuses the stack before the program runs; set it, or stop declaring an optional key`,
      }));
  },
};

/**
 * The CLI refuses a plain value for a key Pulumi.yaml declares `secret: true`; our secret keys
 * are optional, so not declared (a declared key is required), and we hold them to the same rule.
 */
export const secretKeysAreEncrypted: Rule = {
  id: "secret-keys-are-encrypted",
  phase: "config",
  title: "a secret key must be set with `pulumi config set --secret`, never in plain text",
  source: `${PULUMI_CONFIG_SOURCE}: "Stack '<stack>' with configuration key '<key>' must be encrypted as it's secret"; stacks/config-keys.ts SECRET_CONFIG_KEYS`,
  smokeCheck: "pulumi-up-succeeds",
  check({ project, stackConfig }) {
    const declared = Object.entries(project.config ?? {})
      .filter(([, decl]) => decl.secret === true)
      .map(([key]) => qualified(project.name, key));
    return [...new Set([...declared, ...SECRET_CONFIG_KEYS])]
      .filter((key) => key in stackConfig && !isSecure(stackConfig[key]))
      .map((key) => ({
        rule: "secret-keys-are-encrypted",
        subject: key,
        message: `is a secret but stands in plain text in the stack file; run pulumi config set --secret ${key}`,
      }));
  },
};

/**
 * Our own rule: the CLI passes any key through, so a misspelt optional key would silently leave
 * its default in force (for example `eks-blueprint:protected: false` keeps protection on).
 */
export const configKeysAreKnown: Rule = {
  id: "config-keys-are-known",
  phase: "config",
  title: "every key set in this project's namespaces is one the program reads",
  source:
    "stacks/config-keys.ts (our rule: the Pulumi CLI does not check keys it does not declare)",
  smokeCheck: "pulumi-up-succeeds",
  check({ stackConfig }) {
    const known = new Set(knownConfigKeys());
    return Object.keys(stackConfig)
      .filter((key) => (OUR_NAMESPACES as readonly string[]).includes(key.split(":")[0]))
      .filter((key) => !known.has(key))
      .map((key) => ({
        rule: "config-keys-are-known",
        subject: key,
        message: `is not a key this program reads, so it would be ignored${closestKey(key) ? `; did you mean ${closestKey(key)}?` : ""}`,
      }));
  },
};

/** The program's own validation, run on the stack file, so the rehearsal reports every problem at once. */
export const configIsValid: Rule = {
  id: "config-is-valid",
  phase: "config",
  title: "the stack config passes the program's validation (the errors `pulumi up` would print)",
  source: "stacks/config.ts (parseStackConfig)",
  smokeCheck: "pulumi-up-succeeds",
  check(input: RehearsalInput): Finding[] {
    const { config } = flattenConfig(input.stackConfig);
    try {
      parseStackConfig(input.stack, config);
      return [];
    } catch (e) {
      if (!(e instanceof ConfigValidationError)) throw e;
      // Unknown keys are config-keys-are-known's to report.
      const known = new Set(knownConfigKeys());
      const unknownKey = (p: string) => {
        const key = p.slice(0, p.indexOf(": "));
        return /^[\w-]+:[\w-]+$/.test(key) && key in input.stackConfig && !known.has(key);
      };
      return e.problems
        .filter((p) => !unknownKey(p))
        .map((p) => ({ rule: "config-is-valid", subject: "", message: p }));
    }
  },
};

export const pulumiConfigRules: Rule[] = [
  declaredKeysAreSet,
  secretKeysAreEncrypted,
  configKeysAreKnown,
  configIsValid,
];
