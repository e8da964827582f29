import { irsaAnnotation, PolicyDocument } from "../irsa-policy";
import { problem } from "../problems";
import { namespacedKinds } from "./crds";
import { oneOfProblems, stringListProblems } from "./settings";
import type { AddonSpec, CommonSettings } from "./spec";
import { requests, ValueLayers } from "./values";

export const EXTERNAL_DNS = {
  namespace: "external-dns",
  serviceAccount: "external-dns",
} as const;

/** How records are synchronised (chart `policy`). */
export const EXTERNAL_DNS_POLICIES = ["upsert-only", "sync", "create-only"] as const;
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

export interface ExternalDnsSettings extends CommonSettings {
  /** Domain suffixes ExternalDNS may manage (one --domain-filter each). */
  domainFilters: string[];
  /** Route 53 hosted zone ids it may change; the IAM policy allows these zones only. */
  hostedZoneIds: string[];
  /**
   * `upsert-only` never deletes, which suits a cluster that shares zones with another during a
   * migration; `sync` also deletes records this cluster owns. @default "upsert-only"
   */
  policy?: ExternalDnsPolicy;
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

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/**
 * Both lists are required: without zones the role may change nothing, and without filters
 * ExternalDNS would claim every domain its zones hold.
 */
export function externalDnsProblems(s: ExternalDnsSettings, at: string): string[] {
  const list = (v: unknown, key: string, re: RegExp, what: string, hint: string, none: string) =>
    v === undefined || (Array.isArray(v) && v.length === 0)
      ? [problem(`${at}.${key}`, `no ${what}s`, v, none)]
      : stringListProblems(v, re, `${at}.${key}`, what, hint);
  return [
    ...list(
      s.domainFilters,
      "domainFilters",
      DOMAIN,
      "domain filter",
      "use a lowercase suffix such as example.com",
      "list the domain suffixes ExternalDNS may manage",
    ),
    ...list(
      s.hostedZoneIds,
      "hostedZoneIds",
      HOSTED_ZONE_ID,
      "Route 53 hosted zone id",
      "use the bare id such as Z0123456789ABCDEFGHIJ",
      "list the Route 53 zone ids ExternalDNS may change",
    ),
    ...oneOfProblems(s.policy, EXTERNAL_DNS_POLICIES, `${at}.policy`, "ExternalDNS policy"),
  ];
}

const SERVICE_MONITOR_CRDS = "its ServiceMonitor needs the Prometheus operator's CRDs";

export const externalDns: AddonSpec<ExternalDnsSettings> = {
  component: "ExternalDns",
  summary: "ExternalDNS for Route 53, owning only the records it wrote, in the configured zones.",
  namespace: {
    name: EXTERNAL_DNS.namespace,
    podSecurity: "restricted",
    why: "the chart's pod and container security contexts already meet it",
  },
  defaults: { domainFilters: undefined, hostedZoneIds: undefined, policy: "upsert-only" },
  problems: externalDnsProblems,
  installAfter: { prometheus: SERVICE_MONITOR_CRDS },
  role: {
    serviceAccount: EXTERNAL_DNS.serviceAccount,
    roleSuffix: "external-dns",
    policy: (ctx, _r, s) =>
      externalDnsPolicy({ partition: ctx.partition, hostedZoneIds: s.hostedZoneIds }),
  },
  chart: {
    // app 0.21.0
    pin: {
      chart: "external-dns",
      version: "1.21.1",
      repo: "https://kubernetes-sigs.github.io/external-dns/",
      source:
        "https://github.com/kubernetes-sigs/external-dns/blob/external-dns-helm-chart-1.21.1/charts/external-dns/Chart.yaml",
    },
    // crds/dnsendpoints.externaldns.k8s.io.yaml: read only by the `crd` source, which we do not use.
    crds: {
      checkedAt: "1.21.1",
      delivery: "crds-dir",
      kinds: namespacedKinds("externaldns.k8s.io", "DNSEndpoint"),
      source:
        "https://github.com/kubernetes-sigs/external-dns/tree/external-dns-helm-chart-1.21.1/charts/external-dns/crds",
      upgrade: {
        via: "skipped",
        why: "DNSEndpoint is read only by the `crd` source; our sources are service and ingress",
      },
    },
    release: "external-dns",
    values: ({ context, settings: s, resolved, serviceMonitor }) =>
      externalDnsValues({
        clusterName: context.clusterName,
        region: context.region,
        domainFilters: s.domainFilters,
        hostedZoneIds: s.hostedZoneIds,
        policy: s.policy!,
        roleArn: resolved.roleArn,
        serviceMonitor,
      }),
    // crds/ holds only DNSEndpoint, read by the `crd` source alone, which we do not enable;
    // Helm would install it once and never upgrade it (components/addons/crds.ts).
    skipCrds: true,
  },
};
