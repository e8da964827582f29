import * as pulumi from "@pulumi/pulumi";
import { withRenames } from "../renames";
import { AddonBundle } from "./bundle";
import type { AddonContext } from "./context";
import { ARGOCD } from "./argocd/argocd";
import { customResource } from "./crds";
import { EXTERNAL_SECRETS, secretsPrefix, secretStores } from "./external-secrets";
import { strictMtls } from "./istio/istio";
import { type BaselineOptions, NetworkPolicyBaseline } from "./network-policies";
import type { AddonSelection } from "./registry";

export interface PlatformArgs {
  /** The cluster the add-ons go on. */
  context: AddonContext;
  /** The add-ons (registry.ts); see `AddonSelection` for what is on by default. @default {} */
  addons?: AddonSelection;
  /** Private subnets, one per AZ (EFS mount targets). */
  privateSubnetIds: pulumi.Output<string[]>;
  /** Number of availability zones (one EFS mount target each). */
  availabilityZones: number;
  /** EKS's cluster security group, on managed nodes: allowed to reach the EFS mount targets. */
  clusterSecurityGroupId: pulumi.Input<string>;
  /**
   * Workload namespaces already created, by name; each gets the network policy baseline and, with
   * External Secrets, its own secret stores. @default {}
   */
  workloadNamespaces?: Record<string, pulumi.Resource>;
  /**
   * Per workload namespace: in the mesh (STRICT mutual TLS, sidecar metrics scraped) and the ports
   * Prometheus scrapes. @default none: out of the mesh, nothing scraped
   */
  namespaceOptions?: Record<string, BaselineOptions>;
  /** Resources network policies wait for (the vpc-cni add-on enforces them). */
  networkPolicyEngine: pulumi.Resource;
  /** Policies allowing all in observed namespaces, applied before any that denies. @default [] */
  allowAllFirst?: pulumi.Resource[];
}

/** Everything that runs in the cluster: the add-on bundle and the workload network policies. */
export class Platform extends pulumi.ComponentResource {
  readonly bundle: AddonBundle;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:Platform", name, {}, withRenames(opts, "Platform", name));
    const { context } = args;
    this.bundle = new AddonBundle(
      `${name}-addons`,
      {
        context: {
          ...context,
          // One subnet per zone, by the zone's index (EFS mount targets are named by it).
          privateSubnetIds: [...Array(args.availabilityZones).keys()].map((i) =>
            args.privateSubnetIds.apply((ids) => ids[i]),
          ),
          clusterSecurityGroupId: args.clusterSecurityGroupId,
        },
        addons: args.addons,
      },
      { parent: this },
    );
    const namespaces = args.workloadNamespaces ?? {};
    if (Object.keys(namespaces).length > 0) {
      new NetworkPolicyBaseline(
        `${name}-netpol`,
        {
          provider: context.provider,
          namespaces: Object.keys(namespaces),
          scrape: args.namespaceOptions,
          dependsOn: [
            ...Object.values(namespaces),
            args.networkPolicyEngine,
            ...(args.allowAllFirst ?? []),
          ],
        },
        { parent: this },
      );
    }
    this.namespaceServices(name, args);
    this.registerOutputs({});
  }

  /**
   * Per namespace, what the add-ons serve it: its own secret stores (Argo CD's namespace too, for
   * its repository credentials) and, in the mesh, a namespace-wide PeerAuthentication in STRICT
   * mode, so its sidecars accept only mutual TLS
   * (https://istio.io/latest/docs/reference/config/security/peer_authentication/).
   */
  private namespaceServices(name: string, args: PlatformArgs): void {
    const { context: ctx } = args;
    const k8sOpts = (namespace: pulumi.Resource | undefined, after: pulumi.Resource[]) => ({
      parent: this,
      provider: ctx.provider,
      dependsOn: [...(namespace ? [namespace] : []), ...after],
    });
    const { externalSecrets: eso, istio, argocd } = this.bundle.addons;
    if (eso) {
      const prefix = secretsPrefix(args.addons?.externalSecrets ?? {}, ctx.clusterName);
      const served: Record<string, pulumi.Resource | undefined> = {
        ...(argocd ? { [ARGOCD.namespace]: argocd.namespace } : {}),
        ...args.workloadNamespaces,
      };
      for (const [namespace, resource] of Object.entries(served)) {
        for (const store of secretStores({ region: ctx.region, prefix, namespace })) {
          customResource(
            `${name}-${namespace}-${store.name}`,
            [EXTERNAL_SECRETS.apiVersion, "SecretStore"],
            { name: store.name, namespace },
            store.spec,
            // ESO's webhook validates every store: after its release.
            k8sOpts(resource, eso.ready),
          );
        }
      }
    }
    if (istio) {
      for (const [namespace, o] of Object.entries(args.namespaceOptions ?? {})) {
        if (!o.mesh) continue;
        const p = strictMtls(namespace);
        customResource(
          `${name}-${namespace}-mtls`,
          [p.apiVersion, p.kind],
          p.metadata,
          p.spec,
          k8sOpts(args.workloadNamespaces?.[namespace], istio.ready),
        );
      }
    }
  }
}
