// The deployed state as the rehearsal's base: `pulumi stack export` read into synth records, so an
// update is rehearsed against what is deployed rather than against a synth of an older commit.
// The format: pulumi/pulumi sdk/go/common/apitype/core.go (UntypedDeployment, DeploymentV3,
// ResourceV3, OperationV2); URNs: sdk/go/common/resource/urn/urn.go.
import { isRecord as isObject } from "../../components/problems";
import {
  compareRecords,
  parseUrn,
  providerUrn,
  recordedValue,
  type SynthRecord,
  urnKey,
} from "../../synth/record";
import { HELM_RELEASE } from "../shapes";
import type { RehearsalInput } from "./types";

/** What each release rendered, by the release's `type::name`: its `resourceNames` output. */
export type Rendered = NonNullable<RehearsalInput["baseRendered"]>;

export interface DeployedState {
  records: SynthRecord[];
  rendered: Rendered;
}

/** ResourceV3, the fields read here (json names as core.go tags them). */
interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  dependencies?: string[];
  provider?: string;
  retainOnDelete?: boolean;
  /** Read, not managed (`.get`). */
  external?: boolean;
  id?: string;
  /** The id it was imported by. */
  importID?: string;
}

interface DeploymentV3 {
  manifest: Record<string, unknown>;
  resources?: ResourceV3[];
  pending_operations?: { resource: { urn: string }; type: string }[];
}

// pulumi-terraform-bridge pkg/tfbridge/schema.go (defaultsKey): the inputs the bridge filled from
// the schema (autonames among them), listed beside them; the program never sent those.
const BRIDGE_DEFAULTS = "__defaults";
const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";

const MAKE = (stack: string, file: string) =>
  `make it with \`pulumi stack export --stack ${stack} --file ${file}\``;

/** As the synth records values; the inputs the bridge filled (`__defaults`) are left out. */
const normalize = (value: unknown, refs: Set<string>) =>
  recordedValue(value, refs, {
    omitted: (o) =>
      new Set([BRIDGE_DEFAULTS, ...(Array.isArray(o[BRIDGE_DEFAULTS]) ? o[BRIDGE_DEFAULTS] : [])]),
  });

const isDefaultProvider = (urn: string) => {
  const { type, name } = parseUrn(urn);
  return type.startsWith(PROVIDER_PREFIX) && name.startsWith("default");
};

/** The deployment inside an export, or why the file is not one the rehearsal can read. */
function deploymentOf(text: string, file: string, stack: string): DeploymentV3 {
  const make = MAKE(stack, file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const start = JSON.stringify(text.trimStart().slice(0, 20));
    throw new Error(
      `${file}: not JSON (begins ${start}), where a \`pulumi stack export\` file is expected; ${make}`,
    );
  }
  if (!isObject(json) || !isObject(json.deployment) || !isObject(json.deployment.manifest)) {
    const found = isObject(json) ? `keys ${Object.keys(json).join(", ") || "none"}` : typeof json;
    const synth =
      isObject(json) && Array.isArray(json.resources)
        ? ", the shape of a synth, which --base reads"
        : "";
    throw new Error(
      `${file}: not a \`pulumi stack export\` file (found ${found}${synth}; expected version and deployment.manifest); ${make}`,
    );
  }
  if (json.version !== 3) {
    // pkg/resource/stack/deployment.go: the CLI writes 4 only while the state uses a feature.
    const features = Array.isArray(json.features) ? json.features.join(", ") : "";
    const why = features
      ? ` (features: ${features}, which the rehearsal does not read); ${make} once none is in use`
      : `; ${make} with a current Pulumi CLI`;
    throw new Error(
      `${file}: checkpoint version ${JSON.stringify(json.version)}, where version 3 is expected${why}`,
    );
  }
  return json.deployment as unknown as DeploymentV3;
}

/** An interrupted deploy leaves resources in an unknown state, so no rehearsal can trust it. */
function refusePendingOperations(d: DeploymentV3, file: string, stack: string): void {
  const pending = d.pending_operations ?? [];
  if (pending.length === 0) return;
  const listed = pending.map((op) => `${op.type} ${urnKey(op.resource.urn)}`).join(", ");
  throw new Error(
    `${file}: a deploy of ${stack} was interrupted: ${pending.length} pending operation(s) (${listed}), ` +
      `where none are expected. Check in AWS and the cluster whether each finished, then run ` +
      `\`pulumi refresh --stack ${stack}\` (pending creates: \`--import-pending-creates <urn> <id>\` ` +
      `or \`--clear-pending-creates\`; \`pulumi cancel\` first if the update still holds the stack; ` +
      `https://www.pulumi.com/docs/iac/operations/troubleshooting/interrupted-updates/), and ` +
      MAKE(stack, file),
  );
}

/**
 * Components of a package with a provider plugin are remote (its Construct registers their
 * children; the program builds no local component of such a package), and the synth records each
 * as one resource, so their children are left out.
 */
function remoteChildren(resources: readonly ResourceV3[]): Set<string> {
  const pluginPackages = new Set(
    resources
      .map((r) => parseUrn(r.urn).type)
      .filter((t) => t.startsWith(PROVIDER_PREFIX))
      .map((t) => t.slice(PROVIDER_PREFIX.length)),
  );
  const parentOf = new Map(resources.map((r) => [r.urn, r.parent ?? ""]));
  const remote = new Set(
    resources
      .filter((r) => !r.custom && pluginPackages.has(r.type.split(":")[0]))
      .map((r) => r.urn),
  );
  const under = (urn: string): boolean => {
    const parent = parentOf.get(urn) ?? "";
    return parent !== "" && (remote.has(parent) || under(parent));
  };
  return new Set(resources.filter((r) => under(r.urn)).map((r) => r.urn));
}

function toRecord(r: ResourceV3): SynthRecord {
  const refs = new Set<string>();
  const inputs = normalize(r.inputs ?? {}, refs) as Record<string, unknown>;
  const parent = r.parent ? urnKey(r.parent) : null;
  // The synth records the provider among what the engine waits for; a default one it never sees.
  const provider = r.provider && providerUrn(r.provider);
  const key = urnKey(r.urn);
  const dependsOn = [
    ...(r.dependencies ?? []).map(urnKey),
    ...(provider && !isDefaultProvider(provider) ? [urnKey(provider)] : []),
    ...refs,
  ].filter((d) => d !== key && !d.startsWith(`${STACK_TYPE}::`));
  const { type, name } = parseUrn(r.urn);
  return {
    type,
    name,
    parent: parent && !parent.startsWith(`${STACK_TYPE}::`) ? parent : null,
    dependsOn: [...new Set(dependsOn)].sort(),
    inputs,
    ...(r.external && r.id ? { read: r.id } : {}),
    ...(r.importID ? { import: r.importID } : {}),
    ...(r.protect ? { protect: true as const } : {}),
    ...(r.retainOnDelete ? { retainOnDelete: true as const } : {}),
  };
}

/** Which objects a release rendered (pulumi-kubernetes: `kind.group/apiVersion` → names). */
function renderedBy(r: ResourceV3): Record<string, string[]> | undefined {
  const names = r.outputs?.resourceNames;
  if (!isObject(names)) return undefined;
  return Object.fromEntries(
    Object.entries(names)
      .filter((e): e is [string, string[]] => Array.isArray(e[1]))
      .map(([kind, list]) => [kind, list.map(String)]),
  );
}

/**
 * The records of an export (`text`, read from `file`) of `stack`, as the synth would record them,
 * and what each Helm release rendered. Throws, naming the file and the command that makes a right
 * one, for text that is not a version-3 export of `stack`, or one with pending operations.
 */
export function readDeployedState(text: string, file: string, stack: string): DeployedState {
  const deployment = deploymentOf(text, file, stack);
  refusePendingOperations(deployment, file, stack);
  const resources = deployment.resources ?? [];
  const other = resources.map((r) => parseUrn(r.urn).stack).find((s) => s !== stack);
  if (other !== undefined) {
    throw new Error(
      `${file}: holds stack ${other}'s state, where ${stack}'s is expected; ${MAKE(stack, file)}`,
    );
  }
  const hidden = remoteChildren(resources);
  // Left out as the synth has none of them: the stack resource, default providers, children of
  // remote components, and copies pending deletion (`delete`) beside their replacements.
  const kept = resources.filter(
    (r) => r.type !== STACK_TYPE && !isDefaultProvider(r.urn) && !hidden.has(r.urn) && !r.delete,
  );
  const records = kept.map(toRecord).sort(compareRecords);
  const rendered: Rendered = {};
  for (const r of kept.filter((x) => x.type === HELM_RELEASE)) {
    const names = renderedBy(r);
    if (names) rendered[urnKey(r.urn)] = names;
  }
  return { records, rendered: Object.fromEntries(Object.entries(rendered).sort()) };
}
