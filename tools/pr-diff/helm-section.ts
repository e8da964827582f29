// The "Helm render" section: every release the change touches, rendered on base and head with
// `helm template`, the objects diffed and the dangerous ones flagged (flags.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { stableJson } from "../../components/access/irsa-policy";
import type { DiffRecord } from "../../synth/diff";
import { readSynthFile } from "../diff/main";
import { inParallel, type Ran, tail } from "../run/processes";
import type { SectionResult, ToolSection } from "./comment";
import { helmRenderBody, type Rendered, type ReleaseRender } from "./helm-markdown";
import type { HelmRelease } from "../../policy/shapes";
import { parseManifests } from "./manifests";
import {
  apiVersionsOf,
  changedReleases,
  helmTemplateArgs,
  type KindFacts,
  kubeVersionOf,
  type RenderTarget,
} from "./render";

/** Runs `command args` in `cwd` and waits: runProcess, or a test's stand-in. */
export type ToolRunner = (command: string, args: string[], cwd: string) => Promise<Ran>;

export interface HelmSectionContext {
  /** The two synth files of one stack. */
  baseFile: string;
  headFile: string;
  /** Where the values files go; the caller removes it. */
  workDir: string;
  runTool: ToolRunner;
  /** @default kinds.ts's, loaded when a release is rendered */
  kinds?: KindFacts;
  /** The body's longest. @default no limit */
  maxChars?: number;
}

/** Renders below this many at once: each fetches its chart's repository index over the network. */
const RENDERS_AT_ONCE = 4;

async function render(
  release: HelmRelease,
  target: RenderTarget,
  side: "base" | "head",
  ctx: HelmSectionContext & { kinds: KindFacts },
): Promise<Rendered> {
  const valuesFile = path.join(
    ctx.workDir,
    `${side}-${release.key.replace(/[^\w.-]+/g, "_")}.values.json`,
  );
  fs.writeFileSync(valuesFile, `${stableJson(release.values)}\n`);
  const args = helmTemplateArgs(release, target, valuesFile);
  const ran = await ctx.runTool("helm", args, ctx.workDir);
  if (ran.code !== 0) return { error: `exit ${ran.code}: ${tail(ran)}` };
  try {
    return { objects: parseManifests(ran.stdout, release.namespace, ctx.kinds.clusterScoped) };
  } catch (e) {
    return { error: `helm template printed ${(e as Error).message}` };
  }
}

function targetOf(records: readonly DiffRecord[], kinds: KindFacts) {
  const { apiVersions, unversioned } = apiVersionsOf(records, kinds);
  const kubeVersion = kubeVersionOf(records);
  return { target: { ...(kubeVersion ? { kubeVersion } : {}), apiVersions }, unversioned };
}

/** The section's result for one stack; a failed render is shown, never thrown. */
async function renderHelmSection(ctx: HelmSectionContext): Promise<SectionResult> {
  const [base, head] = [readSynthFile(ctx.baseFile), readSynthFile(ctx.headFile)];
  const changes = changedReleases(base.resources, head.resources);
  if (changes.length === 0)
    return {
      body: "No Helm release changes its chart, version, repository, values, name, namespace or skipCrds.",
    };
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- see kinds.ts */
  const kinds = ctx.kinds ?? (require("./kinds") as typeof import("./kinds")).kindFacts;
  const sides = { base: targetOf(base.resources, kinds), head: targetOf(head.resources, kinds) };
  fs.mkdirSync(ctx.workDir, { recursive: true });
  const tasks = changes.flatMap((c) =>
    (["base", "head"] as const).flatMap((side) => {
      const release = c[side];
      return release
        ? [
            async () => ({
              key: c.key,
              side,
              out: await render(release, sides[side].target, side, { ...ctx, kinds }),
            }),
          ]
        : [];
    }),
  );
  const done = await inParallel(tasks, RENDERS_AT_ONCE);
  const renders: ReleaseRender[] = changes.map((change) => {
    const of = (side: "base" | "head") =>
      done.find((d) => d.key === change.key && d.side === side)?.out;
    return { change, base: of("base"), head: of("head") };
  });
  const unversioned = [...new Set([...sides.base.unversioned, ...sides.head.unversioned])].sort();
  return { body: helmRenderBody(renders, unversioned, ctx.maxChars) };
}

export const HELM_SECTION: ToolSection<HelmSectionContext> = {
  title: "Helm render (base → head)",
  tool: "helm",
  run: renderHelmSection,
};
