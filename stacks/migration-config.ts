import { z } from "zod";
import {
  type ExternalPeer,
  MAX_WEIGHT,
  type TrafficArgs,
  WEIGHT_HINT,
} from "../components/traffic/weighted-records";
import { ConfigValidationError, zodProblems } from "./errors";
import { DNS_LABEL } from "../components/kubernetes-names";
import { configValue, namespaceName } from "./validators";
import { optionList, problem, problemList } from "../components/problems";
import { STACK_NAME } from "./stack-names";

/** Keys for the move while two clusters share production, not for a cluster: gone when it ends. */
export const MIGRATION_NAMESPACE = "migration";

const weight = z
  .number({ error: `not a number; ${WEIGHT_HINT}` })
  .int({ error: `not an integer; ${WEIGHT_HINT}` })
  .min(0, { error: `weight out of range; ${WEIGHT_HINT}` })
  .max(MAX_WEIGHT, { error: `weight out of range; ${WEIGHT_HINT}` });

const hostname = z
  .string({ error: "not a hostname; use a fully qualified name such as www.example.com" })
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "not a hostname; use a lowercase fully qualified name such as www.example.com",
  });

const hostedZoneId = z
  .string({ error: "not a hosted zone id; use the bare id such as Z0123456789ABCDEFGHIJ" })
  .regex(/^Z[A-Z0-9]{1,31}$/, {
    error: "not a hosted zone id; use the bare id such as Z0123456789ABCDEFGHIJ",
  });

// A weighted-set member no blueprint stack owns (where a first move starts). Alias only: a set has
// one record type (ours: alias A to the gateway NLB), so an old CNAME becomes an alias to its LB.
const externalPeer = z
  .strictObject({
    weight,
    alias: z
      .strictObject({
        name: hostname,
        zoneId: hostedZoneId,
        evaluateTargetHealth: z.boolean().optional(),
      })
      .optional(),
    cname: z.string().optional(),
  })
  .transform((p, ctx) => {
    if (p.cname !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["cname"],
        message:
          "a weighted set has one record type, and ours are alias A records; declare the load balancer it points to as alias: {name, zoneId}",
      });
    } else if (p.alias === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["alias"],
        message:
          "missing; give the old side's load balancer as alias: {name, zoneId} (its DNS name and canonical hosted zone id)",
      });
    }
    return p.alias === undefined || p.cname !== undefined
      ? z.NEVER
      : { weight: p.weight, alias: p.alias };
  });

const singleton = z.strictObject({
  namespace: namespaceName,
  owned: z.boolean({
    error:
      "not a boolean; use true in the one stack that runs it and false in the other (pulumi config set --path stores true/false as booleans)",
  }),
});

const STACK_HINT = "use the <stack> of a Pulumi.<stack>.yaml file, such as prod";
const stackName = z
  .string({ error: `not a stack name; ${STACK_HINT}` })
  .regex(STACK_NAME, { error: `not a stack name; ${STACK_HINT}` });

/** The keys of the namespace, each read from its JSON text as Pulumi passes it. */
export const migrationSchema = z.strictObject({
  peers: z
    .array(stackName, { error: "not a list; use a list of stack names such as [prod]" })
    .refine((p) => new Set(p).size === p.length, { error: "duplicate stacks; list each once" })
    .default([]),
  weight: weight.optional(),
  hostedZoneId: hostedZoneId.optional(),
  externalPeers: z
    .record(
      z.string().regex(/^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$/, {
        error: "bad peer name; use a lowercase set identifier such as legacy",
      }),
      externalPeer,
    )
    .default({}),
  hostnames: z
    .array(hostname, { error: "not a list; use a list of hostnames such as [www.example.com]" })
    .refine((h) => new Set(h).size === h.length, { error: "duplicate hostnames; list each once" })
    .default([]),
  singletons: z
    .record(
      z.string().regex(DNS_LABEL, { error: "bad singleton name; use a Kubernetes name" }),
      singleton,
    )
    .default({}),
  importRecords: z.boolean({ error: "not a boolean; use true or false" }).default(false),
});

export interface SingletonSettings {
  namespace: string;
  /** True in exactly one of the two stacks: the one that runs it. */
  owned: boolean;
}

export interface MigrationSettings {
  /**
   * The stacks this one runs beside while traffic moves between them: `npm test` checks each
   * declared pair's coexistence once (either side may declare it). Absent when none.
   */
  peers?: string[];
  /**
   * This cluster's Route 53 weight (0 to 255) in each of `hostnames`. Required with `hostnames`, so
   * a key deleted by mistake cannot silently move traffic; 0 (unused) without them.
   */
  weight: number;
  /** Public hostnames both clusters serve; the stack owns one weighted record for each. @default [] */
  hostnames: string[];
  /** The Route 53 zone of `hostnames`. Required when `hostnames` is set. */
  hostedZoneId?: string;
  /**
   * Weighted-set members no blueprint stack owns, by set identifier; this stack then owns their
   * records too (docs/migration.md, "Adopting"). @default {}
   */
  externalPeers?: Record<string, ExternalPeer>;
  /** Workloads that must never run twice, by name, with whether this stack runs them. @default {} */
  singletons: Record<string, SingletonSettings>;
  /**
   * This cluster's weighted records already exist (its ExternalDNS published them before the stack
   * owned them): the stack imports them, never creating or deleting them first. @default false
   */
  importRecords?: boolean;
}

const key = (k: string) => `${MIGRATION_NAMESPACE}:${k}`;

/** The stack whose config is read and the project's stacks, which its peers must be among. */
export interface StackContext {
  stack: string;
  stacks: readonly string[];
}

/**
 * A peer is another stack of the project (stacks/stack-names.ts: its Pulumi.<stack>.yaml files).
 * Checked on the value as written, so these come with the schema's problems; a value that is no
 * list or no stack name is the schema's to report.
 */
function peerProblems(peers: unknown, { stack, stacks }: StackContext): string[] {
  const [problems, add] = problemList();
  if (!Array.isArray(peers)) return problems;
  const others = stacks.filter((s) => s !== stack);
  const valid =
    others.length > 0
      ? `use ${optionList(others)} (the project's other Pulumi.<stack>.yaml files)`
      : "this project has no other Pulumi.<stack>.yaml file to pair with: remove the key";
  peers.forEach((peer: unknown, i) => {
    if (typeof peer !== "string" || !STACK_NAME.test(peer)) return;
    if (peer === stack) add(key(`peers[${i}]`), "this stack itself", peer, valid);
    else if (!stacks.includes(peer)) {
      add(key(`peers[${i}]`), "not a stack of this project", peer, valid);
    }
  });
  return problems;
}

/**
 * Reads `migration:*` from the flat config; returns problems for the caller's one error. With
 * `context`, every `migration:peers` entry must name another of the project's stacks.
 */
export function readMigrationConfig(
  config: Record<string, string | undefined>,
  context?: StackContext,
): {
  settings?: MigrationSettings;
  problems: string[];
} {
  const raw: Record<string, unknown> = {};
  const prefix = key("");
  const fields = new Map(Object.entries(migrationSchema.shape));
  for (const [k, text] of Object.entries(config)) {
    if (!k.startsWith(prefix) || text === undefined) continue;
    const field = k.slice(prefix.length);
    raw[field] = configValue(text, fields.get(field));
  }
  const peerIssues = context ? peerProblems(raw.peers, context) : [];
  const parsed = migrationSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const [top, ...rest] = issue.path;
      const root = top === undefined ? MIGRATION_NAMESPACE : key(String(top));
      const input = top === undefined ? raw : raw[String(top)];
      const sub = new z.ZodError([{ ...issue, path: rest }]);
      // An unknown key sits at the top: report it as `migration:<key>`, as the user typed it.
      if (issue.code === "unrecognized_keys" && top === undefined) {
        return issue.keys.map((k) =>
          problem(
            key(k),
            "unknown key",
            k,
            "use migration:weight, migration:hostnames, migration:hostedZoneId, migration:externalPeers, migration:singletons, migration:importRecords or migration:peers",
          ),
        );
      }
      return zodProblems(root, input, sub);
    });
    return { problems: [...peerIssues, ...problems] };
  }
  const {
    weight: w,
    hostnames,
    hostedZoneId: zone,
    externalPeers,
    singletons,
    importRecords,
  } = parsed.data;
  const [missing, add] = problemList(peerIssues);
  if (w === undefined && hostnames.length > 0) {
    add(
      key("weight"),
      "missing while migration:hostnames is set",
      undefined,
      `set this stack's share with \`pulumi config set migration:weight <0-${MAX_WEIGHT}>\``,
    );
  }
  if (zone === undefined && hostnames.length > 0) {
    add(
      key("hostedZoneId"),
      "missing while migration:hostnames is set",
      undefined,
      "set the Route 53 zone of the hostnames with `pulumi config set migration:hostedZoneId <id>`",
    );
  }
  if (Object.keys(externalPeers).length > 0 && hostnames.length === 0) {
    add(
      key("externalPeers"),
      "set without migration:hostnames",
      Object.keys(externalPeers),
      "list the shared hostnames whose weighted records the peers join",
    );
  }
  if (missing.length > 0) return { problems: missing };
  return {
    settings: {
      ...(parsed.data.peers.length > 0 ? { peers: parsed.data.peers } : {}),
      weight: w ?? 0,
      hostnames,
      ...(zone === undefined ? {} : { hostedZoneId: zone }),
      externalPeers,
      singletons,
      ...(importRecords ? { importRecords } : {}),
    },
    problems: [],
  };
}

/** As `readMigrationConfig`, but throws one ConfigValidationError listing every problem. */
export function parseMigrationConfig(
  config: Record<string, string | undefined>,
): MigrationSettings {
  const { settings, problems } = readMigrationConfig(config);
  if (!settings) throw new ConfigValidationError(problems);
  return settings;
}

/** This stack's weighted records (set identifier: the cluster name); none without hostnames. */
export function trafficArgs(clusterName: string, m: MigrationSettings): TrafficArgs | undefined {
  if (m.hostnames.length === 0 || m.hostedZoneId === undefined) return undefined;
  return {
    zoneId: m.hostedZoneId,
    hostnames: m.hostnames,
    setIdentifier: clusterName,
    weight: m.weight,
    externalPeers: m.externalPeers,
    ...(m.importRecords ? { importExisting: true } : {}),
  };
}

/** Whether this stack runs the singleton `name`; throws for a name `migration:singletons` lacks. */
export function ownsSingleton(settings: MigrationSettings, name: string): boolean {
  const s = settings.singletons[name];
  if (!s) {
    throw new Error(
      problem(key(`singletons.${name}`), "not declared", name, singletonHint(settings)),
    );
  }
  return s.owned;
}

const singletonHint = (settings: MigrationSettings) => {
  const names = Object.keys(settings.singletons);
  return names.length > 0
    ? `use one of ${names.join(", ")} or declare it under migration:singletons`
    : "declare it under migration:singletons with its namespace and whether this stack owns it";
};

/** Problems with `refs` (config key → singleton, namespace): undeclared or another namespace. */
export function singletonReferenceProblems(
  settings: MigrationSettings,
  refs: Record<string, { singleton: string; namespace: string }>,
): string[] {
  const [problems, add] = problemList();
  for (const [ref, { singleton: name, namespace }] of Object.entries(refs)) {
    const s = settings.singletons[name];
    if (!s) add(`${ref}.singleton`, "not declared", name, singletonHint(settings));
    else if (s.namespace !== namespace) {
      add(
        `${ref}.namespace`,
        `not the namespace of singleton ${name}`,
        namespace,
        `use ${s.namespace}, as migration:singletons.${name}.namespace says`,
      );
    }
  }
  return problems;
}
