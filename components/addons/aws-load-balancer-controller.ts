import * as k8s from "@pulumi/kubernetes";
import { irsaAnnotation, PolicyDocument, PolicyStatement } from "../irsa-policy";
import { clusterKinds, CrdManifest, namespacedKinds, vendoredCrdPatches } from "./crds";
import vendoredCrds from "./crds/aws-load-balancer-controller-3.5.0.json";
import upstreamPolicy from "./policies/aws-load-balancer-controller.json";
import type { AddonSpec, CommonSettings } from "./spec";
import { requests, ValueLayers } from "./values";

/** Where the controller runs: upstream's IRSA example uses exactly these. */
export const ALB_CONTROLLER = {
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
} as const;

/** The controller takes no settings of its own. */
export type AwsLoadBalancerControllerSettings = CommonSettings;

export interface AlbControllerValuesInput {
  clusterName: string;
  region: string;
  vpcId: string;
  roleArn: string;
  /** Create a ServiceMonitor (needs the Prometheus operator's CRDs). @default false */
  serviceMonitor?: boolean;
}

/** Chart values for aws-load-balancer-controller (keys checked against its values.yaml). */
export function albControllerValues(i: AlbControllerValuesInput): ValueLayers {
  return {
    defaults: {
      replicaCount: 2,
      resources: requests("100m", "128Mi", "256Mi"),
      podDisruptionBudget: { maxUnavailable: 1 },
      // Off: with the webhook on, the controller claims every new LoadBalancer Service in the
      // cluster and sits in the admission path of each (failure policy Fail), so a controller
      // outage would block unrelated Service writes. Services opt in with the
      // `aws-load-balancer-type: external` annotation instead, as our Istio gateway does.
      enableServiceMutatorWebhook: false,
      serviceMonitor: { enabled: i.serviceMonitor ?? false },
    },
    owned: {
      clusterName: i.clusterName,
      // Explicit, so the controller never depends on reaching IMDS (hop limit 1 on our nodes).
      region: i.region,
      vpcId: i.vpcId,
      serviceAccount: {
        create: true,
        name: ALB_CONTROLLER.serviceAccount,
        annotations: irsaAnnotation(i.roleArn),
      },
    },
  };
}

export interface AlbControllerPolicyInput {
  partition: string;
  region: string;
  accountId: string;
  vpcId: string;
}

const sgIngressOnly = (s: PolicyStatement) =>
  !s.Condition &&
  Array.isArray(s.Action) &&
  s.Action.length === 2 &&
  s.Action.includes("ec2:AuthorizeSecurityGroupIngress") &&
  s.Action.includes("ec2:RevokeSecurityGroupIngress");

const inPartition = (resource: string | string[] | undefined, partition: string) =>
  Array.isArray(resource)
    ? resource.map((r) => r.replace(/^arn:aws:/, `arn:${partition}:`))
    : resource?.replace(/^arn:aws:/, `arn:${partition}:`);

/**
 * Upstream's policy for this chart version (catalog `albControllerIamPolicy`), every action and
 * tag condition kept. Two changes: ARNs move to the cluster's partition, and the one statement
 * that may open any security group is limited to our VPC, as the install guide suggests.
 */
export function albControllerPolicy(i: AlbControllerPolicyInput): PolicyDocument {
  const vpcArn = `arn:${i.partition}:ec2:${i.region}:${i.accountId}:vpc/${i.vpcId}`;
  return {
    Version: "2012-10-17",
    Statement: (upstreamPolicy as PolicyDocument).Statement.map((s) => ({
      ...s,
      Resource: inPartition(s.Resource, i.partition),
      ...(sgIngressOnly(s) ? { Condition: { ArnEquals: { "ec2:Vpc": vpcArn } } } : {}),
    })),
  };
}

/**
 * The controller that turns Services and Ingresses into NLBs and ALBs. Every LoadBalancer Service
 * and Ingress must depend on its release (`AddonBundle.loadBalancerReady`), so `pulumi destroy`
 * removes them, and the controller deletes their load balancers and ENIs, before the controller,
 * its role and the nodes go.
 */
export const awsLoadBalancerController: AddonSpec<AwsLoadBalancerControllerSettings> = {
  component: "AwsLoadBalancerController",
  // Its logical name from before the registry: kept, so the deployed controller is not renamed.
  suffix: "alb-controller",
  summary: "AWS Load Balancer Controller: NLBs for LoadBalancer Services, ALBs for Ingresses.",
  namespace: { name: ALB_CONTROLLER.namespace },
  defaults: {},
  installAfter: { prometheus: "its ServiceMonitor needs the Prometheus operator's CRDs" },
  // Helm never upgrades crds/ (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/),
  // so we apply the pinned version's copy (`chart.crds` below) before the controller, as
  // upstream's README asks before each `helm upgrade`; the release skips them.
  // The version is the vendored copy's, not the pin's: a bump without a new copy then shows
  // in the annotation, and the rehearsal's `helm-crds-upgraded` rule refuses it.
  prepare: ({ name, k8s: k8sOpts }) => ({
    dependsOn: vendoredCrdPatches(vendoredCrds as unknown as CrdManifest[], {
      chart: awsLoadBalancerController.chart!.pin.chart,
      version: awsLoadBalancerController.chart!.crds!.checkedAt,
    }).map(
      (crd) =>
        new k8s.apiextensions.v1.CustomResourceDefinitionPatch(
          `${name}-${crd.name}`,
          { metadata: crd.metadata, spec: crd.spec },
          k8sOpts(`${name}-${crd.name}`),
        ),
    ),
  }),
  role: {
    serviceAccount: ALB_CONTROLLER.serviceAccount,
    roleSuffix: "aws-load-balancer-controller",
    policy: (ctx, r) => albControllerPolicy({ ...ctx, accountId: r.accountId, vpcId: r.vpcId }),
  },
  chart: {
    // app v3.5.0; the IAM policy it needs is pinned in `albControllerIamPolicy` (catalog.ts).
    pin: {
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
      repo: "https://aws.github.io/eks-charts",
      source:
        "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/helm/aws-load-balancer-controller/Chart.yaml",
    },
    // crds/crds.yaml and crds/gateway-crds.yaml; upstream's own upgrade note is
    // `kubectl apply -k .../crds` before `helm upgrade` (chart README, "Upgrade").
    crds: {
      checkedAt: "3.5.0",
      delivery: "crds-dir",
      kinds: [
        ...namespacedKinds("aga.k8s.aws", "GlobalAccelerator"),
        ...namespacedKinds("elbv2.k8s.aws", "ALBTargetControlConfig", "TargetGroupBinding"),
        ...clusterKinds("elbv2.k8s.aws", "IngressClassParams"),
        ...namespacedKinds(
          "gateway.k8s.aws",
          "ListenerRuleConfiguration",
          "LoadBalancerConfiguration",
          "TargetGroupConfiguration",
        ),
      ],
      source:
        "https://github.com/kubernetes-sigs/aws-load-balancer-controller/tree/v3.5.0/helm/aws-load-balancer-controller/crds",
      upgrade: { via: "vendored", file: "crds/aws-load-balancer-controller-3.5.0.json" },
    },
    release: "aws-load-balancer-controller",
    values: ({ context, resolved, serviceMonitor }) =>
      albControllerValues({
        ...context,
        vpcId: resolved.vpcId,
        roleArn: resolved.roleArn,
        serviceMonitor,
      }),
    skipCrds: true,
  },
  finish: (_scope, { release }) => ({ loadBalancerReady: [release!] }),
};
