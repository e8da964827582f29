import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../access/irsa";
import { stableJson } from "../access/irsa-policy";
import { pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { createNamespace } from "../teams/namespace";
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
  spec: AddonSpec<S, P, D>;
  /** The settings, defaults filled in (`resolveSettings`). */
  settings: WithDefaults<S, D>;
  context: AddonContext;
  /** What the add-on installs after (the ready resources of its `installAfter` add-ons). @default [] */
  after?: pulumi.Resource[];
  /** Keys of every installed add-on. @default none */
  installed?: ReadonlySet<string>;
}

/** One add-on on one cluster, under its entry's own type token (deployed add-ons keep theirs). */
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
    const { namespace: ns, role: roleSpec, chart } = spec;
    if (ns.podSecurity) {
      this.namespace = createNamespace(
        `${name}-ns`,
        { ...ctx, name: ns.name, podSecurity: ns.enforced?.(settings) ?? ns.podSecurity },
        child,
      );
    }
    const prepared = spec.prepare?.(scope, this.namespace);
    const resolvedBase = pulumi
      .all([ctx.accountId, ctx.vpcId, pulumi.all(prepared?.inputs ?? {})])
      .apply(([accountId, vpcId, inputs]): Resolved => ({ accountId, vpcId, ...inputs }));
    const policyOf = roleSpec?.policy;
    if (roleSpec) {
      // Named after the cluster, trusting only its service account: clusters never share one.
      this.role = new IrsaRole(
        `${name}-irsa`,
        {
          ...ctx,
          namespace: ns.name,
          serviceAccount: roleSpec.serviceAccount,
          roleName: `${ctx.clusterName}-${roleSpec.roleSuffix}`,
          policy: policyOf
            ? resolvedBase.apply((r) => stableJson(policyOf(ctx, r, settings)))
            : undefined,
          managedPolicyArns: roleSpec.managedPolicyArns?.(ctx.partition),
          tags: { ...ctx.tags, ...roleSpec.tags?.(ctx) },
        },
        child,
      );
    }
    if (chart) {
      const resolved = pulumi
        .all([resolvedBase, this.role?.roleArn])
        .apply(([r, roleArn]): Resolved => (roleArn ? { ...r, roleArn } : r));
      const serviceMonitor = scope.installed.has("prometheus");
      this.release = new k8s.helm.v3.Release(
        name,
        {
          ...pinnedReleaseArgs(chart.pin, {
            name: chart.release,
            namespace: this.namespace?.metadata.name ?? ns.name,
            values: resolved.apply((r) =>
              mergeValues(
                chart.values({ context: ctx, settings, resolved: r, serviceMonitor }),
                settings.values,
              ),
            ),
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
