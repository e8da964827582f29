import * as pulumi from "@pulumi/pulumi";
import { throwProblems } from "../problems";
import { Addon } from "./addon";
import type { AddonContext } from "./context";
import { AddonKey, AddonSelection, installEdges, specOf, suffixOf } from "./registry";
import { addonSelectionProblems, bundlePaths, installedAddons } from "./selection";
import { resolveSettings } from "./settings";
import type { CommonSettings, Finished } from "./spec";

/** Per installed add-on, those it waits for (and that outlive it on destroy): its `dependsOn`. */
export function addonOrder(selection: AddonSelection): Partial<Record<AddonKey, AddonKey[]>> {
  const installed = installedAddons(selection);
  const edges = installEdges(installed);
  return Object.fromEntries(
    installed.map((k) => [k, edges.filter(([from]) => from === k).map(([, to]) => to)]),
  );
}

export interface AddonBundleArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** Which add-ons, with their settings and per-add-on value overrides. @default {} */
  addons?: AddonSelection;
}

/** Installs the selected add-ons on one cluster, in dependency order. */
export class AddonBundle extends pulumi.ComponentResource {
  /** Each installed add-on's component, by registry key. */
  readonly addons: Partial<Record<AddonKey, Addon<CommonSettings>>> = {};
  /** `dependsOn` for LB Services and Ingresses: destroy then deletes them (and their LBs) first. */
  readonly loadBalancerReady: pulumi.Resource[];
  /** Namespace and name of the ingress gateway Service, when Istio is on. */
  readonly gatewayService?: Finished["gatewayService"];

  constructor(name: string, args: AddonBundleArgs, opts?: pulumi.ComponentResourceOptions) {
    const selection = args.addons ?? {};
    // Before super(): a bad selection fails with nothing registered.
    throwProblems(
      "AddonBundle",
      name,
      addonSelectionProblems(selection, bundlePaths, { at: "context", value: args.context }),
    );
    super("eks-blueprint:index:AddonBundle", name, {}, opts);
    const installed = installedAddons(selection);
    const order = addonOrder(selection);
    const installedSet = new Set<string>(installed);
    for (const key of installed) {
      const spec = specOf(key);
      this.addons[key] = new Addon(
        `${name}-${suffixOf(spec)}`,
        {
          spec,
          settings: resolveSettings(spec, selection[key]),
          context: args.context,
          after: (order[key] ?? []).flatMap((dep) => this.addons[dep]?.ready ?? []),
          installed: installedSet,
        },
        { parent: this },
      );
    }
    const all = Object.values(this.addons);
    this.loadBalancerReady = all.flatMap((a) => a.loadBalancerReady);
    this.gatewayService = all.find((a) => a.gatewayService)?.gatewayService;
    this.registerOutputs({ installed });
  }
}
