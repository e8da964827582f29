/** How the synth writes a secret; it never holds the value. */
export const REDACTED = "[secret]";

/** What the policy rules and the diff read of a resource; CrossGuard's resources have it too. */
export interface ResourceView {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect?: boolean;
}

/** `type::name`: how the synth names a resource in `parent`, `dependsOn` and provenance. */
export const recordKey = (r: Pick<ResourceView, "type" | "name">): string => `${r.type}::${r.name}`;

/** A Kubernetes object's metadata as recorded: name, namespace and labels, where they are strings. */
export function kubeMeta(r: Pick<ResourceView, "inputs">) {
  const m = (r.inputs.metadata ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const labels = Object.entries((m.labels ?? {}) as Record<string, unknown>);
  return {
    name: text(m.name),
    namespace: text(m.namespace),
    labels: Object.fromEntries(
      labels.filter((e): e is [string, string] => text(e[1]) !== undefined),
    ),
  };
}

/** A Kubernetes object's id, `namespace/name` (or `name`), as pulumi-kubernetes gives it. */
export const kubernetesId = (r: ResourceView): string | undefined => {
  const { name, namespace } = kubeMeta(r);
  if (!r.type.startsWith("kubernetes:") || name === undefined) return undefined;
  return namespace !== undefined ? `${namespace}/${name}` : name;
};

/** Pulumi's wire signatures (sdk/go/common/resource/sig/sig.go): `{[key]: secret | reference}`. */
export const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  reference: "5cf8f73096256a8f31e491e813e4eb8e",
} as const;

/** urn.go: `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`, the name last and open. */
export function parseUrn(urn: string): { stack: string; type: string; name: string } {
  const parts = urn.replace(/^urn:pulumi:/, "").split("::");
  const qualified = parts[2] ?? "";
  return {
    stack: parts[0] ?? "",
    type: qualified.slice(qualified.lastIndexOf("$") + 1),
    name: parts.slice(3).join("::"),
  };
}

/** A provider reference is `<urn>::<id>`; the URN is what the engine creates first. */
export const providerUrn = (ref: string): string => ref.slice(0, ref.lastIndexOf("::"));

/** A URN's `type::name`. */
export const urnKey = (urn: string): string => recordKey(parseUrn(urn));

/** The synth's order: by type, then name. */
export const compareRecords = (a: ResourceView, b: ResourceView): number =>
  a.type !== b.type ? (a.type < b.type ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * A value as the synth records it: secrets redacted, references `type::name` (added to `refs`),
 * keys sorted, undefined left out. `referenceOf` names other objects that are references (the
 * SDK's resources); `omitted` keys an object leaves out (the bridge's defaults in a state).
 */
export function recordedValue(
  value: unknown,
  refs?: Set<string>,
  hooks: {
    referenceOf?: (o: Record<string, unknown>) => string | undefined;
    omitted?: (o: Record<string, unknown>) => ReadonlySet<string>;
  } = {},
): unknown {
  if (Array.isArray(value)) return value.map((v) => recordedValue(v, refs, hooks));
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o[SIG.key] === SIG.secret) return REDACTED;
  const ref =
    o[SIG.key] === SIG.reference && typeof o.urn === "string"
      ? urnKey(o.urn)
      : hooks.referenceOf?.(o);
  if (ref !== undefined) {
    refs?.add(ref);
    return ref;
  }
  const omitted = hooks.omitted?.(o);
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined && !omitted?.has(k))
      .map((k) => [k, recordedValue(o[k], refs, hooks)]),
  );
}

/** Where an input value came from: an output of a resource the input depends on. */
export interface Source {
  /** `type::name` of the resource. */
  resource: string;
  /** The output property's path in that resource's state (`eksCluster.vpcConfig.vpcId`). */
  output: string;
}

/** Input path (`securityGroupIds[0]`) → every output of its dependencies that holds that value. */
export type Provenance = Record<string, Source[]>;

/** One resource as our program registers it: the unit of the synth JSON, policy rules and diff. */
export interface SynthRecord extends ResourceView {
  /** `type::name` of the parent, or null for a top-level resource. */
  parent: string | null;
  /**
   * `type::name` of what the engine waits for, as RegisterResource sends it: `dependsOn`, input
   * values' resources, the provider; a component expands to its custom resources (pulumi/pulumi
   * sdk/nodejs/runtime/dependsOn.ts, `getAllTransitivelyReferencedResourceURNs`).
   */
  dependsOn: string[];
  /**
   * Read by this id (`.get`): the engine reads the live object in preview and up, and never
   * creates, updates or deletes it (pulumi/pulumi pkg/resource/deploy/step.go, ReadStep).
   */
  read?: string;
  /**
   * Adopted by this id (`import`): the first update reads the live object into the state instead of
   * creating it, and fails unless the inputs match it; later updates treat it as any resource.
   */
  import?: string;
  /** Protected from deletion (`protect: true`): a destroy fails until it is lifted. */
  protect?: true;
  /**
   * `true`: replaced delete-first, so a fixed physical name can be reused; `false`: create-first
   * even where the provider would delete first. @default the provider's choice
   */
  deleteBeforeReplace?: boolean;
  /** Left in the cloud when deleted from the stack (`retainOnDelete: true`). */
  retainOnDelete?: true;
  /** `type::name` of the identities this resource was registered under before (`aliases`). */
  aliases?: string[];
  /** Input strings equal to an output of a resource in their `propertyDependencies`, by path. */
  provenance?: Provenance;
}

export interface SynthResult {
  stack: string;
  resources: SynthRecord[];
}
