import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { synthesize } from "../synth/synthesize";

// synth/internals.ts reaches past @pulumi/pulumi's public API; these fail when that shape moves.
test("the runtime pieces the synth builds on are where synth/internals.ts expects them", () => {
  for (const m of ["registerResource", "registerStackTransform", "recordTransformCallback"]) {
    expect(typeof (MockMonitor.prototype as unknown as Record<string, unknown>)[m]).toBe(
      "function",
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- internal modules */
  expect(typeof require("@pulumi/pulumi/runtime/settings").setMockOptions).toBe("function");
  expect(typeof require("@pulumi/pulumi/runtime/resource").mapAliasesForRequest).toBe("function");
  expect(typeof require("@pulumi/pulumi/runtime/debuggable").debuggablePromise).toBe("function");
  expect(typeof require("@pulumi/pulumi/runtime/state").getStore).toBe("function");
  // skipRuntimeDebugInfo clears this set; were it gone, the speed-up would be lost in silence.
  expect(require("@pulumi/pulumi/runtime/state").getStore().leakCandidates).toBeInstanceOf(Set);
  /* eslint-enable @typescript-eslint/no-require-imports */
  expect(typeof (pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace).toBe(
    "function",
  );
});

test("transforms run as the engine runs them: the resource's own, its ancestors', the stack's", async () => {
  const seen: string[] = [];
  const tag =
    (who: string): pulumi.ResourceTransform =>
    ({ name, props, opts }) => {
      seen.push(`${who}:${name}`);
      return {
        props,
        opts: { ...opts, aliases: [...(opts.aliases ?? []), { name: `${name}-${who}` }] },
      };
    };
  const { resources } = await synthesize({ project: "p", stack: "s", config: {} }, () => {
    pulumi.runtime.registerResourceTransform(tag("stack"));
    const parent = new pulumi.ComponentResource(
      "x:index:C",
      "c",
      {},
      { transforms: [tag("parent")] },
    );
    new aws.sqs.Queue("q", {}, { parent, transforms: [tag("own")] });
  });
  expect(seen.filter((s) => !s.endsWith(":p-s"))).toEqual([
    "parent:c",
    "stack:c",
    "own:q",
    "parent:q",
    "stack:q",
  ]);
  expect(resources.find((r) => r.name === "q")?.aliases).toEqual([
    "aws:sqs/queue:Queue::q-own",
    "aws:sqs/queue:Queue::q-parent",
    "aws:sqs/queue:Queue::q-stack",
  ]);
});

test("a transform's options replace the resource's whole: a dropped flag is unset, a spread false is set", async () => {
  const { resources } = await synthesize({ project: "p", stack: "s", config: {} }, () => {
    const drop: pulumi.ResourceTransform = ({ props, opts }) => {
      const { deleteBeforeReplace: _dropped, ...rest }: pulumi.CustomResourceOptions = opts;
      return { props, opts: rest };
    };
    const spread: pulumi.ResourceTransform = ({ props, opts }) => ({ props, opts: { ...opts } });
    new aws.sqs.Queue("dropped", {}, { deleteBeforeReplace: true, transforms: [drop] });
    new aws.sqs.Queue("spread", {}, { transforms: [spread] });
    new aws.sqs.Queue("untouched", {});
  });
  const dbr = (name: string) => resources.find((r) => r.name === name)?.deleteBeforeReplace;
  expect([dbr("dropped"), dbr("spread"), dbr("untouched")]).toEqual([undefined, false, undefined]);
});
