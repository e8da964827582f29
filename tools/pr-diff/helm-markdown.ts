// The Helm render section's Markdown, from the renders: pure. The flagged objects of every release
// first, then each release's added, removed and changed objects, a bounded list.
import { code, plural, truncate } from "../diff/markdown";
import { fenced } from "./comment";
import { type Flag, flagsOf } from "./flags";
import { diffManifests, type KubeObject, type ManifestDiff, objectKey } from "./manifests";
import type { HelmRelease } from "../../policy/shapes";
import type { ReleaseChange } from "./render";

/** One side's render: its objects, or why `helm template` failed. */
export type Rendered = { objects: KubeObject[] } | { error: string };

/** A changed release with its renders; a side the release is absent from has none. */
export interface ReleaseRender {
  change: ReleaseChange;
  base?: Rendered;
  head?: Rendered;
}

/** Objects listed per release; the rest are counted. */
const OBJECTS_PER_RELEASE = 30;
/** Changed paths named per object. */
const PATHS_PER_OBJECT = 3;

const chartOf = (r: HelmRelease) => `${code(r.chart)} ${r.version ?? "(newest)"}`;

/** What changed about the release itself: new, removed, its chart or version, or the rest. */
function chartChange(base: HelmRelease | undefined, head: HelmRelease | undefined): string {
  if (!base) return `new, ${chartOf(head as HelmRelease)}`;
  if (!head) return `removed, was ${chartOf(base)}`;
  if (chartOf(base) === chartOf(head)) return `${chartOf(head)}, values or settings changed`;
  return base.chart === head.chart
    ? `${code(head.chart)} ${base.version ?? "(newest)"} → ${head.version ?? "(newest)"}`
    : `${chartOf(base)} → ${chartOf(head)}`;
}

/** The head's release, or the base's for a removed one. */
const shown = (r: ReleaseRender) => (r.change.head ?? r.change.base) as HelmRelease;

/** `name` in `namespace` and what changed about the release. */
function releaseLine(r: ReleaseRender): string {
  const { name, namespace } = shown(r);
  return `**${code(name)}** in ${code(namespace)} (${chartChange(r.change.base, r.change.head)})`;
}

/** The diff of a release's renders, or the failures that prevent one. */
function diffOf(r: ReleaseRender): ManifestDiff | string[] {
  const failed = (["base", "head"] as const).flatMap((side) => {
    const out = r[side];
    return out && "error" in out ? [`the ${side} render failed:\n\n${fenced(out.error)}`] : [];
  });
  if (failed.length) return failed;
  const objects = (out?: Rendered) => (out && "objects" in out ? out.objects : []);
  return diffManifests(objects(r.base), objects(r.head));
}

function objectLines(diff: ManifestDiff): string[] {
  const changedLine = (paths: string[]) =>
    paths.slice(0, PATHS_PER_OBJECT).map(code).join(", ") +
    (paths.length > PATHS_PER_OBJECT ? ` and ${paths.length - PATHS_PER_OBJECT} more` : "");
  const lines = [
    ...diff.added.map((o) => `- added ${code(objectKey(o))}`),
    ...diff.removed.map((o) => `- removed ${code(objectKey(o))}`),
    ...diff.changed.map((c) => `- changed ${code(objectKey(c.after))}: ${changedLine(c.paths)}`),
  ];
  return lines.length <= OBJECTS_PER_RELEASE
    ? lines
    : [
        ...lines.slice(0, OBJECTS_PER_RELEASE),
        `- … and ${lines.length - OBJECTS_PER_RELEASE} more`,
      ];
}

const flagLine = (release: string, f: Flag) =>
  `> - ${code(f.object)} of ${code(release)} **${f.effect}**: ${f.why} ([source](${f.source}))`;

/** The section body, flagged objects then each release's objects, cut to `maxChars`. */
export function helmRenderBody(
  renders: ReleaseRender[],
  unversioned: string[],
  maxChars = Infinity,
): string {
  const diffs = renders.map((r) => ({ r, diff: diffOf(r) }));
  // A new name or namespace is a new release: Pulumi replaces it, and Helm uninstalls the old one.
  const moved = renders
    .filter(
      ({ change: { base: b, head: h } }) =>
        b && h && (b.name !== h.name || b.namespace !== h.namespace),
    )
    .map(
      ({ change: { base: b, head: h } }) =>
        `> - release ${code(`${b?.namespace}/${b?.name}`)} **replaced** by ${code(`${h?.namespace}/${h?.name}`)}: Helm uninstalls it, deleting every object it rendered ([source](https://github.com/pulumi/pulumi-kubernetes/blob/v4.32.0/provider/pkg/provider/helm_release.go))`,
    );
  const flags = [
    ...moved,
    ...diffs.flatMap(({ r, diff }) =>
      Array.isArray(diff) ? [] : flagsOf(diff).map((f) => flagLine(shown(r).name, f)),
    ),
  ];
  const failures = diffs.filter(({ diff }) => Array.isArray(diff)).length;
  const lines = [
    `**${plural(renders.length, "release")} changed, ${plural(flags.length, "object")} flagged` +
      `${failures ? `, ${plural(failures, "release")} not rendered` : ""}.**`,
  ];
  if (flags.length)
    lines.push(
      "",
      "> [!CAUTION]",
      "> **Deleted, replaced or left behind in the cluster:**",
      ...flags,
    );
  if (unversioned.length)
    lines.push(
      "",
      `_No synth record gives an API version of ${unversioned.map(code).join(", ")}, which a release installs: an object a chart renders only where that API exists is missing from both renders._`,
    );
  for (const { r, diff } of diffs) {
    const counts = (d: ManifestDiff) =>
      `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`;
    lines.push(
      "",
      Array.isArray(diff)
        ? `${releaseLine(r)}: ${diff.join("\n\n")}`
        : [`${releaseLine(r)}: ${counts(diff)}`, ...objectLines(diff)].join("\n"),
    );
  }
  return truncate(
    lines.join("\n"),
    maxChars,
    (n) =>
      `\n\n_… truncated: the section has ${n} characters; run \`npm run pr-diff -- <base>\` for all of it._`,
  );
}
