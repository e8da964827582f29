// The README stays true: its stack config table lists exactly the config keys, each with the
// schema's type and default and an example the schema accepts. (The public API's own checks:
// public-api.test.ts; the architecture pictures': diagrams.test.ts.)
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { configSchema, PROJECT } from "../stacks/config-schema";
import { parseStackConfig } from "../stacks/config";
import { MIGRATION_NAMESPACE, migrationSchema } from "../stacks/migration-config";
import { readStackConfig, ROOT } from "../synth/stack-files";

const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = (title: string) => README.split(/^## /m).find((s) => s.startsWith(`${title}\n`));

// ---- The stack config table -------------------------------------------------------------------

/**
 * Every config key a stack can set, with the schema that validates it: configSchema's fields and
 * the migration namespace's.
 */
const SCHEMAS: Record<string, z.ZodType> = {
  ...Object.fromEntries(
    Object.entries(configSchema.shape).map(([field, schema]) => [
      field === "region" ? "aws:region" : `${PROJECT}:${field}`,
      schema as z.ZodType,
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(migrationSchema.shape).map(([k, s]) => [`${MIGRATION_NAMESPACE}:${k}`, s]),
  ),
};

type Declared = { type?: string; items?: { type?: string }; description?: string };
const pulumiYaml = parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  config: Record<string, Declared>;
};
const qualified = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);
const declared = new Map(Object.entries(pulumiYaml.config).map(([k, d]) => [qualified(k), d]));
const KEYS = [...new Set([...Object.keys(SCHEMAS), ...declared.keys()])];

/** "Defaults to X." (or "Defaults to X (why)") in a Pulumi.yaml description, else the schema's. */
const statedDefault = (key: string) =>
  /Defaults to (.+?)(?: \(|\.$)/.exec(
    declared.get(key)?.description ?? SCHEMAS[key]?.description ?? "",
  )?.[1];

/** The table's type name: Pulumi.yaml's declared type, else the JSON Schema type of the schema. */
function typeOf(key: string): string {
  const d =
    declared.get(key) ??
    (z.toJSONSchema(SCHEMAS[key], { io: "input", unrepresentable: "any" }) as Declared);
  if (d.type === "array") return `${d.items?.type ?? "object"}[]`;
  return d.type === "number" ? "integer" : (d.type ?? "object");
}

type Want = "required" | "none" | { value: unknown } | { text: string };

/**
 * What the Default column must say: the value the schema fills in (a code span), "required",
 * "none", or else what Pulumi.yaml states: a value such as `eks-blueprint-<stack>` or a phrase.
 */
function defaultOf(key: string): Want {
  const schema = SCHEMAS[key];
  const absent = schema?.safeParse(undefined);
  if (absent && !absent.success) return "required";
  if (absent?.data !== undefined) return { value: absent.data };
  const stated = statedDefault(key);
  if (stated === undefined || stated === "none") {
    const required = !schema && /Required\.$/.test(declared.get(key)?.description ?? "");
    return required ? "required" : "none";
  }
  return stated.includes(" ") ? { text: stated } : { value: parseYaml(stated) };
}

interface Row {
  key: string;
  type: string;
  default: string;
  example: string;
  description: string;
}
const code = (cell: string) => /^`(.+)`$/.exec(cell)?.[1];
const table: Row[] = (() => {
  const lines = (section("Stack config") ?? "").split("\n").filter((l) => l.startsWith("|"));
  const cells = lines.map((l) =>
    l
      .slice(1, -1)
      .split(" | ")
      .map((c) => c.trim()),
  );
  const [header, , ...rows] = cells;
  if (header?.join() !== "Key,Type,Default,Example,Description") return [];
  return rows.map(([key, type, def, example, description]) => ({
    key: code(key) ?? key,
    type,
    default: def,
    example: code(example) ?? "",
    description,
  }));
})();

describe("README stack config table", () => {
  test("it has the columns key, type, default, example, description and one row per config key", () => {
    expect(table.length).toBeGreaterThan(0);
    expect(table.map((r) => r.key).sort()).toEqual([...KEYS].sort());
  });

  // The CLI requires every declared key without a default, so Pulumi.yaml declares the required
  // keys only; test/stack-config-pulumi-yaml.test.ts holds it and the schema in step.
  test("Pulumi.yaml declares only keys the schema requires", () => {
    expect([...declared.keys()].filter((k) => defaultOf(k) !== "required")).toEqual([]);
  });

  test.each(KEYS)("%s: type and default as in the schema, an example it accepts", (key) => {
    const row = table.find((r) => r.key === key);
    expect(row).toBeDefined();
    expect(row!.type).toBe(typeOf(key));
    const want = defaultOf(key);
    if (typeof want === "string") expect(row!.default).toBe(want);
    else if ("text" in want) expect(row!.default).toBe(want.text);
    else expect(parseYaml(code(row!.default) ?? "<not a code span>")).toEqual(want.value);
    expect(row!.description.length).toBeGreaterThan(10);
    const example: unknown = parseYaml(row!.example);
    const issues = SCHEMAS[key]?.safeParse(example).error?.issues;
    expect(issues ?? []).toEqual([]);
    const kind = Array.isArray(example) ? "array" : typeof example;
    expect(kind).toBe(row!.type.endsWith("[]") ? "array" : row!.type.replace("integer", "number"));
  });

  test("Pulumi.yaml descriptions state the defaults the schema applies and mark the required keys", () => {
    for (const key of KEYS.filter((k) => declared.has(k) && SCHEMAS[k])) {
      const want = defaultOf(key);
      const description = declared.get(key)?.description ?? "";
      if (want === "required")
        expect([key, description]).toEqual([key, expect.stringMatching(/Required\.$/)]);
      else if (want !== "none" && "value" in want)
        expect([key, parseYaml(statedDefault(key) ?? "~")]).toEqual([key, want.value]);
    }
  });

  test("the cluster name defaults to <project>-<stack>, as the table says", () => {
    const row = table.find((r) => r.key === `${PROJECT}:clusterName`)!;
    const { config } = readStackConfig("prod2");
    delete config[`${PROJECT}:clusterName`];
    const args = parseStackConfig("staging", config);
    expect(args.clusterName).toBe(code(row.default)?.replace("<stack>", "staging"));
  });
});

// ---- The layout table -------------------------------------------------------------------------

describe("the README's layout table", () => {
  const layout = section("Layout") ?? "";
  const named = new Set([...layout.matchAll(/^\| `([^`]+\/)`/gm)].map((m) => m[1]));
  const folders = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => [`${dir}/${e.name}/`, ...folders(`${dir}/${e.name}`)]);

  test.each(["components", "stacks", "synth", "policy", "tools"])(
    "names %s/ and every folder of the library",
    (top) => {
      const missing = [`${top}/`, ...(top === "components" ? folders(top) : [])].filter(
        (f) => !named.has(f),
      );
      // A new folder is a new concept: add a row saying what it holds and what it imports.
      expect(missing).toEqual([]);
    },
  );

  test("components/ keeps at most 10 files at its top level: everything else sits in a concept", () => {
    const files = readdirSync(path.join(ROOT, "components"), { withFileTypes: true }).filter((e) =>
      e.isFile(),
    );
    expect(files.length).toBeLessThanOrEqual(10);
  });
});
