/** The package's `addons` namespace; a new add-on: docs/adding-an-addon.md. */

// Add-ons are reached by key (`addonRegistry.reloader`), so a new one needs no line here.
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
