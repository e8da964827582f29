/**
 * Stack config for add-ons. The schema is the registry's: zod only checks that the key holds a
 * map (config-schema.ts), and `addonSelectionProblems` (components/addons/selection.ts), the function AddonBundle and
 * EksBlueprint call, checks the rest, worded with the config key.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AddonSelection } from "../components/addons/registry";
import { addonSelectionProblems, bundlePaths } from "../components/addons/selection";
import { isRecord, problem } from "../components/problems";
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
  const secret =
    isRecord(prometheus) && prometheus.grafanaAdminPassword !== undefined
      ? [
          problem(
            `${ADDONS_KEY}.prometheus.grafanaAdminPassword`,
            "a secret in plain config",
            "[secret]",
            "set it with `pulumi config set --secret eks-blueprint:grafanaAdminPassword`",
          ),
        ]
      : [];
  return [
    ...secret,
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
