/**
 * The add-ons, as the package exports them under one namespace (`import { addons } from
 * "eks-blueprint"`): the registry and what derives from it, and the types its entries are
 * written in (a new add-on is a registry entry: docs/adding-an-addon.md). Names follow the
 * registry key: key `reloader`, entry `addonRegistry.reloader`, component
 * `eks-blueprint:index:Reloader`, settings `ReloaderSettings` (`SettingsOf<"reloader">`).
 */

// The registry, the one chart map it carries, and the one answer to "what gets installed". Each
// add-on is reached through its key (`addonRegistry.reloader`, `SettingsOf<"reloader">`), so a new
// add-on needs no line here.
export {
  ADDON_KEYS,
  addonRegistry,
  charts,
  type AddonKey,
  type AddonSelection,
  type SettingsOf,
} from "./registry";
export { addonSelectionProblems, installedAddons } from "./selection";
export type { KarpenterNodePoolSpec } from "./karpenter/node-pools";

// The types of the registry's entries.
export type { AddonContext } from "./context";
export type { ChartPin, OciChartPin } from "./catalog";
export type { ChartCrds, CrdKind } from "./crds";
export type {
  AddonChart,
  AddonChartSpec,
  AddonIrsaSpec,
  AddonScope,
  AddonSpec,
  CommonSettings,
  Finished,
  Plumbed,
  Prepared,
  Resolved,
  ValuesInput,
} from "./spec";
export type { ValueLayers, Values } from "./values";
