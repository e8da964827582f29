import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonRole } from "./addon-role";
import { IrsaRole } from "../irsa";
import { irsaAnnotation, PolicyDocument, PolicyStatement, stableJson } from "../irsa-policy";
import { charts, pinnedReleaseArgs } from "./catalog";
import { chartCrds, CrdManifest, vendoredCrdPatches } from "./chart-crds";
import vendoredCrds from "./crds/aws-load-balancer-controller-3.5.0.json";
import type { AddonContext } from "./context";
import upstreamPolicy from "./policies/aws-load-balancer-controller.json";
import { mergeValues, requests, ValueLayers, Values } from "./values";

/** Where the controller runs: upstream's IRSA example uses exactly these. */
export const ALB_CONTROLLER = {
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
} as const;

export interface AlbControllerSettings {
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

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

export interface AwsLoadBalancerControllerArgs {
  /** The cluster the add-on goes on (names, region, OIDC provider, Kubernetes provider). */
  context: AddonContext;
  /** The add-on's settings; `{}` takes every default. */
  settings: AlbControllerSettings;
  /** Releases whose CRDs this one uses (the Prometheus operator's, for the ServiceMonitor). @default [] */
  dependsOn?: pulumi.Resource[];
  /** Create a ServiceMonitor. @default false */
  serviceMonitor?: boolean;
}

/**
 * The controller that turns Services and Ingresses into NLBs and ALBs. Every LoadBalancer Service
 * and Ingress must depend on `release`, so `pulumi destroy` removes them, and the controller
 * deletes their load balancers and ENIs, before the controller, its role and the nodes go.
 */
export class AwsLoadBalancerController extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;
  /** The chart's CRDs at its version (Helm installs `crds/` once and never upgrades it). */
  readonly crds: k8s.apiextensions.v1.CustomResourceDefinitionPatch[];

  constructor(
    name: string,
    args: AwsLoadBalancerControllerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("eks-blueprint:index:AwsLoadBalancerController", name, {}, opts);
    const ctx = args.context;
    this.role = addonRole(
      `${name}-irsa`,
      ctx,
      {
        ...ALB_CONTROLLER,
        roleSuffix: "aws-load-balancer-controller",
        policy: pulumi
          .all([ctx.accountId, ctx.vpcId])
          .apply(([accountId, vpcId]) =>
            stableJson(albControllerPolicy({ ...ctx, accountId, vpcId })),
          ),
      },
      this,
    );
    const values = pulumi
      .all([ctx.vpcId, this.role.roleArn])
      .apply(([vpcId, roleArn]) =>
        mergeValues(
          albControllerValues({ ...ctx, vpcId, roleArn, serviceMonitor: args.serviceMonitor }),
          args.settings.values,
        ),
      );
    // Helm never upgrades crds/ (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/),
    // so we apply the pinned version's copy (components/addons/chart-crds.ts, `chartCrds`) before
    // the controller, as upstream's README asks before each `helm upgrade`; the release skips them.
    // The version is the vendored copy's, not the pin's: a bump without a new copy then shows
    // in the annotation, and the rehearsal's `helm-crds-upgraded` rule refuses it.
    this.crds = vendoredCrdPatches(vendoredCrds as unknown as CrdManifest[], {
      chart: charts.awsLoadBalancerController.chart,
      version: chartCrds.awsLoadBalancerController.checkedAt,
    }).map(
      (crd) =>
        new k8s.apiextensions.v1.CustomResourceDefinitionPatch(
          `${name}-${crd.name}`,
          { metadata: crd.metadata, spec: crd.spec },
          { parent: this, provider: ctx.provider },
        ),
    );
    this.release = new k8s.helm.v3.Release(
      name,
      {
        ...pinnedReleaseArgs(charts.awsLoadBalancerController, {
          name: "aws-load-balancer-controller",
          namespace: ALB_CONTROLLER.namespace,
          values,
        }),
        skipCrds: true,
      },
      {
        parent: this,
        provider: ctx.provider,
        dependsOn: [this.role, ...this.crds, ...ctx.computeReady, ...(args.dependsOn ?? [])],
      },
    );
    this.registerOutputs({ roleArn: this.role.roleArn, release: this.release.status });
  }
}
