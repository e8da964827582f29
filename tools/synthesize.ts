import * as pulumi from "@pulumi/pulumi";
import { createMocks, DEFAULT_REGION, Registration } from "./mocks";

/** One resource as our program registers it: the unit of the synth JSON, the policy rules and the diff. */
export interface SynthRecord {
  type: string;
  name: string;
  /** `type::name` of the parent, or null for a top-level resource. */
  parent: string | null;
  inputs: Record<string, unknown>;
  /** Set when the resource is protected from deletion; in memory only, not part of the synth JSON. */
  protect?: true;
  /** `type::name` of explicit dependencies (`dependsOn`); in memory only, like `protect`. */
  dependsOn?: string[];
}

export interface SynthResult {
  stack: string;
  resources: SynthRecord[];
}

export interface SynthOptions {
  project: string;
  stack: string;
  /** Flat Pulumi config, `namespace:key` → string (objects JSON-encoded), as the language host passes it. */
  config: Record<string, string>;
  /** Config keys that hold secrets. */
  secretKeys?: string[];
}

/** The program threw; `resources` holds what it had registered by then (nothing, for a config error). */
export class SynthError extends Error {
  constructor(
    readonly cause: unknown,
    readonly resources: SynthRecord[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "SynthError";
  }
}

/** Pulumi's wire signature for a secret value. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const REDACTED = "[secret]";

const urnTypeName = (urn: string) => {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return `${type}::${parts[3] ?? ""}`;
};

/** Secrets become "[secret]", resource references `type::name`, and keys are sorted, so output is stable. */
export function normalizeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return REDACTED;
    if (obj[SECRET_SIG_KEY] === RESOURCE_SIG && typeof obj.urn === "string")
      return urnTypeName(obj.urn);
    if (pulumi.Resource.isInstance(obj)) {
      const res = obj as unknown as { __pulumiType: string; __name: string };
      return `${res.__pulumiType}::${res.__name}`;
    }
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .filter((k) => obj[k] !== undefined)
        .map((k) => [k, normalizeValue(obj[k])]),
    );
  }
  return value;
}

const compareRecords = (a: SynthRecord, b: SynthRecord) =>
  a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * Runs `program` under the shared mocks with the given config and returns every resource it
 * registered. Awaits `pulumi.runtime.disconnect()`, which resolves once every registration has
 * reached the mocks, so nothing is guessed with timers.
 */
export async function synthesize<T>(
  options: SynthOptions,
  program: () => T | Promise<T>,
): Promise<SynthResult> {
  const registrations: Registration[] = [];
  const parents = new Map<string, string | null>();
  const protectedKeys = new Set<string>();
  const dependencies = new Map<string, string[]>();
  const region = options.config["aws:region"] ?? DEFAULT_REGION;
  pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    createMocks(registrations, region),
    options.project,
    options.stack,
    false,
  );
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((t) => {
      // A resource passed into a remote component is rehydrated from its URN on the mocks' side;
      // that copy is not a registration and has no parent.
      if (t.opts.urn) return undefined;
      const parent = t.opts.parent as
        (pulumi.Resource & { __pulumiType?: string; __name?: string }) | undefined;
      const parentKey =
        parent && parent.__pulumiType !== "pulumi:pulumi:Stack"
          ? `${parent.__pulumiType}::${parent.__name}`
          : null;
      parents.set(`${t.type}::${t.name}`, parentKey);
      if (t.opts.protect) protectedKeys.add(`${t.type}::${t.name}`);
      const deps = [t.opts.dependsOn ?? []].flat().filter((d) => pulumi.Resource.isInstance(d));
      if (deps.length > 0) {
        dependencies.set(
          `${t.type}::${t.name}`,
          deps.map((d) => normalizeValue(d) as string).sort(),
        );
      }
      return undefined;
    });
    try {
      return await program();
    } catch (e) {
      failure = e;
      return undefined;
    }
  });
  await pulumi.runtime.disconnect();
  const resources = registrations
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({
      type: r.type,
      name: r.name,
      parent: parents.get(`${r.type}::${r.name}`) ?? null,
      inputs: normalizeValue(r.inputs) as Record<string, unknown>,
      ...(protectedKeys.has(`${r.type}::${r.name}`) ? { protect: true as const } : {}),
      ...(dependencies.has(`${r.type}::${r.name}`)
        ? { dependsOn: dependencies.get(`${r.type}::${r.name}`) }
        : {}),
    }))
    .sort(compareRecords);
  if (failure) throw new SynthError(failure, resources);
  return { stack: options.stack, resources };
}
