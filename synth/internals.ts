// All the synth takes from @pulumi/pulumi beyond its public API; test/internals.test.ts guards it.
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { mapAliasesForRequest } from "@pulumi/pulumi/runtime/resource";
import { deserializeProperties, serializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { setMockOptions } from "@pulumi/pulumi/runtime/settings";
import * as gstruct from "google-protobuf/google/protobuf/struct_pb";
import type { Alias as AliasMessage } from "@pulumi/pulumi/proto/alias_pb";
import type {
  ReadResourceRequest,
  RegisterResourceRequest,
} from "@pulumi/pulumi/proto/resource_pb";

export type RegisterRequest = RegisterResourceRequest;
/** A `.get`: the engine reads the object by id, never creating, updating or deleting it. */
export type ReadRequest = ReadResourceRequest;

type Callback = (err: unknown, response: unknown) => void;

// MockMonitor plus what the engine does: run resource transforms before registering (own, then
// ancestors', then the stack's: pulumi/pulumi pkg/resource/deploy/source_eval.go,
// RegisterResource), and hand each request, as the engine gets it, to `onRequest`.
class RecordingMonitor extends MockMonitor {
  private readonly callbacks = new Map<string, pulumi.ResourceTransform>();
  private readonly stackTransforms: pulumi.ResourceTransform[] = [];
  private readonly ownTransforms = new Map<string, pulumi.ResourceTransform[]>();
  private readonly parents = new Map<string, string>();

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly onRequest: (req: RegisterRequest | ReadRequest) => void,
  ) {
    super(mocks);
  }

  override async readResource(req: ReadRequest, callback: Callback): Promise<void> {
    this.onRequest(req);
    return super.readResource(req, callback);
  }

  override recordTransformCallback(
    token: string,
    transform: Parameters<MockMonitor["recordTransformCallback"]>[1],
  ): void {
    super.recordTransformCallback(token, transform);
    // Invoke transforms take (token, args, opts); resource transforms ({ type, name, … }).
    this.callbacks.set(token, transform as pulumi.ResourceTransform);
  }

  override registerStackTransform(req: { getToken(): string }, callback: Callback): void {
    const transform = this.callbacks.get(req.getToken());
    if (transform) this.stackTransforms.push(transform);
    callback(null, {});
  }

  override async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    try {
      await this.transform(req);
    } catch (e) {
      callback(e, undefined);
      return;
    }
    this.onRequest(req);
    return super.registerResource(req, callback);
  }

  private async transform(req: RegisterRequest): Promise<void> {
    const parent = req.getParent();
    const own = req.getTransformsList().flatMap((t) => this.callbacks.get(t.getToken()) ?? []);
    const urn = urnOf(req);
    this.ownTransforms.set(urn, own);
    this.parents.set(urn, parent);
    const transforms = [...own];
    for (let p = parent; p; p = this.parents.get(p) ?? "") {
      transforms.push(...(this.ownTransforms.get(p) ?? []));
    }
    transforms.push(...this.stackTransforms);
    // Each transform gets the request as it stands, and its result replaces the options whole,
    // as the engine's round trip through the SDK's callback server does.
    for (const transform of transforms) {
      const object = req.getObject();
      const props = object ? deserializeProperties(object) : {};
      const result = await transform({
        custom: req.getCustom(),
        type: req.getType(),
        name: req.getName(),
        props,
        opts: optionsOf(req),
      });
      if (result) await apply(req, result, props);
    }
  }
}

/** A request's options as the SDK's callback server hands them to a transform: unset flags false. */
function optionsOf(req: RegisterRequest): pulumi.CustomResourceOptions {
  const parent = req.getParent();
  return {
    parent: parent ? new pulumi.DependencyResource(parent) : undefined,
    aliases: req.getAliasesList().map(aliasOption),
    protect: req.getProtect() ?? false,
    ...(req.getCustom() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
    retainOnDelete: req.getRetainondelete() ?? false,
  };
}

/** A transform's result written back into the request; options it leaves out are unset. */
async function apply(
  req: RegisterRequest,
  result: pulumi.ResourceTransformResult,
  props: pulumi.Inputs,
): Promise<void> {
  if (result.props !== props) {
    req.setObject(gstruct.Struct.fromJavaScript(await serializeProperties("props", result.props)));
  }
  const opts: pulumi.CustomResourceOptions = result.opts;
  const aliases = await Promise.all((opts.aliases ?? []).map(resolved));
  req.setAliasesList(
    await mapAliasesForRequest([...new Set(aliases)], req.getParent() || undefined),
  );
  req.setProtect(opts.protect === true);
  req.setRetainondelete(opts.retainOnDelete === true);
  if (req.getCustom()) {
    // A returned value, even false, overrides the provider's choice; none clears it.
    req.setDeletebeforereplace(opts.deleteBeforeReplace === true);
    req.setDeletebeforereplacedefined(opts.deleteBeforeReplace !== undefined);
  }
}

/** An alias as the engine takes it: its value once known. */
const resolved = (alias: pulumi.Input<string | pulumi.Alias>) =>
  pulumi.Output.isInstance(alias)
    ? new Promise<string | pulumi.Alias>((resolve) => alias.apply(resolve))
    : Promise.resolve(alias);

/** The URN MockMonitor gives a registration (runtime/mocks.js, newUrn). */
function urnOf(req: RegisterRequest): string {
  const parent = req.getParent();
  const type = parent
    ? `${parent.split("::")[2].split("$").pop()}$${req.getType()}`
    : req.getType();
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${req.getName()}`;
}

/** An alias as the SDK hands it to a transform (runtime/callbacks.js, registerTransform). */
function aliasOption(alias: AliasMessage): string | pulumi.Alias {
  const spec = alias.getSpec();
  if (!spec) return alias.getUrn();
  return {
    name: spec.getName() || undefined,
    type: spec.getType() || undefined,
    stack: spec.getStack() || undefined,
    project: spec.getProject() || undefined,
    ...(spec.getNoparent()
      ? { parent: pulumi.rootStackResource }
      : spec.getParenturn()
        ? { parent: new pulumi.DependencyResource(spec.getParenturn()) }
        : {}),
  };
}

/** Installs `mocks` behind a RecordingMonitor: `setMocks`, then our monitor in place of its own. */
export async function setRecordingMocks(
  mocks: pulumi.runtime.Mocks,
  project: string,
  stack: string,
  onRequest: (req: RegisterRequest | ReadRequest) => void,
): Promise<void> {
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  setMockOptions(new RecordingMonitor(mocks, onRequest), project, stack, false);
}

type LeakStore = { leakCandidates?: Set<Promise<unknown>> };
type Debuggable = {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
  withoutDebugInfo?: true;
};

/**
 * Skips per-resource debug work nothing reads under the mocks (0.26 s of a prod2 synth): the trace,
 * id and label `debuggablePromise` gives each promise (for the PULUMI_DEBUG_PROMISE_LEAKS report;
 * leak tracking stays, as in runtime/debuggable.js) and `Resource.stackTrace`'s stack walk.
 */
export function skipRuntimeDebugInfo(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- internal modules, no .d.ts */
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
  const state = require("@pulumi/pulumi/runtime/state") as { getStore?: () => LeakStore };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const original = debuggable.debuggablePromise;
  if (typeof original !== "function" || debuggable.withoutDebugInfo) return;
  let first = true; // the original's first call installs the leak report at exit
  debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
    const leaks = state.getStore?.().leakCandidates;
    if (first || !(leaks instanceof Set)) {
      first = false;
      return original(p, ctx);
    }
    leaks.add(p);
    return p
      .then((v) => {
        leaks.delete(p);
        return v;
      })
      .catch((err: { promise?: Promise<T> }) => {
        leaks.delete(p);
        err.promise = p;
        throw err;
      });
  };
  debuggable.withoutDebugInfo = true;
  (pulumi.Resource as unknown as { stackTrace: () => [] }).stackTrace = () => [];
}
