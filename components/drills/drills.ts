// Fault drills with AWS FIS, confined to one cluster: its nodes in one zone, its gateway's pods.
// FIS rather than Chaos Mesh: the drills that matter before a cut-over are the AWS ones (a zone's
// instances gone), which only FIS can inject; FIS needs nothing installed in the cluster, its
// role is IAM the isolation matrix judges like every other, and its runs stop on CloudWatch alarms.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { permittedRole } from "../access/irsa";
import { serviceTrustPolicy } from "../cluster/cluster-settings";
import { allow, policyDocument, type PolicyDocument, stableJson } from "../access/irsa-policy";
import { problemList, throwProblems } from "../problems";

/**
 * The experiment inside the cluster: its access entry's username, and the service account
 * `aws:eks:pod-delete` runs under, with their Role and RoleBinding, in the gateway's namespace.
 */
export const FIS_NAME = "fis-experiment";

export interface DrillsSettings {
  /** The availability zone whose instances the zone drill terminates, for example us-west-2a. */
  zone: string;
}

export interface DrillsArgs extends DrillsSettings {
  /** EKS cluster name; the role, alarm and templates are named after it. */
  clusterName: string;
  /** The cluster's name as an output (`Cluster.clusterNameOutput`). */
  cluster: pulumi.Input<string>;
  /** AWS partition. */
  partition: string;
  /** AWS region of the cluster. */
  region: string;
  /** The account that owns the cluster (the role trusts FIS from it only). */
  accountId: pulumi.Input<string>;
  /** The gateway the pod drill and the alarm are about. */
  gateway: {
    /** Its namespace, from the Namespace resource (the RBAC objects are created in it). */
    namespace: pulumi.Input<string>;
    /** Its pods' `app` label value. */
    app: string;
    /** Its LoadBalancer Service's name. */
    service: string;
    /** Its NLB's DNS name. */
    hostname: pulumi.Input<string>;
  };
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** Tags for every AWS resource. @default none */
  tags?: Record<string, string>;
}

const ZONE = /^([a-z]{2}(-gov)?-[a-z]+-\d)[a-z]$/;

/** The zone must be one of the cluster's region (`regionKey`: how the caller names the region). */
export function drillsProblems(
  s: DrillsSettings,
  region: string,
  key = "zone",
  regionKey = "region",
): string[] {
  const [out, add] = problemList();
  const zone = ZONE.exec(String(s.zone));
  if (!zone || zone[1] !== region) {
    add(key, `not a zone of ${regionKey} ${region}`, s.zone, `use one such as ${region}a`);
  }
  return out;
}

/**
 * The experiment role's permissions: terminate this cluster's instances (EKS tags them
 * `eks:cluster-name`), find targets, and read this cluster for `aws:eks:pod-delete`
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html).
 */
export function drillsPolicy(i: {
  partition: string;
  region: string;
  accountId: string;
  clusterName: string;
}): PolicyDocument {
  return policyDocument(
    allow(
      "TerminateOwnClusterInstances",
      ["ec2:TerminateInstances"],
      `arn:${i.partition}:ec2:${i.region}:${i.accountId}:instance/*`,
      { StringEquals: { "aws:ResourceTag/eks:cluster-name": i.clusterName } },
    ),
    allow("FindTargets", ["ec2:DescribeInstances"], "*"),
    allow(
      "ReadOwnCluster",
      ["eks:DescribeCluster"],
      `arn:${i.partition}:eks:${i.region}:${i.accountId}:cluster/${i.clusterName}`,
    ),
  );
}

/**
 * RBAC for the experiment user and its service account in the gateway's namespace only, as the
 * FIS guide's "Configure the Kubernetes service account" lists it (eks-pod-actions.html).
 */
const FIS_POD_RULES = [
  { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] },
  {
    apiGroups: [""],
    resources: ["pods"],
    verbs: ["create", "list", "get", "delete", "deletecollection"],
  },
  { apiGroups: [""], resources: ["pods/ephemeralcontainers"], verbs: ["update"] },
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
];

/** An NLB's name from its DNS name (`<name>-<id>.elb.<region>.amazonaws.com`). */
export const loadBalancerNameOf = (hostname: string): string =>
  hostname.split(".")[0].replace(/-[0-9a-f]+$/, "");

/** Two FIS experiment templates per cluster, stopped by an alarm on the gateway's healthy hosts. */
export class Drills extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly alarm: aws.cloudwatch.MetricAlarm;
  readonly templates: Record<"zone" | "gateway", aws.fis.ExperimentTemplate>;

  constructor(name: string, args: DrillsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("Drills", name, drillsProblems(args, args.region));
    super("eks-blueprint:index:Drills", name, {}, opts);
    const child = { parent: this };
    const c = args.clusterName;
    const account = pulumi.output(args.accountId);
    const trust = account.apply((accountId) =>
      stableJson(
        serviceTrustPolicy("fis.amazonaws.com", {
          StringEquals: { "aws:SourceAccount": accountId },
        }),
      ),
    );
    const policy = account.apply((accountId) => stableJson(drillsPolicy({ ...args, accountId })));
    this.role = permittedRole(
      `${name}-fis`,
      trust,
      { roleName: `${c}-fis`, policy, tags: args.tags },
      this,
    ).role;
    const entry = new aws.eks.AccessEntry(
      `${name}-fis`,
      {
        clusterName: args.cluster,
        principalArn: this.role.arn,
        type: "STANDARD",
        userName: FIS_NAME,
        tags: args.tags,
      },
      child,
    );
    const k8sOpts = { ...child, provider: args.provider };
    const ns = args.gateway.namespace;
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-fis`,
      { metadata: { name: FIS_NAME, namespace: ns } },
      k8sOpts,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-fis`,
      { metadata: { name: FIS_NAME, namespace: ns }, rules: FIS_POD_RULES },
      k8sOpts,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-fis`,
      {
        metadata: { name: FIS_NAME, namespace: ns },
        subjects: [
          { kind: "ServiceAccount", name: FIS_NAME, namespace: ns },
          { kind: "User", name: FIS_NAME, apiGroup: "rbac.authorization.k8s.io" },
        ],
        roleRef: { kind: "Role", name: FIS_NAME, apiGroup: "rbac.authorization.k8s.io" },
      },
      { ...k8sOpts, dependsOn: [role, serviceAccount] },
    );

    // The controller's target group of the gateway's 443 port (its tags: pkg/deploy/tracking).
    const lb = aws.lb.getLoadBalancerOutput(
      { name: pulumi.output(args.gateway.hostname).apply(loadBalancerNameOf) },
      child,
    );
    const stack = pulumi.interpolate`${ns}/${args.gateway.service}`;
    const tg = aws.lb.getTargetGroupOutput(
      {
        tags: {
          "elbv2.k8s.aws/cluster": c,
          "service.k8s.aws/stack": stack,
          "service.k8s.aws/resource": pulumi.interpolate`${stack}:443`,
        },
      },
      child,
    );
    this.alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-gateway-healthy-hosts`,
      {
        name: `${c}-gateway-healthy-hosts`,
        alarmDescription: `No healthy gateway target behind ${c}'s NLB: stops its drills.`,
        namespace: "AWS/NetworkELB",
        metricName: "HealthyHostCount",
        dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
        tags: args.tags,
      },
      child,
    );
    const common = {
      roleArn: this.role.arn,
      stopConditions: [{ source: "aws:cloudwatch:alarm", value: this.alarm.arn }],
    };
    this.templates = {
      zone: new aws.fis.ExperimentTemplate(
        `${name}-zone`,
        {
          ...common,
          description: `${c}: terminate its nodes in ${args.zone}`,
          targets: [
            {
              name: "ZoneNodes",
              resourceType: "aws:ec2:instance",
              selectionMode: "ALL",
              resourceTags: [{ key: "eks:cluster-name", value: c }],
              // aws:eks:terminate-nodegroup-instances has no zone filter; instances do.
              filters: [
                { path: "Placement.AvailabilityZone", values: [args.zone] },
                { path: "State.Name", values: ["running"] },
              ],
            },
          ],
          actions: [
            {
              name: "terminate",
              actionId: "aws:ec2:terminate-instances",
              target: { key: "Instances", value: "ZoneNodes" },
            },
          ],
          tags: { ...args.tags, Name: `${c}-zone-${args.zone}` },
        },
        child,
      ),
      gateway: new aws.fis.ExperimentTemplate(
        `${name}-gateway`,
        {
          ...common,
          description: `${c}: delete half of its gateway's pods`,
          targets: [
            {
              name: "GatewayPods",
              resourceType: "aws:eks:pod",
              selectionMode: "PERCENT(50)",
              parameters: {
                clusterIdentifier: pulumi.interpolate`arn:${args.partition}:eks:${args.region}:${args.accountId}:cluster/${c}`,
                namespace: ns,
                selectorType: "labelSelector",
                selectorValue: `app=${args.gateway.app}`,
              },
            },
          ],
          actions: [
            {
              name: "delete-pods",
              actionId: "aws:eks:pod-delete",
              target: { key: "Pods", value: "GatewayPods" },
              parameters: [{ key: "kubernetesServiceAccount", value: FIS_NAME }],
            },
          ],
          tags: { ...args.tags, Name: `${c}-gateway-pods` },
        },
        { ...child, dependsOn: [entry, binding] },
      ),
    };
    this.registerOutputs({});
  }
}
