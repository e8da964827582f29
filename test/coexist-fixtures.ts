// Hand-built stacks for the coexistence rule tests: the records our components register, with
// values and policies from the real builders, small enough to read. `overrides` breaks one thing.
import { albControllerValues } from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import {
  clusterAutoscalerPolicy,
  clusterAutoscalerValues,
} from "../components/addons/cluster-autoscaler";
import { externalDnsPolicy, externalDnsValues } from "../components/addons/external-dns";
import {
  fluentBitLogGroups,
  fluentBitPolicy,
  fluentBitValues,
} from "../components/addons/fluent-bit";
import { istiodValues, istioGatewayValues } from "../components/addons/istio/istio";
import { prometheusValues } from "../components/addons/prometheus";
import { mergeValues, Values } from "../components/addons/values";
import { PolicyDocument, stableJson } from "../components/access/irsa-policy";
import { clusterDomains } from "../components/addons/external-dns";
import { weightedRecordName, weightedRecordSpec } from "../components/traffic/weighted-records";
import { MigrationSettings, trafficArgs } from "../stacks/migration-config";
import type { CoexistStack } from "../policy/coexist/records";
import { MOCK_ACCOUNT } from "../synth/mocks";
import type { SynthRecord } from "../synth/record";
import { valuesInput } from "./day2-context";

export const ZONE = "Z0PUBLICZONE0001";
export const REGION = "us-west-2";
const ctx = { region: REGION, partition: "aws", accountId: MOCK_ACCOUNT };
const roleArn = (name: string) => `arn:aws:iam::${MOCK_ACCOUNT}:role/${name}`;

export const rec = (type: string, name: string, inputs: Record<string, unknown>): SynthRecord => ({
  type,
  name,
  parent: null,
  dependsOn: [],
  inputs,
});

export const release = (name: string, chart: string, values: Values): SynthRecord =>
  rec("kubernetes:helm.sh/v3:Release", name, { chart, values });

/** An IRSA role and its inline policy, as IrsaRole registers them. */
export const irsa = (name: string, roleName: string, policy: PolicyDocument): SynthRecord[] => [
  rec("aws:iam/role:Role", name, { name: roleName }),
  rec("aws:iam/rolePolicy:RolePolicy", `${name}-permissions`, {
    name: `${roleName}-permissions`,
    role: roleName,
    policy: stableJson(policy),
  }),
];

export interface StackOptions {
  cidr?: string;
  migration?: Partial<MigrationSettings>;
  /** Chart values merged over ours, per chart name. */
  values?: Partial<Record<"cluster-autoscaler" | "external-dns" | "aws-for-fluent-bit", Values>>;
  /** Records added as they are. */
  extra?: SynthRecord[];
}

/** A stack with a cluster, a VPC, one node group and the add-ons the rules read. */
export function fixtureStack(stack: string, cluster: string, o: StackOptions = {}): CoexistStack {
  const migration: MigrationSettings = {
    weight: 0,
    hostnames: ["www.example.com"],
    hostedZoneId: ZONE,
    singletons: {},
    ...o.migration,
  };
  const logGroup = fluentBitLogGroups(cluster).containers;
  const ca = `${cluster}-cluster-autoscaler`;
  const dns = `${cluster}-external-dns`;
  const fb = `${cluster}-fluent-bit`;
  const v = o.values ?? {};
  const resources: SynthRecord[] = [
    rec("eks:index:Cluster", stack, { name: cluster }),
    rec("awsx:ec2:Vpc", `${stack}-network`, { cidrBlock: o.cidr ?? "10.10.0.0/16" }),
    rec("eks:index:ManagedNodeGroup", `${stack}-nodes-general`, {
      nodeGroupName: `${cluster}-general`,
    }),
    rec("aws:ec2/launchTemplate:LaunchTemplate", `${stack}-nodes-general`, {
      name: `${cluster}-general`,
    }),
    rec("aws:cloudwatch/logGroup:LogGroup", `${stack}-cluster-control-plane`, {
      name: `/aws/eks/${cluster}/cluster`,
    }),
    rec("aws:cloudwatch/logGroup:LogGroup", `${stack}-fluent-bit-containers`, { name: logGroup }),
    ...irsa(`${stack}-ca-irsa`, ca, clusterAutoscalerPolicy({ ...ctx, clusterName: cluster })),
    ...irsa(
      `${stack}-dns-irsa`,
      dns,
      externalDnsPolicy({
        partition: "aws",
        hostedZoneIds: [ZONE],
        domains: clusterDomains(cluster, ["example.com"]),
        policy: "sync",
      }),
    ),
    ...irsa(`${stack}-fb-irsa`, fb, fluentBitPolicy({ ...ctx, logGroupNames: [logGroup] })),
    release(
      `${stack}-ca`,
      "cluster-autoscaler",
      mergeValues(
        clusterAutoscalerValues(
          valuesInput({}, { clusterName: cluster }, { roleArn: roleArn(ca) }),
        ),
        v["cluster-autoscaler"],
      ),
    ),
    release(
      `${stack}-dns`,
      "external-dns",
      mergeValues(
        externalDnsValues(
          valuesInput(
            { domainFilters: ["example.com"], hostedZoneIds: [ZONE], policy: "sync" },
            { clusterName: cluster },
            { roleArn: roleArn(dns) },
          ),
        ),
        v["external-dns"],
      ),
    ),
    release(
      `${stack}-fb`,
      "aws-for-fluent-bit",
      mergeValues(
        fluentBitValues(valuesInput({}, { clusterName: cluster }, { roleArn: roleArn(fb) })),
        v["aws-for-fluent-bit"],
      ),
    ),
    release(
      `${stack}-prometheus`,
      "kube-prometheus-stack",
      mergeValues(
        prometheusValues(
          valuesInput({ retention: "15d", storageSize: "50Gi" }, { clusterName: cluster }),
        ),
      ),
    ),
    release(
      `${stack}-alb`,
      "aws-load-balancer-controller",
      mergeValues(
        albControllerValues(
          valuesInput({}, { clusterName: cluster }, { roleArn: roleArn(`${cluster}-alb`) }),
        ),
      ),
    ),
    release(`${stack}-istiod`, "istiod", mergeValues(istiodValues({ clusterName: cluster }))),
    release(
      `${stack}-gateway`,
      "gateway",
      mergeValues(istioGatewayValues({ scheme: "internet-facing" })),
    ),
    ...trafficRecords(stack, cluster, migration),
    ...(o.extra ?? []),
  ];
  return { stack, synth: { stack, resources }, migration, region: REGION, accountId: MOCK_ACCOUNT };
}

/** The NLB the fixture's gateway Service gets (us-west-2's canonical NLB zone). */
export const nlbOf = (cluster: string) => ({
  name: `k8s-istioing-${cluster}.elb.us-west-2.amazonaws.com`,
  zoneId: "Z18D5FSROUN65G",
});

/** The weighted records TrafficRecords registers for a stack's migration settings. */
export function trafficRecords(
  stack: string,
  cluster: string,
  m: MigrationSettings,
): SynthRecord[] {
  const t = trafficArgs(cluster, m);
  if (!t) return [];
  return t.hostnames.flatMap((h) => [
    rec("aws:route53/record:Record", weightedRecordName(`${stack}-traffic`, h), {
      ...weightedRecordSpec(t.zoneId, h, cluster, t.weight, nlbOf(cluster)),
    }),
    ...Object.entries(t.externalPeers ?? {}).map(([id, p]) =>
      rec("aws:route53/record:Record", weightedRecordName(`${stack}-traffic`, h, id), {
        ...weightedRecordSpec(t.zoneId, h, id, p.weight, p.alias),
      }),
    ),
  ]);
}

/** The committed-like pair: prod in service (weight 100, owns the singleton), prod2 at 0. */
export const goodPair = (a: StackOptions = {}, b: StackOptions = {}) => ({
  a: fixtureStack("prod", "eks-blueprint-prod", {
    ...a,
    migration: {
      weight: 100,
      singletons: { "match-server": { namespace: "game", owned: true } },
      ...a.migration,
    },
  }),
  b: fixtureStack("prod2", "eks-blueprint-prod2", {
    cidr: "10.20.0.0/16",
    ...b,
    migration: {
      weight: 0,
      singletons: { "match-server": { namespace: "game", owned: false } },
      ...b.migration,
    },
  }),
});

/** A copy of `s` whose releases of `chart` have their values replaced by `patch(values)`. */
export function patchValues(
  s: CoexistStack,
  chart: string,
  patch: (values: Values) => Values,
): CoexistStack {
  const resources = s.synth.resources.map((r) =>
    r.inputs.chart === chart
      ? { ...r, inputs: { ...r.inputs, values: patch(r.inputs.values as Values) } }
      : r,
  );
  return { ...s, synth: { ...s.synth, resources } };
}

/** A copy of `s` without the records `drop` matches. */
export const without = (s: CoexistStack, drop: (r: SynthRecord) => boolean): CoexistStack => ({
  ...s,
  synth: { ...s.synth, resources: s.synth.resources.filter((r) => !drop(r)) },
});

/** A copy of `s` where the role `<cluster>-<suffix>` has `policy` as its inline document. */
export function inline(s: CoexistStack, suffix: string, policy: PolicyDocument): CoexistStack {
  const role = `eks-blueprint-${s.stack}-${suffix}`;
  const resources = s.synth.resources.map((r) =>
    r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === role
      ? { ...r, inputs: { ...r.inputs, policy: stableJson(policy) } }
      : r,
  );
  return { ...s, synth: { ...s.synth, resources } };
}

/** What prod2's role `<suffix>` may do to prod, as `action on label`, without repeats. */
export const reach = (
  m: { problems: { stack: string; role: string; detail: string }[] },
  suffix: string,
) => [
  ...new Set(
    m.problems
      .filter((p) => p.stack === "prod2" && p.role === `eks-blueprint-prod2-${suffix}`)
      .map((p) => p.detail.replace(/ \(arn:[^)]*\)$/, "")),
  ),
];
