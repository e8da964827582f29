import * as k8s from "@pulumi/kubernetes";
import {
  isPolicyDocument,
  policyDocument,
  PolicyDocument,
  PolicyStatement,
} from "../../access/irsa-policy";
import { vpcArn } from "../../access/guards";
import { clusterKinds, CrdManifest, namespacedKinds, vendoredCrdPatches } from "../crds";
import vendoredCrds from "./crds-3.5.0.json";
import upstreamPolicy from "./iam-policy.json";
import type { AddonChartSpec, AddonSpec, CommonSettings, ValuesInput } from "../spec";
import { irsaServiceAccount, requests, ValueLayers } from "../values";

// The vendored JSON, read as the types it holds (the catalog test checks the copies).
if (!isPolicyDocument(upstreamPolicy))
  throw new Error("iam-policy.json: not an IAM policy document");
const upstream: PolicyDocument = upstreamPolicy;
const crds: CrdManifest[] = vendoredCrds;

/** Where the controller runs: upstream's IRSA example uses exactly these. */
export const ALB_CONTROLLER = {
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
} as const;

/** The controller takes no settings of its own. */
export type AwsLoadBalancerControllerSettings = CommonSettings;

/** Chart values for aws-load-balancer-controller (keys checked against its values.yaml). */
export function albControllerValues({
  context: ctx,
  resolved,
  serviceMonitor,
}: ValuesInput<unknown>): ValueLayers {
  return {
    defaults: {
      replicaCount: 2,
      resources: requests("100m", "128Mi", "256Mi"),
      podDisruptionBudget: { maxUnavailable: 1 },
      // On, it would claim every LoadBalancer Service and, failing closed, block Service writes.
      enableServiceMutatorWebhook: false,
      serviceMonitor: { enabled: serviceMonitor },
    },
    owned: {
      // `--enable-shield/-waf/-wafv2` (values.yaml: each "default true"): our load balancers take
      // no WAF or Shield, and their IAM actions cannot be scoped to a cluster (DROPPED_ACTIONS).
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
      clusterName: ctx.clusterName,
      // Explicit, so the controller never depends on reaching IMDS (hop limit 1 on our nodes).
      region: ctx.region,
      vpcId: resolved.vpcId,
      serviceAccount: irsaServiceAccount(ALB_CONTROLLER.serviceAccount, resolved),
    },
  };
}

export interface AlbControllerPolicyInput {
  /** The cluster's name: the value the controller writes into `elbv2.k8s.aws/cluster`. */
  clusterName: string;
  partition: string;
  region: string;
  accountId: string;
  vpcId: string;
}

/**
 * On every AWS resource the controller creates, valued `--cluster-name`
 * (kubernetes-sigs/aws-load-balancer-controller pkg/deploy/tracking/provider.go); on listeners and
 * rules too while the `ListenerRulesTagging` gate is on, its default (pkg/config/feature_gates.go,
 * pkg/deploy/elbv2/listener_manager.go).
 */
export const ALB_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const RESOURCE_TAG = `aws:ResourceTag/${ALB_CLUSTER_TAG}`;
const REQUEST_TAG = `aws:RequestTag/${ALB_CLUSTER_TAG}`;

/** How one upstream statement is narrowed to this cluster, and why. */
export type AlbScoping =
  // Upstream only requires the cluster tag on create (Null); the value must be this cluster's.
  | "request-tag-value"
  // Upstream accepts any resource with the cluster tag, which every cluster's carry: ours only.
  | "resource-tag-value"
  // Upstream leaves these unconditioned, so untagged listeners and rules (an older controller's)
  // and target groups made elsewhere are anyone's: now only what carries this cluster's tag.
  // Listeners and rules are tagged at creation (`ListenerRulesTagging`, on by default).
  | "tagged-only"
  // Upstream opens any security group; only this VPC's now (the install guide's suggestion).
  | "own-vpc"
  // Reads, resource-less calls, or creates that touch nothing existing.
  | "unchanged";

/**
 * Dropped: WAF and Shield are off (`enableWaf`, `enableWafv2`, `enableShield`), and their calls
 * cannot be scoped to a cluster (`wafv2:DisassociateWebACL` authorizes the load balancer, whose
 * wafv2 resource type has no condition keys; Service Authorization Reference, AWS WAF V2);
 * Cognito only serves `alb.ingress.kubernetes.io/auth-type: cognito`, which no Ingress here uses.
 */
export const DROPPED_ACTIONS = /^(cognito-idp|shield|waf-regional|wafv2):|:SetWebAcl$/;

const sgIngressOnly = (s: PolicyStatement) =>
  !s.Condition &&
  Array.isArray(s.Action) &&
  s.Action.length === 2 &&
  s.Action.includes("ec2:AuthorizeSecurityGroupIngress") &&
  s.Action.includes("ec2:RevokeSecurityGroupIngress");

const actionsOf = (s: PolicyStatement) => [s.Action].flat();
/** Upstream's unconditioned statements that change existing load balancer resources. */
const unconditionedElbWrite = (s: PolicyStatement) =>
  !s.Condition && actionsOf(s).every((a) => a.startsWith("elasticloadbalancing:"));

/** Which narrowing an upstream statement gets, from its shape (so a bump is judged the same way). */
export function albStatementScoping(s: PolicyStatement): AlbScoping[] {
  const isNull = s.Condition?.Null ?? {};
  const out: AlbScoping[] = [];
  if (isNull[REQUEST_TAG] === "false") out.push("request-tag-value");
  if (isNull[RESOURCE_TAG] === "false") out.push("resource-tag-value");
  if (sgIngressOnly(s)) out.push("own-vpc");
  if (unconditionedElbWrite(s)) out.push("tagged-only");
  return out.length > 0 ? out : ["unchanged"];
}

const inPartition = (resource: string | string[] | undefined, partition: string) =>
  Array.isArray(resource)
    ? resource.map((r) => r.replace(/^arn:aws:/, `arn:${partition}:`))
    : resource?.replace(/^arn:aws:/, `arn:${partition}:`);

/** Adds `key: value` under `operator`, keeping every condition upstream already has. */
const withCondition = (s: PolicyStatement, operator: string, add: Record<string, string>) => ({
  ...s,
  Condition: { ...s.Condition, [operator]: { ...s.Condition?.[operator], ...add } },
});

/** Upstream's policy in the cluster's partition, narrowed per `albStatementScoping`. */
export function albControllerPolicy(i: AlbControllerPolicyInput): PolicyDocument {
  const narrow = (s: PolicyStatement, how: AlbScoping): PolicyStatement => {
    switch (how) {
      case "request-tag-value":
        return withCondition(s, "StringEquals", { [REQUEST_TAG]: i.clusterName });
      case "resource-tag-value":
        return withCondition(s, "StringEquals", { [RESOURCE_TAG]: i.clusterName });
      case "tagged-only":
        // Tagging may not hand a listener or rule to another cluster's name either.
        return withCondition(s, "StringEquals", {
          [RESOURCE_TAG]: i.clusterName,
          ...(actionsOf(s).includes("elasticloadbalancing:AddTags")
            ? { [REQUEST_TAG]: i.clusterName }
            : {}),
        });
      case "own-vpc":
        return withCondition(s, "ArnEquals", { "ec2:Vpc": vpcArn(i) });
      case "unchanged":
        return s;
    }
  };
  return policyDocument(
    ...upstream.Statement.flatMap((s) => {
      const kept = actionsOf(s).filter((a) => !DROPPED_ACTIONS.test(a));
      if (kept.length === 0) return [];
      const scoped = albStatementScoping(s).reduce(narrow, {
        ...s,
        Action: kept,
        Resource: inPartition(s.Resource, i.partition),
      });
      // A listener or rule has no tag before CreateListener/CreateRule tags it.
      return kept.includes("elasticloadbalancing:AddTags") && !s.Condition
        ? [scoped, taggedOnCreate({ ...s, Resource: scoped.Resource }, i.clusterName)]
        : [scoped];
    }),
  );
}

/** AddTags inside CreateListener and CreateRule, with this cluster's tag value only. */
const taggedOnCreate = (s: PolicyStatement, clusterName: string): PolicyStatement => ({
  ...s,
  Action: "elasticloadbalancing:AddTags",
  Condition: {
    StringEquals: {
      "elasticloadbalancing:CreateAction": ["CreateListener", "CreateRule"],
      [REQUEST_TAG]: clusterName,
    },
  },
});

/** The controller's chart; its CRDs are applied from the vendored copy (`prepare`). */
const albChart = {
  // app v3.5.0; the IAM policy it needs is pinned in `albControllerIamPolicy` (catalog.ts).
  pin: {
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    repo: "https://aws.github.io/eks-charts",
    source:
      "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/helm/aws-load-balancer-controller/Chart.yaml",
  },
  // crds/crds.yaml and crds/gateway-crds.yaml; upstream applies them before `helm upgrade`.
  crds: {
    checkedAt: "3.5.0",
    delivery: "crds-dir",
    kinds: [
      ...namespacedKinds("aga.k8s.aws", "GlobalAccelerator"),
      ...namespacedKinds("elbv2.k8s.aws", "ALBTargetControlConfig TargetGroupBinding"),
      ...clusterKinds("elbv2.k8s.aws", "IngressClassParams"),
      ...namespacedKinds(
        "gateway.k8s.aws",
        "ListenerRuleConfiguration LoadBalancerConfiguration TargetGroupConfiguration",
      ),
    ],
    source:
      "https://github.com/kubernetes-sigs/aws-load-balancer-controller/tree/v3.5.0/helm/aws-load-balancer-controller/crds",
    upgrade: { via: "vendored", file: "aws-load-balancer-controller/crds-3.5.0.json" },
  },
  release: "aws-load-balancer-controller",
  values: albControllerValues,
  skipCrds: true,
} satisfies AddonChartSpec<AwsLoadBalancerControllerSettings>;

/** LB Services and Ingresses wait for it (`loadBalancerReady`), so destroy deletes them first. */
export const awsLoadBalancerController: AddonSpec<AwsLoadBalancerControllerSettings> = {
  component: "AwsLoadBalancerController",
  // The deployed logical name: a change needs a row in components/renames.ts.
  suffix: "alb-controller",
  summary: "AWS Load Balancer Controller: NLBs for LoadBalancer Services, ALBs for Ingresses.",
  namespace: { name: ALB_CONTROLLER.namespace },
  defaults: {},
  installAfter: { prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs" },
  // The vendored CRDs go first (Helm never upgrades crds/:
  // https://helm.sh/docs/chart_best_practices/custom_resource_definitions/), versioned as the copy:
  // a bump without a new copy fails the rehearsal's `helm-crds-upgraded` rule.
  prepare: ({ name, k8s: k8sOpts }) => ({
    dependsOn: vendoredCrdPatches(crds, {
      chart: albChart.pin.chart,
      version: albChart.crds.checkedAt,
    }).map(
      (crd) =>
        new k8s.apiextensions.v1.CustomResourceDefinitionPatch(
          `${name}-${crd.name}`,
          { metadata: crd.metadata, spec: crd.spec },
          // Sole manager of the CRD's required fields (every stack but one Helm co-owns), the
          // provider refuses to delete it: "this Patch resource is currently managing a required
          // field" (pulumi-kubernetes provider/pkg/provider/provider.go, Delete). The CRDs and the
          // TargetGroupBindings behind every NLB stay in the cluster either way.
          { ...k8sOpts, retainOnDelete: true },
        ),
    ),
  }),
  role: {
    serviceAccount: ALB_CONTROLLER.serviceAccount,
    roleSuffix: "aws-load-balancer-controller",
    policy: (ctx, r) => albControllerPolicy({ ...ctx, accountId: r.accountId, vpcId: r.vpcId }),
  },
  chart: albChart,
  finish: (_scope, { released }) => ({ loadBalancerReady: released }),
};
