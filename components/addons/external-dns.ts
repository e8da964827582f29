import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { irsaAnnotation, PolicyDocument, stableJson } from "../irsa-policy";
import { charts, pinnedReleaseArgs } from "./catalog";
import type { AddonContext } from "./context";
import { addonNamespace } from "./namespace";
import { mergeValues, requests, ValueLayers, Values } from "./values";

export const EXTERNAL_DNS = {
  namespace: "external-dns",
  serviceAccount: "external-dns",
} as const;

/** How records are synchronised (chart `policy`). */
export type ExternalDnsPolicy = "sync" | "upsert-only" | "create-only";

export interface ExternalDnsSettings {
  /** Domain suffixes ExternalDNS may manage (one --domain-filter each). */
  domainFilters: string[];
  /** Route 53 hosted zone ids it may change; the IAM policy allows these zones only. */
  hostedZoneIds: string[];
  /**
   * `upsert-only` never deletes, which suits a cluster that shares zones with another during a
   * migration; `sync` also deletes records this cluster owns. @default "upsert-only"
   */
  policy?: ExternalDnsPolicy;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

export interface ExternalDnsValuesInput {
  clusterName: string;
  region: string;
  domainFilters: string[];
  hostedZoneIds: string[];
  policy: ExternalDnsPolicy;
  roleArn: string;
  /** Create a ServiceMonitor (needs the Prometheus operator's CRDs). @default false */
  serviceMonitor?: boolean;
}

export function externalDnsValues(i: ExternalDnsValuesInput): ValueLayers {
  return {
    defaults: {
      resources: requests("50m", "64Mi", "128Mi"),
      sources: ["service", "ingress"],
      serviceMonitor: { enabled: i.serviceMonitor ?? false },
    },
    owned: {
      provider: { name: "aws" },
      registry: "txt",
      // The TXT ownership record carries this id: prod and prod2 share zones, and neither may
      // rewrite or delete what the other owns.
      txtOwnerId: i.clusterName,
      policy: i.policy,
      domainFilters: i.domainFilters,
      extraArgs: i.hostedZoneIds.map((id) => `--zone-id-filter=${id}`),
      env: [{ name: "AWS_DEFAULT_REGION", value: i.region }],
      serviceAccount: {
        create: true,
        name: EXTERNAL_DNS.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
    },
  };
}

/**
 * Upstream's policy (reference iam/external-dns.json) with ChangeResourceRecordSets limited to
 * the configured zones; the List calls stay as upstream has them (zone discovery needs them).
 */
export function externalDnsPolicy(i: {
  partition: string;
  hostedZoneIds: string[];
}): PolicyDocument {
  const zone = (id: string) => `arn:${i.partition}:route53:::hostedzone/${id}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ChangeConfiguredZones",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: i.hostedZoneIds.map(zone),
      },
      {
        Sid: "ReadZones",
        Effect: "Allow",
        Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
        Resource: [zone("*")],
      },
      {
        Sid: "ListZones",
        Effect: "Allow",
        Action: ["route53:ListHostedZones"],
        Resource: ["*"],
      },
    ],
  };
}

export interface ExternalDnsArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: ExternalDnsSettings;
  /** Releases whose CRDs this one uses. @default [] */
  dependsOn?: pulumi.Resource[];
  /** Create a ServiceMonitor. @default false */
  serviceMonitor?: boolean;
}

/** ExternalDNS for Route 53, owning only the records it wrote, in the configured zones. */
export class ExternalDns extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:ExternalDns", name, {}, opts);
    const ctx = args.context;
    const s = args.settings;
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...EXTERNAL_DNS,
        roleSuffix: "external-dns",
        policy: stableJson(externalDnsPolicy({ ...ctx, hostedZoneIds: s.hostedZoneIds })),
      },
      this,
    );
    // The chart's pod and container security contexts already meet `restricted`.
    const ns = addonNamespace(
      `${name}-ns`,
      { ...ctx, namespace: EXTERNAL_DNS.namespace, podSecurity: "restricted" },
      { parent: this },
    );
    const values = this.role.roleArn.apply((roleArn) =>
      mergeValues(
        externalDnsValues({
          ...ctx,
          ...s,
          policy: s.policy ?? "upsert-only",
          roleArn,
          serviceMonitor: args.serviceMonitor,
        }),
        s.values,
      ),
    );
    this.release = new k8s.helm.v3.Release(
      name,
      {
        ...pinnedReleaseArgs(charts.externalDns, {
          name: "external-dns",
          namespace: ns.metadata.name,
          values,
        }),
        // crds/ holds only DNSEndpoint, read by the `crd` source alone, which we do not enable;
        // Helm would install it once and never upgrade it (components/addons/chart-crds.ts).
        skipCrds: true,
      },
      {
        parent: this,
        provider: ctx.provider,
        dependsOn: [this.role, ...ctx.computeReady, ...(args.dependsOn ?? [])],
      },
    );
    this.registerOutputs({ roleArn: this.role.roleArn, release: this.release.status });
  }
}
