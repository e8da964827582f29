import { problem, type PathOf } from "../problems";
import type { AddonContext } from "./context";
import {
  ADDON_KEYS,
  AddonKey,
  AddonSelection,
  Autoscaler,
  AUTOSCALERS,
  DEFAULT_AUTOSCALER,
  installOrder,
  specOf,
} from "./registry";
import { settingsProblems } from "./settings";
import { isPlainObject } from "./values";

/** Paths as an AddonBundle's caller typed them: `addons.<key>…` and `autoscaler`. */
export const bundlePaths: PathOf = (field) =>
  field === "autoscaler" ? "autoscaler" : field ? `addons.${field}` : "addons";

/** What the selection holds for a key, as the caller typed it. */
const entryOf = (s: AddonSelection, k: AddonKey): Record<string, unknown> | undefined =>
  (s as Record<string, Record<string, unknown> | undefined>)[k];

/** Switched on by its key: present and not `enabled: false`. */
const selected = (s: AddonSelection, k: AddonKey) => {
  const e = entryOf(s, k);
  return e !== undefined && e.enabled !== false;
};

/**
 * The one answer to "is it installed": a key present installs it unless `enabled: false`; an
 * absent key installs only an `onByDefault` add-on; of the autoscalers, only the one `autoscaler`
 * names; and what an installed add-on `implies`. Returned in install order.
 */
export function installedAddons(
  selection: AddonSelection,
  autoscaler: Autoscaler = DEFAULT_AUTOSCALER,
): AddonKey[] {
  const chosen: string = AUTOSCALERS[autoscaler];
  const on = new Set(
    ADDON_KEYS.filter((k) => {
      const isAutoscaler = (Object.values(AUTOSCALERS) as string[]).includes(k);
      if (isAutoscaler && k !== chosen) return false;
      const e = entryOf(selection, k);
      return e === undefined ? specOf(k).onByDefault !== undefined : e.enabled !== false;
    }),
  );
  for (const k of [...on]) {
    for (const implied of Object.keys(specOf(k).implies ?? {})) on.add(implied as AddonKey);
  }
  return installOrder([...on]);
}

/**
 * Every problem with a selection, keyed by `pathOf` (`addons.prometheus.retention` for a library
 * user, `eks-blueprint:addons.prometheus.retention` for a stack): unknown add-ons, each add-on's
 * settings, the autoscaler choice, and what an add-on requires. `context`, when given, is checked
 * for what the installed add-ons need of the cluster (a pinned image for its minor).
 */
export function addonSelectionProblems(
  selection: unknown,
  autoscaler: unknown = DEFAULT_AUTOSCALER,
  pathOf: PathOf = bundlePaths,
  context?: { at: string; value: AddonContext },
): string[] {
  const autoscalerAt = pathOf("autoscaler");
  if (!isPlainObject(selection)) {
    return [
      problem(
        pathOf(""),
        "not a map of add-ons",
        selection,
        `use keys among ${ADDON_KEYS.join(", ")}`,
      ),
    ];
  }
  const out = Object.keys(selection)
    .filter((k) => !(ADDON_KEYS as string[]).includes(k))
    .map((k) => problem(pathOf(k), "unknown add-on", k, `use one of ${ADDON_KEYS.join(", ")}`));
  for (const k of ADDON_KEYS) {
    if (selection[k] !== undefined)
      out.push(...settingsProblems(specOf(k), selection[k], pathOf(k)));
  }
  if (!(Object.keys(AUTOSCALERS) as unknown[]).includes(autoscaler)) {
    out.push(
      problem(
        autoscalerAt,
        "unknown autoscaler",
        autoscaler,
        `use ${Object.keys(AUTOSCALERS).join(" or ")}`,
      ),
    );
    return out;
  }
  if (out.length > 0) return out;
  const s = selection as AddonSelection;
  if (autoscaler === "karpenter") {
    if (entryOf(s, "karpenter") === undefined) {
      out.push(
        problem(
          pathOf("karpenter"),
          `missing while ${autoscalerAt} is karpenter`,
          undefined,
          "declare karpenter.nodePools with at least one NodePool",
        ),
      );
    }
    if (selected(s, "clusterAutoscaler")) {
      out.push(
        problem(
          pathOf("clusterAutoscaler"),
          `on while ${autoscalerAt} is karpenter`,
          s.clusterAutoscaler,
          "both would manage the same nodes; remove it or set the autoscaler to cluster-autoscaler",
        ),
      );
    }
  } else if (selected(s, "karpenter")) {
    out.push(
      problem(
        pathOf("karpenter"),
        `set while ${autoscalerAt} is ${String(autoscaler)}`,
        Object.keys(s.karpenter?.nodePools ?? {}),
        `set ${autoscalerAt} to karpenter, or remove the karpenter block`,
      ),
    );
  }
  const installed = installedAddons(s, autoscaler as Autoscaler);
  for (const k of installed) {
    const spec = specOf(k);
    for (const [needed, why] of Object.entries(spec.requires ?? {})) {
      if (!installed.includes(needed as AddonKey)) {
        out.push(
          problem(
            pathOf(needed),
            `off, but ${k} needs it: ${why}`,
            entryOf(s, needed as AddonKey),
            `turn ${needed} on or ${k} off`,
          ),
        );
      }
    }
    for (const implied of Object.keys(spec.implies ?? {})) {
      if (entryOf(s, implied as AddonKey)?.enabled === false) {
        out.push(
          problem(
            pathOf(`${implied}.enabled`),
            `false, but ${k} turns it on: ${spec.implies![implied]}`,
            false,
            `remove enabled: false or turn ${k} off`,
          ),
        );
      }
    }
    if (context) out.push(...(spec.contextProblems?.(context.value, context.at) ?? []));
  }
  return [...new Set(out)];
}
