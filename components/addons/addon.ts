import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IrsaRole } from "../access/irsa";
import { stableJson } from "../access/irsa-policy";
import { addonRole } from "./addon-role";
import { pinnedChartReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import type {
  AddonScope,
  AddonSpec,
  ChildOptions,
  CommonSettings,
  Finished,
  Prepared,
  Resolved,
  WithDefaults,
} from "./spec";
import { mergeValues } from "./values";
import { withRenames } from "../renames";

export interface AddonArgs<
  S extends CommonSettings,
  P extends Prepared,
  D extends keyof S = never,
> {
  /** The registry entry. */
  spec: AddonSpec<S, P, D>;
  /** The settings, defaults filled in (`resolveSettings`). */
  settings: WithDefaults<S, D>;
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** What the add-on installs after (the ready resources of its `installAfter` add-ons). @default [] */
  after?: pulumi.Resource[];
  /** Keys of every installed add-on. @default none */
  installed?: ReadonlySet<string>;
}

/**
 * One add-on on one cluster: namespace, `prepare`, IRSA role, Helm release (values merged as our
 * defaults → the stack's `values` → the keys we own), then `finish`. The type token is the
 * entry's own (`eks-blueprint:index:Reloader`), as each add-on had its own component before.
 */
export class Addon<
  S extends CommonSettings,
  P extends Prepared = Prepared,
  D extends keyof S = never,
>
  extends pulumi.ComponentResource
{
  readonly namespace?: k8s.core.v1.Namespace;
  readonly role?: IrsaRole;
  readonly release?: k8s.helm.v3.Release;
  /** What an add-on installed after this one waits for. */
  readonly ready: pulumi.Resource[];
  readonly loadBalancerReady: pulumi.Resource[];
  readonly gatewayService?: Finished["gatewayService"];

  constructor(name: string, args: AddonArgs<S, P, D>, opts?: pulumi.ComponentResourceOptions) {
    const { spec, context: ctx, settings } = args;
    super(`eks-blueprint:index:${spec.component}`, name, {}, withRenames(opts, "Addon", name));
    const child: ChildOptions = { parent: this };
    const scope: AddonScope<WithDefaults<S, D>> = {
      name,
      context: ctx,
      settings,
      after: args.after ?? [],
      installed: args.installed ?? new Set(),
      child,
      k8s: { ...child, provider: ctx.provider },
    };
    const ns = spec.namespace;
    if (ns.podSecurity) {
      this.namespace = addonNamespace(
        `${name}-ns`,
        { ...ctx, namespace: ns.name, podSecurity: ns.podSecurity },
        { parent: this },
      );
    }
    const prepared = spec.prepare?.(scope, this.namespace);
    const resolvedBase = pulumi
      .all([ctx.accountId, ctx.vpcId, pulumi.all(prepared?.inputs ?? {})])
      .apply(([accountId, vpcId, inputs]): Resolved => ({ accountId, vpcId, ...inputs }));
    const roleSpec = spec.role;
    const policyOf = roleSpec?.policy;
    if (roleSpec) {
      this.role = addonRole(
        `${name}-irsa`,
        ctx,
        {
          namespace: ns.name,
          serviceAccount: roleSpec.serviceAccount,
          roleSuffix: roleSpec.roleSuffix,
          policy: policyOf
            ? resolvedBase.apply((r) => stableJson(policyOf(ctx, r, settings)))
            : undefined,
          managedPolicyArns: roleSpec.managedPolicyArns?.(ctx.partition),
          tags: roleSpec.tags?.(ctx),
        },
        child,
      );
    }
    const chart = spec.chart;
    if (chart) {
      const resolved = pulumi
        .all([resolvedBase, this.role?.roleArn])
        .apply(([r, roleArn]): Resolved => (roleArn ? { ...r, roleArn } : r));
      const values = resolved.apply((r) =>
        mergeValues(
          chart.values({
            context: ctx,
            settings,
            resolved: r,
            serviceMonitor: scope.installed.has("prometheus"),
          }),
          settings.values,
        ),
      );
      this.release = new k8s.helm.v3.Release(
        name,
        {
          ...pinnedChartReleaseArgs(chart.pin, {
            name: chart.release,
            namespace: this.namespace?.metadata.name ?? ns.name,
            values,
            timeoutSeconds: chart.timeoutSeconds,
          }),
          ...(chart.skipCrds ? { skipCrds: true } : {}),
        },
        {
          ...scope.k8s,
          dependsOn: [
            ...(this.role ? [this.role] : []),
            ...(prepared?.dependsOn ?? []),
            ...ctx.computeReady,
            ...scope.after,
          ],
        },
      );
    }
    const released = this.release ? [this.release] : [];
    const finished = spec.finish?.(scope, {
      prepared,
      namespace: this.namespace,
      role: this.role,
      released,
    });
    this.ready = finished?.ready ?? released;
    this.loadBalancerReady = finished?.loadBalancerReady ?? [];
    this.gatewayService = finished?.gatewayService;
    this.registerOutputs({ roleArn: this.role?.roleArn, release: this.release?.status });
  }
}
