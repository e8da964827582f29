// Pulumi.yaml and the schema stay in step. The Pulumi CLI refuses a stack that lacks any key
// Pulumi.yaml declares without a default (pulumi/pulumi pkg/workspace/config.go, mergeConfig:
// "Stack 'dev' is missing configuration value 'values'"), so Pulumi.yaml must declare exactly the
// keys our schema requires, with the type the schema reads.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { configSchema, PROJECT } from "../stacks/config-schema";
import { knownConfigKeys } from "../stacks/config-keys";
import { ROOT } from "../synth/stack-files";
import { stackNames } from "../stacks/stack-names";
import { missingDeclaredKeys, stackFileConfig } from "./stack-suites";

type Declared = { type?: string; items?: { type?: string }; default?: unknown; secret?: boolean };
const declared = (
  parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, Declared>;
  }
).config;

/** Every key of the project's namespace with the schema that reads it. */
const projectSchemas: Record<string, z.ZodType> = {
  ...Object.fromEntries(
    Object.entries(configSchema.shape)
      .filter(([field]) => field !== "region")
      .map(([field, schema]) => [field, schema as z.ZodType]),
  ),
};
const required = (schema: z.ZodType) => !schema.safeParse(undefined).success;

/** Pulumi.yaml's type name for a schema: its JSON Schema type, with the item type for arrays. */
function pulumiType(schema: z.ZodType): Declared {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Declared;
  const type = json.type === "number" ? "integer" : json.type;
  return type === "array" ? { type, items: { type: json.items?.type } } : { type };
}

test("Pulumi.yaml declares exactly the project keys the schema requires", () => {
  const requiredKeys = Object.keys(projectSchemas).filter((k) => required(projectSchemas[k]));
  expect(Object.keys(declared).sort()).toEqual(requiredKeys.sort());
  expect(requiredKeys.sort()).toEqual(["kubernetesVersion", "nodeGroups", "vpcCidr"]);
});

test("no declared key has a default, a value or secret: true (each would be a second source of truth)", () => {
  const extra = Object.entries(declared).filter(
    ([, d]) => "default" in d || "value" in d || d.secret === true,
  );
  expect(extra.map(([k]) => k)).toEqual([]);
});

test.each(Object.keys(declared))("%s: the declared type is the schema's", (key) => {
  const d = declared[key];
  const want = pulumiType(projectSchemas[key]);
  expect({ type: d.type, ...(d.items ? { items: d.items } : {}) }).toEqual(want);
});

test("the declared keys are known to the config reader", () => {
  const known = knownConfigKeys();
  expect(Object.keys(declared).filter((k) => !known.includes(`${PROJECT}:${k}`))).toEqual([]);
});

test.each(stackNames())("%s sets every declared key", (stack) => {
  expect(missingDeclaredKeys(stackFileConfig(stack, ROOT), ROOT)).toEqual([]);
});
