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
