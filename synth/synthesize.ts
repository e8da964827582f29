import * as pulumi from "@pulumi/pulumi";
import {
  type ReadRequest,
  type RegisterRequest,
  setRecordingMocks,
  skipRuntimeDebugInfo,
} from "./internals";
import { createMocks, DEFAULT_REGION, Registration } from "./mocks";
import {
  compareRecords,
  providerUrn,
  recordedValue,
  recordKey,
  SIG,
  type Provenance,
  type SynthRecord,
  type SynthResult,
  urnKey,
} from "./record";

export interface SynthOptions {
  project: string;
  stack: string;
  /** Flat config, `namespace:key` → string (objects as JSON), as the language host passes it. */
  config: Record<string, string>;
  secretKeys?: string[];
}

/** The program threw; `resources` holds what it had registered (nothing, for a config error). */
export class SynthError extends Error {
  constructor(
    readonly cause: unknown,
    readonly resources: SynthRecord[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "SynthError";
  }
}

// Stable values (recordedValue): references also go to `refs`, since the SDK drops them from
// remote components' dependencies (runtime/resource.js `excludeResourceReferencesFromDependencies:
// remote`), yet the children wait for them.
const sdkResource = (o: Record<string, unknown>) => {
  const res = o as unknown as { __pulumiType: string; __name: string };
  return pulumi.Resource.isInstance(o) ? `${res.__pulumiType}::${res.__name}` : undefined;
};

const providerUrnOf = (req: RegisterRequest | ReadRequest) => {
  const provider = req.getProvider();
  return provider ? [providerUrn(provider)] : [];
};

/** What the synth keeps of a ReadResource request (`.get`): what it waits for, and the id. */
const readOptions = (req: ReadRequest) => ({
  propertyDependencies: new Map<string, string[]>(),
  parent: req.getParent() || null,
  dependsOn: [...req.getDependenciesList(), ...providerUrnOf(req)],
  read: req.getId(),
});

/** What the synth keeps of one RegisterResource request, as the engine would receive it. */
function requestOptions(req: RegisterRequest) {
  const propertyDependencies = new Map<string, string[]>();
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = deps.getUrnsList();
    if (urns.length) propertyDependencies.set(key, urns.map(urnKey));
  });
  return {
    propertyDependencies,
    parent: req.getParent() || null,
    dependsOn: [...req.getDependenciesList(), ...providerUrnOf(req)],
    protect: req.getProtect() === true,
    import: req.getImportid() || undefined,
    // The engine's reading (source_eval.go, RegisterResource): defined, or true.
    deleteBeforeReplace:
      req.getDeletebeforereplacedefined() || req.getDeletebeforereplace()
        ? req.getDeletebeforereplace()
        : undefined,
    retainOnDelete: req.getRetainondelete() === true,
    // An alias spec omits what stays: `type::name`, then `@<parent type::name>` or `@` for none.
    // A URN alias keeps the current parent (a URN names its ancestors' types, not which resource).
    aliases: req.getAliasesList().map((a) => {
      const spec = a.getSpec();
      if (!spec) return urnKey(a.getUrn());
      const own = `${spec.getType() || req.getType()}::${spec.getName() || req.getName()}`;
      if (spec.getNoparent()) return `${own}@`;
      const parent = spec.getParenturn();
      if (!parent || parent === req.getParent()) return own;
      const parentKey = urnKey(parent);
      return parentKey.startsWith("pulumi:pulumi:Stack::") ? `${own}@` : `${own}@${parentKey}`;
    }),
  };
}

/** Every string leaf of a value with its path (`a.b[0]`); secrets and resources are not values. */
function stringLeaves(
  value: unknown,
  at: string,
  out: [string, string][] = [],
): [string, string][] {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
    const obj = value as Record<string, unknown>;
    if (obj[SIG.key] !== undefined) return out;
    for (const k of Object.keys(obj)) stringLeaves(obj[k], at ? `${at}.${k}` : k, out);
  }
  return out;
}

/** Input strings equal to outputs of their dependencies, all listed (pulumi-eks repeats ids). */
function provenanceOf(
  inputs: Record<string, unknown>,
  dependencies: Map<string, string[]>,
  outputsOf: (key: string) => Map<string, string[]> | undefined,
): Provenance | undefined {
  const found: Provenance = {};
  for (const [property, resources] of [...dependencies].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const [at, value] of stringLeaves(inputs[property], property)) {
      const sources = [...new Set(resources)]
        .sort()
        .flatMap((resource) =>
          (outputsOf(resource)?.get(value) ?? []).map((output) => ({ resource, output })),
        );
      if (sources.length) found[at] = sources;
    }
  }
  return Object.keys(found).length ? found : undefined;
}

/** Runs `program` under the mocks; returns all it registered, awaiting disconnect (no timers). */
export async function synthesize<T>(
  options: SynthOptions,
  program: () => T | Promise<T>,
): Promise<SynthResult> {
  const registrations: Registration[] = [];
  const requests = new Map<
    string,
    ReturnType<typeof readOptions> | ReturnType<typeof requestOptions>
  >();
  const region = options.config["aws:region"] ?? DEFAULT_REGION;
  pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
  skipRuntimeDebugInfo();
  await setRecordingMocks(
    createMocks(registrations, region),
    options.project,
    options.stack,
    (req) =>
      requests.set(
        `${req.getType()}::${req.getName()}`,
        "getImportid" in req ? requestOptions(req) : readOptions(req),
      ),
  );
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return await program();
    } catch (e) {
      failure = e;
      return undefined;
    }
  });
  await pulumi.runtime.disconnect();
  const stackType = "pulumi:pulumi:Stack";
  const states = new Map(registrations.map((r) => [recordKey(r), r.state]));
  const outputIndex = new Map<string, Map<string, string[]>>();
  const outputsOf = (key: string) => {
    if (!outputIndex.has(key) && states.has(key)) {
      const index = new Map<string, string[]>();
      for (const [at, value] of stringLeaves(states.get(key), "")) {
        index.set(value, [...(index.get(value) ?? []), at].sort());
      }
      outputIndex.set(key, index);
    }
    return outputIndex.get(key);
  };
  const resources = registrations
    .filter((r) => r.type !== stackType)
    .map((r): SynthRecord => {
      const key = recordKey(r);
      const request = requests.get(key);
      const options = request && "protect" in request ? request : undefined;
      const parent = request?.parent ? urnKey(request.parent) : null;
      const provenance = request && provenanceOf(r.inputs, request.propertyDependencies, outputsOf);
      const refs = new Set<string>();
      const inputs = recordedValue(r.inputs, refs, { referenceOf: sdkResource }) as Record<
        string,
        unknown
      >;
      return {
        type: r.type,
        name: r.name,
        parent: parent && !parent.startsWith(`${stackType}::`) ? parent : null,
        inputs,
        dependsOn: [...new Set([...(request?.dependsOn ?? []).map(urnKey), ...refs])]
          .filter((d) => d !== key && !d.startsWith(`${stackType}::`))
          .sort(),
        ...(request && "read" in request ? { read: request.read } : {}),
        ...(options?.import ? { import: options.import } : {}),
        ...(options?.protect ? { protect: true as const } : {}),
        ...(options?.deleteBeforeReplace !== undefined
          ? { deleteBeforeReplace: options.deleteBeforeReplace }
          : {}),
        ...(options?.retainOnDelete ? { retainOnDelete: true as const } : {}),
        ...(options?.aliases.length ? { aliases: [...options.aliases].sort() } : {}),
        ...(provenance ? { provenance } : {}),
      };
    })
    .sort(compareRecords);
  if (failure) throw new SynthError(failure, resources);
  return { stack: options.stack, resources };
}
