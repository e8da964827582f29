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
} from "./spec";
import { mergeValues } from "./values";

/** Where an add-on lived before it moved under the bundle (its old name and parent). */
export interface FormerIdentity {
  /** Its old logical name. */
  name: string;
  /** Its old parent. */
  parent: pulumi.Resource;
}

export interface AddonArgs<S extends CommonSettings, P extends Prepared> {
  /** The registry entry. */
  spec: AddonSpec<S, P>;
  /** The settings, defaults filled in (`resolveSettings`). */
  settings: S;
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** What the add-on installs after (the ready resources of its `installAfter` add-ons). @default [] */
  after?: pulumi.Resource[];
  /** Keys of every installed add-on. @default none */
  installed?: ReadonlySet<string>;
  /**
   * The add-on's identity before it moved here. Every child it creates then carries an alias to
   * `<old name><its suffix>` under the old component, so `pulumi up` moves it in place instead of
   * creating it anew and deleting the old one. Grandchildren (an IrsaRole's role) inherit the
   * alias from their parent in the engine (pulumi/pulumi pkg/resource/deploy/step_generator.go,
   * `generateAliases`: "multiply out any aliases our parent had"). @default none
   */
  formerly?: FormerIdentity;
}

/** The old identity of a child named `childName` of a component that moved from `formerly`. */
export function formerChildAlias(
  name: string,
  childName: string,
  component: string,
  formerly: FormerIdentity,
): pulumi.Alias {
  return {
    name: formerly.name + childName.slice(name.length),
    parent: pulumi.createUrn(formerly.name, `eks-blueprint:index:${component}`, formerly.parent),
  };
}

/**
 * One add-on on one cluster: namespace, `prepare`, IRSA role, Helm release (values merged as our
 * defaults → the stack's `values` → the keys we own), then `finish`. The type token is the
 * entry's own (`eks-blueprint:index:Reloader`), as each add-on had its own component before.
 */
export class Addon<S extends CommonSettings, P extends Prepared = Prepared>
  extends pulumi.ComponentResource
{
  readonly namespace?: k8s.core.v1.Namespace;
  readonly role?: IrsaRole;
  readonly release?: k8s.helm.v3.Release;
  /** What an add-on installed after this one waits for. */
  readonly ready: pulumi.Resource[];
  readonly loadBalancerReady: pulumi.Resource[];
  readonly gatewayService?: Finished["gatewayService"];

  constructor(name: string, args: AddonArgs<S, P>, opts?: pulumi.ComponentResourceOptions) {
    const { spec, context: ctx, settings } = args;
    // A renamed type token is a move too: to the same name under the same parent, old type.
    const formerType = spec.formerComponent ?? spec.component;
    const formerly =
      args.formerly ??
      (spec.formerComponent && opts?.parent ? { name, parent: opts.parent } : undefined);
    super(
      `eks-blueprint:index:${spec.component}`,
      name,
      {},
      {
        ...opts,
        ...(formerly
          ? {
              aliases: [
                {
                  name: formerly.name,
                  type: `eks-blueprint:index:${formerType}`,
                  parent: formerly.parent,
                },
              ],
            }
          : {}),
      },
    );
    const child = (childName: string): ChildOptions => ({
      parent: this,
      ...(formerly ? { aliases: [formerChildAlias(name, childName, formerType, formerly)] } : {}),
    });
    const scope: AddonScope<S> = {
      name,
      context: ctx,
      settings,
      after: args.after ?? [],
      installed: args.installed ?? new Set(),
      child,
      k8s: (childName) => ({ ...child(childName), provider: ctx.provider }),
    };
    const ns = spec.namespace;
    if (ns.podSecurity) {
      this.namespace = addonNamespace(
        `${name}-ns`,
        { ...ctx, namespace: ns.name, podSecurity: ns.podSecurity },
        { parent: this },
      );
    }
    const prepared = (spec.prepare?.(scope, this.namespace) ?? {}) as P;
    const resolvedBase = pulumi
      .all([ctx.accountId, ctx.vpcId, pulumi.all(prepared.inputs ?? {})])
      .apply(([accountId, vpcId, inputs]): Resolved => ({ accountId, vpcId, ...inputs }));
    const roleSpec = spec.role;
    if (roleSpec) {
      this.role = addonRole(
        `${name}-irsa`,
        ctx,
        {
          namespace: ns.name,
          serviceAccount: roleSpec.serviceAccount,
          roleSuffix: roleSpec.roleSuffix,
          policy: roleSpec.policy
            ? resolvedBase.apply((r) => stableJson(roleSpec.policy!(ctx, r, settings)))
            : undefined,
          managedPolicyArns: roleSpec.managedPolicyArns?.(ctx.partition),
          tags: roleSpec.tags?.(ctx),
        },
        child(`${name}-irsa`),
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
          ...scope.k8s(name),
          dependsOn: [
            ...(this.role ? [this.role] : []),
            ...(prepared.dependsOn ?? []),
            ...ctx.computeReady,
            ...scope.after,
          ],
        },
      );
    }
    const finished = spec.finish?.(scope, {
      prepared,
      namespace: this.namespace,
      role: this.role,
      release: this.release,
    });
    this.ready = finished?.ready ?? (this.release ? [this.release] : []);
    this.loadBalancerReady = finished?.loadBalancerReady ?? [];
    this.gatewayService = finished?.gatewayService;
    this.registerOutputs({ roleArn: this.role?.roleArn, release: this.release?.status });
  }
}
