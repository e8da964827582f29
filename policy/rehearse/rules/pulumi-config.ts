import { parseStackConfig } from "../../../stacks/config";
import { closestKey, SECRET_CONFIG_KEYS, unknownKeys } from "../../../stacks/config-keys";
import { ConfigValidationError } from "../../../stacks/errors";
import { flattenConfig } from "../../../synth/stack-files";
import { defineRule, type Rule } from "../types";

const PULUMI_CONFIG_SOURCE =
  "https://github.com/pulumi/pulumi/blob/master/sdk/go/common/workspace/config.go (mergeConfig, validateStackConfigValue)";

/** Declared keys may omit the project's namespace. */
const qualified = (project: string, key: string) => (key.includes(":") ? key : `${project}:${key}`);
const isSecure = (v: unknown) => v !== null && typeof v === "object" && "secure" in v;

export const pulumiConfigRules: Rule[] = [
  defineRule({
    id: "declared-keys-are-set",
    phase: "config",
    title: "the Pulumi CLI requires every key Pulumi.yaml declares without a default",
    source: `${PULUMI_CONFIG_SOURCE}: "Stack '<stack>' is missing configuration value '<key>'"`,
    smokeCheck: "pulumi-up-succeeds",
    check({ project, stackConfig, stack }) {
      const message = `Pulumi.yaml declares it without a default and Pulumi.${stack}.yaml does not set it, so the CLI refuses the stack before the program runs; set it, or stop declaring an optional key`;
      return Object.entries(project.config ?? {})
        .filter(([, decl]) => !("default" in decl) && !("value" in decl))
        .map(([key]) => qualified(project.name, key))
        .filter((key) => key.startsWith(`${project.name}:`) && !(key in stackConfig))
        .map((subject) => ({ subject, message }));
    },
  }),
  /**
   * The CLI refuses a plain value for a declared secret. Ours are optional, so undeclared (a
   * declared key is required), and held to the same rule.
   */
  defineRule({
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
          subject: key,
          message: `is a secret but stands in plain text in the stack file; run pulumi config set --secret ${key}`,
        }));
    },
  }),
  /** A misspelt key (`eks-blueprint:protected: false`) silently leaves its default in force. */
  defineRule({
    id: "config-keys-are-known",
    phase: "config",
    title: "every key set in this project's namespaces is one the program reads",
    source:
      "stacks/config-keys.ts (our rule: the Pulumi CLI does not check keys it does not declare)",
    smokeCheck: "pulumi-up-succeeds",
    check({ stackConfig }) {
      return unknownKeys(stackConfig).map((key) => ({
        subject: key,
        message: `is not a key this program reads, so it would be ignored${closestKey(key) ? `; did you mean ${closestKey(key)}?` : ""}`,
      }));
    },
  }),
  /** The program's own validation, so the rehearsal reports every problem at once. */
  defineRule({
    id: "config-is-valid",
    phase: "config",
    title: "the stack config passes the program's validation (the errors `pulumi up` would print)",
    source: "stacks/config.ts (parseStackConfig)",
    smokeCheck: "pulumi-up-succeeds",
    check(input) {
      const { config } = flattenConfig(input.stackConfig);
      try {
        parseStackConfig(input.stack, config, {}, input.stacks);
        return [];
      } catch (e) {
        if (!(e instanceof ConfigValidationError)) throw e;
        // Unknown keys are config-keys-are-known's to report.
        const unknown = unknownKeys(input.stackConfig);
        return e.problems
          .filter((p) => !unknown.some((key) => p.startsWith(`${key}: `)))
          .map((message) => ({ subject: "", message }));
      }
    },
  }),
];
