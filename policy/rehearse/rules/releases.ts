// What a Helm release holds, which the synth sees only as values: the objects that carry traffic
// or data (AddonChart.carries), and what an update does to them.
import { chartCarriersFor, chartCrdFactsFor } from "../../../components/addons/chart-crds";
import type { ChartCarrier } from "../../../components/addons/spec";
import { recordKey, type SynthRecord } from "../../../synth/record";
import { helmRelease, isHelm } from "../../shapes";
import { matchToHead } from "../identity";
import { defineRule, type RehearsalInput } from "../types";

/**
 * Whether pulumi-kubernetes' `resourceNames` lists the object: keys `<Kind>[.<group>]/<apiVersion>`,
 * values `namespace/name`, or `name` where the manifest sets no namespace
 * (provider/pkg/provider/helm_release.go).
 */
function listed(rendered: Record<string, string[]>, kind: string, apiVersion: string, id: string) {
  const group = apiVersion.includes("/") ? `.${apiVersion.split("/")[0]}` : "";
  const names = rendered[`${kind}${group}/${apiVersion}`] ?? [];
  return names.includes(id) || names.includes(id.slice(id.indexOf("/") + 1));
}

/** The carriers a release renders: from its `resourceNames` when the base is an export. */
export function carriersOf(r: SynthRecord, rendered?: Record<string, string[]>) {
  const rel = helmRelease(r);
  return chartCarriersFor(rel.chart, rel.repo)
    .map((carrier) => ({ carrier, id: carrier.id(rel) }))
    .filter(({ carrier, id }) =>
      rendered
        ? listed(rendered, carrier.kind, carrier.apiVersion, id)
        : carrier.renderedWith(rel.values),
    );
}

const what = (c: ChartCarrier, id: string) => `${c.kind} ${id} (${c.carries})`;

/** Base releases under their head keys, with the head release each became. */
function releasePairs(input: RehearsalInput) {
  const { base = [], head } = input;
  const moved = matchToHead(base, head);
  const heads = new Map(head.filter(isHelm).map((r) => [recordKey(r), r]));
  return base.flatMap((b, i) =>
    isHelm(b)
      ? [
          {
            before: b,
            after: heads.get(recordKey(moved[i])),
            rendered: input.baseRendered?.[recordKey(b)],
          },
        ]
      : [],
  );
}

export const releaseKeeps = defineRule({
  id: "release-keeps-traffic-and-data",
  phase: "update",
  title:
    "a Helm upgrade deletes what the release no longer renders; a release deleted or replaced deletes all it rendered",
  source:
    "https://github.com/helm/helm/blob/v3.20.2/pkg/kube/client.go (Update: objects of the old manifest missing from the new are deleted, unless helm.sh/resource-policy: keep); each carrier's chart template (AddonChart.carries)",
  smokeCheck: "gateway-answers",
  check(input) {
    return releasePairs(input).flatMap(({ before, after, rendered }) => {
      const carried = carriersOf(before, rendered);
      const old = helmRelease(before);
      const crds = chartCrdFactsFor(old.chart, old.repo);
      const templatedCrds =
        crds?.delivery === "templates" ? crds.kinds.map((k) => `${k.kind}.${k.group}`) : [];
      const subject = recordKey(before);
      const gone = (why: string) => [
        ...carried.map(({ carrier, id }) => ({
          subject,
          message: `${why}: ${what(carrier, id)} is deleted; keep the release as it is`,
        })),
        ...(templatedCrds.length > 0
          ? [
              {
                subject,
                message: `${why}: its CRDs (${templatedCrds.join(", ")}) are templates, deleted with every object of their kinds`,
              },
            ]
          : []),
      ];
      if (!after) return gone("the release is deleted");
      const now = helmRelease(after);
      if (now.name !== old.name || now.namespace !== old.namespace || now.chart !== old.chart) {
        return gone(
          `the release is replaced (${old.namespace}/${old.name} ${old.chart} → ${now.namespace}/${now.name} ${now.chart}): Helm uninstalls it first`,
        );
      }
      return carried.flatMap(({ carrier, id }) => {
        const renamed = carrier.id(now);
        if (carrier.renderedWith(now.values) && renamed !== id) {
          return [
            {
              subject,
              message: `${what(carrier, id)} is renamed ${renamed}: the Helm upgrade deletes the old one and creates a new one (${carrier.source})`,
            },
          ];
        }
        if (!carrier.renderedWith(now.values)) {
          return [
            {
              subject,
              message: `${what(carrier, id)} leaves the release with the new values, so the Helm upgrade deletes it; a copy outside the release is a new object (creating it fails with AlreadyExists while the old one terminates). Keep it in the release (${carrier.source})`,
            },
          ];
        }
        const [from, to] = [carrier.identity?.(old.values), carrier.identity?.(now.values)];
        return JSON.stringify(from) === JSON.stringify(to)
          ? []
          : [
              {
                subject,
                message: `${what(carrier, id)} is replaced: ${JSON.stringify(from)} → ${JSON.stringify(to)} makes a new one (${carrier.source})`,
              },
            ];
      });
    });
  },
});
