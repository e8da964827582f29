import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const RELOADER = { namespace: "reloader" } as const;

export interface ReloaderSettings {
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

/** Stakater Reloader: rolls workloads whose ConfigMaps or Secrets change. No AWS access. */
export function reloaderValues(): ValueLayers {
  return {
    defaults: {
      reloader: {
        deployment: {
          resources: requests("10m", "64Mi", "256Mi"),
          // The chart leaves the container context empty; these two make `restricted` pass
          // (the pod context already sets runAsNonRoot and the RuntimeDefault seccomp profile).
          containerSecurityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
          },
        },
      },
    },
    owned: {
      // One instance for the whole cluster: workloads opt in with reloader.stakater.com annotations.
      reloader: { watchGlobally: true },
    },
  };
}

export interface ReloaderArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: ReloaderSettings;
}

export class Reloader extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ReloaderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Reloader", name, {}, opts);
    const ctx = args.context;
    const ns = addonNamespace(
      `${name}-ns`,
      { ...ctx, namespace: RELOADER.namespace, podSecurity: "restricted" },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      name,
      pinnedReleaseArgs(charts.reloader, {
        name: "reloader",
        namespace: ns.metadata.name,
        values: mergeValues(reloaderValues(), args.settings.values),
      }),
      { parent: this, provider: ctx.provider, dependsOn: [...ctx.computeReady] },
    );
    this.registerOutputs({ release: this.release.status });
  }
}
