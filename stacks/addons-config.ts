// Add-on config: zod checks only for a map (config-schema.ts); `addonSelectionProblems`
// (components/addons/selection.ts) checks the rest, worded with the config key.
import type * as pulumi from "@pulumi/pulumi";
import type { AddonSelection } from "../components/addons/registry";
import { addonSelectionProblems, bundlePaths } from "../components/addons/selection";
import { isRecord, problemIf } from "../components/problems";
import { configKeyOf } from "./config-keys";

const ADDONS_KEY = configKeyOf("addons");

export interface AddonSecrets {
  /**
   * The Pulumi config secret `eks-blueprint:grafanaAdminPassword`. @default none: Prometheus
   * generates one (RandomPassword) and keeps it in a Kubernetes Secret
   */
  grafanaAdminPassword?: pulumi.Input<string>;
}

/** Every problem with the stack's add-ons, worded with the config key. */
export function addonsConfigProblems(addons: unknown): string[] {
  if (addons !== undefined && !isRecord(addons)) return []; // the schema reports it
  const prometheus = addons?.prometheus;
  return [
    ...problemIf(
      isRecord(prometheus) && prometheus.grafanaAdminPassword !== undefined,
      `${ADDONS_KEY}.prometheus.grafanaAdminPassword`,
      "a secret in plain config",
      "[secret]",
      "set it with `pulumi config set --secret eks-blueprint:grafanaAdminPassword`",
    ),
    ...addonSelectionProblems(addons ?? {}, (field) => configKeyOf(bundlePaths(field))),
  ];
}

/** The blueprint's selection from validated config, with the Grafana secret added. */
export function toAddonSelection(
  addons: Record<string, unknown>,
  secrets: AddonSecrets = {},
): AddonSelection {
  const selection: AddonSelection = { ...addons };
  if (selection.prometheus && secrets.grafanaAdminPassword !== undefined) {
    selection.prometheus = {
      ...selection.prometheus,
      grafanaAdminPassword: secrets.grafanaAdminPassword,
    };
  }
  return selection;
}
