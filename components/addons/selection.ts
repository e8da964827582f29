import { problem, type PathOf, isOneOf, isRecord, optionList, problemList } from "../problems";
import { EKS_SYSTEM_NAMESPACES } from "../teams/namespace";
import type { AddonContext } from "./context";
import { ADDON_KEYS, AddonKey, addonKeysIn, installOrder, specOf } from "./registry";
import { settingsProblems } from "./settings";

/** Paths as an AddonBundle's caller typed them: `addons.<key>…`. */
export const bundlePaths: PathOf = (field) => (field ? `addons.${field}` : "addons");

/** A selection as given: add-on key to settings. */
type Given = Readonly<Record<string, unknown>>;

/** What the selection holds for a key, as the caller typed it. */
const entryOf = (s: Given, k: string) => (isRecord(s[k]) ? s[k] : undefined);

/** Switched on by its key: present and not `enabled: false`. */
const selected = (s: Given, k: AddonKey) => isRecord(s[k]) && s[k].enabled !== false;

/** Whether `a` and `b` declare a conflict, either way round. */
const conflict = (a: AddonKey, b: AddonKey): string | undefined =>
  specOf(a).conflicts?.[b] ?? specOf(b).conflicts?.[a];

/** Each namespace an add-on runs in (its registry entry's `namespace.name`), with those add-ons. */
function addonNamespaces(): Map<string, AddonKey[]> {
  const owners = new Map<string, AddonKey[]>();
  for (const k of ADDON_KEYS) {
    const name = specOf(k).namespace.name;
    owners.set(name, [...(owners.get(name) ?? []), k]);
  }
  return owners;
}

/**
 * A problem when `name`, a namespace to create for workloads, is one an add-on runs in: two
 * Namespace objects of one name, and the workloads' quota and default-deny policies on the
 * add-on's pods. Kubernetes' own namespaces are `namespaceListProblems`'s.
 */
export function addonNamespaceProblems(name: string, at: string): string[] {
  const namespaces = addonNamespaces();
  const owners = namespaces.get(name);
  if (!owners || isOneOf(EKS_SYSTEM_NAMESPACES, name)) return [];
  const taken = [...namespaces.keys()].filter((n) => !isOneOf(EKS_SYSTEM_NAMESPACES, n)).sort();
  return [
    problem(
      at,
      `the namespace of the ${optionList(owners, "and")} add-on${owners.length > 1 ? "s" : ""}`,
      name,
      `use a namespace of your own: add-ons create ${optionList(taken, "and")} with their own Pod Security level and policies`,
    ),
  ];
}

/** What gets installed (by `AddonSelection`'s rules, then `implies`), in install order. */
export function installedAddons(selection: Given): AddonKey[] {
  const chosen = ADDON_KEYS.filter((k) => selected(selection, k));
  const on = new Set([
    ...chosen,
    ...ADDON_KEYS.filter(
      (k) =>
        entryOf(selection, k) === undefined &&
        specOf(k).onByDefault !== undefined &&
        !chosen.some((c) => conflict(c, k)),
    ),
  ]);
  for (const k of [...on]) {
    for (const implied of addonKeysIn(specOf(k).implies)) on.add(implied);
  }
  return installOrder(ADDON_KEYS.filter((k) => on.has(k)));
}

/** Unknown add-ons and refused settings: the selection's own problems, before how add-ons relate. */
export function addonSettingsProblems(
  selection: Record<string, unknown>,
  pathOf: PathOf,
): string[] {
  return [
    ...Object.keys(selection)
      .filter((k) => !isOneOf(ADDON_KEYS, k))
      .map((k) => problem(pathOf(k), "unknown add-on", k, `use one of ${ADDON_KEYS.join(", ")}`)),
    ...ADDON_KEYS.flatMap((k) =>
      selection[k] === undefined ? [] : settingsProblems(specOf(k), selection[k], pathOf(k)),
    ),
  ];
}

/**
 * Every problem with a selection, keyed by `pathOf` (`addons.x.y`; `eks-blueprint:addons.x.y` in a
 * stack): unknown keys, settings, conflicts, `requires`, and with `context` the cluster's needs.
 */
export function addonSelectionProblems(
  selection: unknown,
  pathOf: PathOf = bundlePaths,
  context?: { at: string; value: AddonContext },
): string[] {
  if (!isRecord(selection)) {
    return [
      problem(
        pathOf(""),
        "not a map of add-ons",
        selection,
        `use keys among ${ADDON_KEYS.join(", ")}`,
      ),
    ];
  }
  const [out, add] = problemList(addonSettingsProblems(selection, pathOf));
  if (out.length > 0) return out;
  const chosen = ADDON_KEYS.filter((k) => selected(selection, k));
  chosen.forEach((k, i) => {
    for (const other of chosen.slice(0, i).filter((c) => conflict(c, k))) {
      add(
        pathOf(k),
        `on together with ${other}`,
        entryOf(selection, k),
        `${conflict(other, k)}; keep one of them (enabled: false on the other)`,
      );
    }
  });
  const installed = installedAddons(selection);
  for (const k of installed) {
    const spec = specOf(k);
    for (const [needed, why] of Object.entries(spec.requires ?? {})) {
      if (!isOneOf(installed, needed)) {
        add(
          pathOf(needed),
          `off, but ${k} needs it: ${why}`,
          entryOf(selection, needed),
          `turn ${needed} on or ${k} off`,
        );
      }
    }
    for (const [implied, why] of Object.entries(spec.implies ?? {})) {
      if (entryOf(selection, implied)?.enabled === false) {
        add(
          pathOf(`${implied}.enabled`),
          `false, but ${k} turns it on: ${why}`,
          false,
          `remove enabled: false or turn ${k} off`,
        );
      }
    }
    if (context) out.push(...(spec.contextProblems?.(context.value, context.at) ?? []));
  }
  return [...new Set(out)];
}
