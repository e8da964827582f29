import { DNS_LABEL } from "../kubernetes-names";
import { allow, type PolicyDocument, policyDocument } from "../access/irsa-policy";
import { oneOfProblems, problem } from "../problems";
import { namespacedKinds } from "./crds";
import { clusterNameProblems, stringListProblems } from "./settings";
import type { AddonSpec, CommonSettings, Prepared, ValuesInput, WithDefaults } from "./spec";
import { irsaServiceAccount, requests, ValueLayers } from "./values";

export const EXTERNAL_DNS = { namespace: "external-dns", serviceAccount: "external-dns" } as const;

/** How records are synchronised (chart `policy`). */
export const EXTERNAL_DNS_POLICIES = ["upsert-only", "sync", "create-only"] as const;
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

export interface ExternalDnsSettings extends CommonSettings {
  /** Parent domains: it manages only `<clusterName>.<domain>` and below, never shared hostnames. */
  domainFilters: string[];
  /** Route 53 hosted zone ids it may change; the IAM policy allows these zones only. */
  hostedZoneIds: string[];
  /** `upsert-only` never deletes (draining); `sync` deletes its own. @default "upsert-only" */
  policy?: ExternalDnsPolicy;
}

/** `<clusterName>.<parent>` per parent: two clusters sharing a zone never claim the same name. */
export const clusterDomains = (clusterName: string, parents: readonly string[]): string[] =>
  parents.map((d) => `${clusterName}.${d}`);

/**
 * TXT registry prefix. Upstream's default `<type>-<name>` (registry/mapper/mapper.go at v0.21.0,
 * `ToTXTName`) puts the apex's record (`a-eks-blueprint-prod.example.com`) outside the cluster's
 * domain; a prefix ending in a dot puts it one label deeper, always inside.
 */
export const EXTERNAL_DNS_TXT_PREFIX = "extdns-%{record_type}.";

/**
 * What it writes on AWS (A/AAAA aliases, CNAME, TXT registry); never NS, which would delegate a
 * name: https://github.com/kubernetes-sigs/external-dns/blob/v0.21.0/docs/tutorials/aws.md
 */
export const EXTERNAL_DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT"] as const;

/**
 * ChangeResourceRecordSets actions per policy (v0.21.0 plan/policy.go, provider/aws/aws.go); a type
 * or alias change is DELETE + CREATE (`createUpdateChanges`), which upsert-only refuses.
 */
export const EXTERNAL_DNS_ACTIONS: Record<ExternalDnsPolicy, string[]> = {
  sync: ["CREATE", "DELETE", "UPSERT"],
  "upsert-only": ["CREATE", "UPSERT"],
  "create-only": ["CREATE"],
};

export function externalDnsValues({
  context: { clusterName, region },
  settings: s,
  resolved,
  serviceMonitor,
}: ValuesInput<WithDefaults<ExternalDnsSettings, "policy">>): ValueLayers {
  return {
    defaults: {
      resources: requests("50m", "64Mi", "128Mi"),
      sources: ["service", "ingress"],
      serviceMonitor: { enabled: serviceMonitor },
    },
    owned: {
      provider: { name: "aws" },
      registry: "txt",
      // In the TXT ownership records: prod and prod2 share zones; neither may touch the other's.
      txtOwnerId: clusterName,
      txtPrefix: EXTERNAL_DNS_TXT_PREFIX,
      policy: s.policy,
      domainFilters: clusterDomains(clusterName, s.domainFilters),
      extraArgs: [
        ...s.hostedZoneIds.map((id) => `--zone-id-filter=${id}`),
        // The filters name subdomains of the zone, which upstream would otherwise skip
        // (provider/aws/aws.go at v0.21.0, `zones`: `domainFilter.MatchParent`).
        "--aws-zone-match-parent",
      ],
      env: [{ name: "AWS_DEFAULT_REGION", value: region }],
      serviceAccount: irsaServiceAccount(EXTERNAL_DNS.serviceAccount, resolved),
    },
  };
}

/**
 * Names it may change, as Route 53 normalises them (lowercase, no trailing dot), domains and below:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export const externalDnsRecordNames = (domains: readonly string[]): string[] =>
  domains.flatMap((d) => [d.toLowerCase(), `*.${d.toLowerCase()}`]);

/**
 * Upstream's policy (reference iam/external-dns.json), ChangeResourceRecordSets held to the
 * configured zones, the cluster's names, its record types and its policy's actions. Names, not a
 * zone per cluster, which needs an NS record written with wider rights.
 */
export function externalDnsPolicy(i: {
  partition: string;
  hostedZoneIds: string[];
  /** The cluster's domains (`clusterDomains`). */
  domains: string[];
  policy: ExternalDnsPolicy;
}): PolicyDocument {
  const zone = (id: string) => `arn:${i.partition}:route53:::hostedzone/${id}`;
  return policyDocument(
    allow(
      "ChangeOwnNamesInConfiguredZones",
      ["route53:ChangeResourceRecordSets"],
      i.hostedZoneIds.map(zone),
      // ForAllValues: one foreign name fails the whole batch. It also holds when a key is absent,
      // so Null insists each key is present.
      {
        "ForAllValues:StringLike": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": externalDnsRecordNames(
            i.domains,
          ),
        },
        "ForAllValues:StringEquals": {
          "route53:ChangeResourceRecordSetsRecordTypes": [...EXTERNAL_DNS_RECORD_TYPES],
          "route53:ChangeResourceRecordSetsActions": EXTERNAL_DNS_ACTIONS[i.policy],
        },
        Null: {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": "false",
          "route53:ChangeResourceRecordSetsRecordTypes": "false",
          "route53:ChangeResourceRecordSetsActions": "false",
        },
      },
    ),
    allow(
      "ReadZones",
      ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
      [zone("*")],
    ),
    allow("ListZones", ["route53:ListHostedZones"], ["*"]),
  );
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/** Both lists required: without zones it changes nothing, without filters it claims everything. */
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
      "list the parent domains of the cluster's names (it manages <clusterName>.<domain>)",
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

export const externalDns: AddonSpec<ExternalDnsSettings, Prepared, "policy"> = {
  component: "ExternalDns",
  summary:
    "ExternalDNS for Route 53: only names under <clusterName>.<domain>, in the configured zones.",
  namespace: {
    name: EXTERNAL_DNS.namespace,
    podSecurity: "restricted",
    why: "the chart's pod and container security contexts already meet it",
  },
  defaults: { domainFilters: undefined, hostedZoneIds: undefined, policy: "upsert-only" },
  problems: externalDnsProblems,
  installAfter: { prometheus: SERVICE_MONITOR_CRDS },
  contextProblems: clusterNameProblems(
    DNS_LABEL,
    "not a DNS label, but ExternalDNS names its records <clusterName>.<domain>",
    "use lowercase letters, digits and hyphens, at most 63 characters",
  ),
  role: {
    serviceAccount: EXTERNAL_DNS.serviceAccount,
    roleSuffix: "external-dns",
    policy: (ctx, _r, s) =>
      externalDnsPolicy({
        partition: ctx.partition,
        hostedZoneIds: s.hostedZoneIds,
        domains: clusterDomains(ctx.clusterName, s.domainFilters),
        policy: s.policy,
      }),
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
    values: externalDnsValues,
    // crds/ holds only DNSEndpoint, which nothing we run reads (`crds.upgrade.why`).
    skipCrds: true,
  },
};
