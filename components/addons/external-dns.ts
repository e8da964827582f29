import { irsaAnnotation, PolicyDocument } from "../access/irsa-policy";
import { problem } from "../problems";
import { namespacedKinds } from "./crds";
import { oneOfProblems } from "../problems";
import { stringListProblems } from "./settings";
import { type AddonSpec, type CommonSettings, type Prepared, present } from "./spec";
import { requests, ValueLayers } from "./values";

export const EXTERNAL_DNS = {
  namespace: "external-dns",
  serviceAccount: "external-dns",
} as const;

/** How records are synchronised (chart `policy`). */
export const EXTERNAL_DNS_POLICIES = ["upsert-only", "sync", "create-only"] as const;
export type ExternalDnsPolicy = (typeof EXTERNAL_DNS_POLICIES)[number];

export interface ExternalDnsSettings extends CommonSettings {
  /**
   * Parent domains of the cluster's own names. ExternalDNS manages only `<clusterName>.<domain>`
   * and the names below it (one `--domain-filter` each), and its IAM role may change only those:
   * a shared hostname such as `www.example.com` belongs to the stacks' weighted records
   * (components/traffic/traffic-records.ts), never to a controller.
   */
  domainFilters: string[];
  /** Route 53 hosted zone ids it may change; the IAM policy allows these zones only. */
  hostedZoneIds: string[];
  /**
   * `upsert-only` never deletes, which suits a cluster being drained; `sync` also deletes records
   * this cluster owns. The IAM role allows exactly the Route 53 actions the policy uses.
   * @default "upsert-only"
   */
  policy?: ExternalDnsPolicy;
}

/**
 * The domains one cluster's ExternalDNS manages: `<clusterName>.<parent>` for each parent domain.
 * Names under them belong to that cluster alone, so two clusters sharing a zone never claim one.
 */
export const clusterDomains = (clusterName: string, parents: readonly string[]): string[] =>
  parents.map((d) => `${clusterName}.${d}`);

/**
 * ExternalDNS's TXT registry prefix. Upstream names a registry record `<type>-<name>` by default
 * (registry/mapper/mapper.go at v0.21.0, `ToTXTName`), which for the apex of a cluster domain
 * (`a-eks-blueprint-prod.example.com`) falls outside `*.eks-blueprint-prod.example.com`. With
 * `%{record_type}` in a prefix that ends in a dot, the registry record is one label deeper
 * (`extdns-cname.www.eks-blueprint-prod.example.com`), always inside the cluster's domain.
 */
export const EXTERNAL_DNS_TXT_PREFIX = "extdns-%{record_type}.";

/**
 * Record types ExternalDNS writes for Services and Ingresses on AWS: A and AAAA (aliases to load
 * balancers), CNAME, and TXT for its registry. Never NS: a delegation would hand a name to
 * another zone. https://github.com/kubernetes-sigs/external-dns/blob/v0.21.0/docs/tutorials/aws.md
 */
export const EXTERNAL_DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT"] as const;

/**
 * The ChangeResourceRecordSets actions each ExternalDNS policy sends, read at v0.21.0:
 * plan/policy.go keeps creates and updates for upsert-only and creates alone for create-only;
 * provider/aws/aws.go sends creates as CREATE, updates as UPSERT and deletes as DELETE. An update
 * that changes a record's type or alias-ness is a DELETE and a CREATE there
 * (`createUpdateChanges`), which the upsert-only role refuses: a drained cluster deletes nothing.
 */
export const EXTERNAL_DNS_ACTIONS: Record<ExternalDnsPolicy, string[]> = {
  sync: ["CREATE", "DELETE", "UPSERT"],
  "upsert-only": ["CREATE", "UPSERT"],
  "create-only": ["CREATE"],
};

export interface ExternalDnsValuesInput {
  clusterName: string;
  region: string;
  /** Parent domains (`ExternalDnsSettings.domainFilters`). */
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
      txtPrefix: EXTERNAL_DNS_TXT_PREFIX,
      policy: i.policy,
      domainFilters: clusterDomains(i.clusterName, i.domainFilters),
      extraArgs: [
        ...i.hostedZoneIds.map((id) => `--zone-id-filter=${id}`),
        // The filters name subdomains of the zone (`eks-blueprint-prod.example.com` in
        // `example.com`); without this flag upstream skips a zone whose own name the filters do
        // not match (provider/aws/aws.go at v0.21.0, `zones`: `domainFilter.MatchParent`).
        "--aws-zone-match-parent",
      ],
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
 * The record names one cluster's ExternalDNS may change, as Route 53 normalises them for
 * `route53:ChangeResourceRecordSetsNormalizedRecordNames` (lowercase, no trailing dot): each
 * cluster domain and every name below it, which holds its TXT registry records too
 * (EXTERNAL_DNS_TXT_PREFIX). https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export const externalDnsRecordNames = (domains: readonly string[]): string[] =>
  domains.flatMap((d) => [d.toLowerCase(), `*.${d.toLowerCase()}`]);

/**
 * Upstream's policy (reference iam/external-dns.json) with ChangeResourceRecordSets limited to
 * the configured zones and, inside them, to the cluster's own names, the record types ExternalDNS
 * writes and the actions its policy uses. The List calls stay as upstream has them (zone
 * discovery needs them). Why names and not a zone per cluster: a delegated zone per cluster needs
 * an NS record in the shared zone (written by someone with wider rights), a zone per stack, and
 * a lookup more per name; the condition keys keep the one shared zone and are enforced by IAM.
 */
export function externalDnsPolicy(i: {
  partition: string;
  hostedZoneIds: string[];
  /** The cluster's domains (`clusterDomains`). */
  domains: string[];
  policy: ExternalDnsPolicy;
}): PolicyDocument {
  const zone = (id: string) => `arn:${i.partition}:route53:::hostedzone/${id}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ChangeOwnNamesInConfiguredZones",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: i.hostedZoneIds.map(zone),
        // ForAllValues: every change of the batch must match, so one foreign name fails the whole
        // batch. ForAllValues also holds when a key is absent, so Null insists each key is present.
        Condition: {
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
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

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
  contextProblems: (ctx, at) =>
    DNS_LABEL.test(ctx.clusterName)
      ? []
      : [
          problem(
            `${at}.clusterName`,
            "not a DNS label, but ExternalDNS names its records <clusterName>.<domain>",
            ctx.clusterName,
            "use lowercase letters, digits and hyphens, at most 63 characters",
          ),
        ],
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
        policy: s.policy,
        roleArn: present(resolved.roleArn, "its IRSA role"),
        serviceMonitor,
      }),
    // crds/ holds only DNSEndpoint, read by the `crd` source alone, which we do not enable;
    // Helm would install it once and never upgrade it (components/addons/crds.ts).
    skipCrds: true,
  },
};
