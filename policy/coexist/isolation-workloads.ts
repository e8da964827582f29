// The matrix's workload resources: EBS, log groups, instances, launch templates, ASGs, S3.
import { isEksAddon } from "../shapes";
import { isObj, list, type Obj, parseJson, str } from "../values";
import { valueAt } from "../../components/addons/values";
import { ClusterResource, hex, stringMap, Where } from "./isolation-resources";
import {
  CHART,
  clusterNameOf,
  CoexistStack,
  logGroupsOf,
  managedNodeGroupAsgTags,
  nodeGroupNamesOf,
  ofType,
  releases,
} from "./records";

/**
 * A volume and a snapshot tagged as the EBS CSI driver does (kubernetes-sigs/aws-ebs-csi-driver
 * docs/tagging.md; cluster tags only with `controller.k8sTagClusterId`, pkg/driver/controller.go).
 */
function ebsResources(s: CoexistStack, w: Where): ClusterResource[] {
  const addon = s.synth.resources.find(isEksAddon("aws-ebs-csi-driver"));
  if (!addon) return [];
  const id = str(
    valueAt(parseJson(addon.inputs.configurationValues), "controller", "k8sTagClusterId"),
  );
  const clusterTags: Record<string, string> = id
    ? {
        KubernetesCluster: id,
        [`kubernetes.io/cluster/${id}`]: "owned",
        "ebs.csi.aws.com/cluster-name": id,
      }
    : {};
  const prometheus = releases(s.synth, CHART.prometheus)[0];
  const claim = prometheus ? "prometheus-db" : "data";
  const namespace = (prometheus && str(prometheus.inputs.namespace)) || "default";
  const pv = `pvc-${hex(`${w.stack}/pv`, 8)}-${hex(`${w.stack}/pv2`, 4)}`;
  const ec2 = (r: string, account = w.account) =>
    `arn:${w.partition}:ec2:${w.region}:${account}:${r}`;
  return [
    {
      kind: "volume",
      label: `volume of claim ${claim}`,
      arn: ec2(`volume/vol-${hex(`${w.stack}/vol`, 17)}`),
      tags: {
        CSIVolumeName: pv,
        "ebs.csi.aws.com/cluster": "true",
        "kubernetes.io/created-for/pvc/name": claim,
        "kubernetes.io/created-for/pvc/namespace": namespace,
        "kubernetes.io/created-for/pv/name": pv,
        ...clusterTags,
      },
    },
    {
      kind: "snapshot",
      label: `snapshot of claim ${claim}`,
      // Snapshot ARNs carry no account (Service Authorization Reference, EC2 resource types).
      arn: ec2(`snapshot/snap-${hex(`${w.stack}/snap`, 17)}`, ""),
      tags: {
        CSIVolumeSnapshotName: `snapcontent-${hex(`${w.stack}/snapcontent`, 8)}`,
        "ebs.csi.aws.com/cluster": "true",
        ...clusterTags,
      },
    },
  ];
}

/** One stream in each log group the stack creates or Fluent Bit writes to. */
function logGroupResources(s: CoexistStack, w: Where): ClusterResource[] {
  const names = [...new Set(logGroupsOf(s.synth).map((g) => g.name))];
  return names.map((name) => ({
    kind: "log group",
    label: `log group ${name}`,
    arn: `arn:${w.partition}:logs:${w.region}:${w.account}:log-group:${name}:log-stream:isolation-probe`,
  }));
}

/**
 * Instances and launch templates. EKS adds `eks:cluster-name` (the
 * AmazonEBSCSIDriverEKSClusterScopedPolicy reference) and `eks:nodegroup-name`; Karpenter tags as
 * its policy requires (karpenter-provider-aws getting-started cloudformation.yaml).
 */
function computeResources(s: CoexistStack, w: Where): ClusterResource[] {
  const ec2 = (r: string) => `arn:${w.partition}:ec2:${w.region}:${w.account}:${r}`;
  const templates = ofType(s.synth, "aws:ec2/launchTemplate:LaunchTemplate");
  const instanceTags = (name: string) => {
    const lt = templates.find((t) => t.inputs.name === name);
    const spec = list(lt?.inputs.tagSpecifications).find(
      (t) => valueAt(t, "resourceType") === "instance",
    );
    return stringMap(valueAt(spec, "tags"));
  };
  const out: ClusterResource[] = nodeGroupNamesOf(s.synth).flatMap((ng) => [
    {
      kind: "instance (node group)" as const,
      label: `instance of node group ${ng}`,
      arn: ec2(`instance/i-${hex(`${w.stack}/${ng}/i`, 17)}`),
      tags: { ...instanceTags(ng), "eks:cluster-name": w.cluster, "eks:nodegroup-name": ng },
    },
    {
      kind: "node group" as const,
      label: `Auto Scaling group of node group ${ng}`,
      arn: `arn:${w.partition}:autoscaling:${w.region}:${w.account}:autoScalingGroup:${hex(`${w.stack}/${ng}`, 8)}-0000-0000-0000-000000000000:autoScalingGroupName/eks-${ng}`,
      tags: managedNodeGroupAsgTags(w.cluster, ng),
    },
  ]);
  for (const t of templates) {
    out.push({
      kind: "launch template",
      label: `launch template ${str(t.inputs.name) ?? t.name}`,
      arn: ec2(`launch-template/lt-${hex(`${w.stack}/${t.name}`, 17)}`),
      tags: stringMap(t.inputs.tags),
    });
  }
  if (runsKarpenter(s)) {
    const tags = {
      [`kubernetes.io/cluster/${w.cluster}`]: "owned",
      "eks:eks-cluster-name": w.cluster,
      "karpenter.sh/nodepool": "general",
      "karpenter.k8s.aws/ec2nodeclass": "default",
    };
    out.push(
      {
        kind: "instance (Karpenter)",
        label: "instance of NodePool general",
        arn: ec2(`instance/i-${hex(`${w.stack}/karpenter/i`, 17)}`),
        tags: { ...tags, "karpenter.sh/nodeclaim": "general-abcde" },
      },
      {
        kind: "launch template (Karpenter)",
        label: "launch template of EC2NodeClass default",
        arn: ec2(`launch-template/lt-${hex(`${w.stack}/karpenter/lt`, 17)}`),
        tags,
      },
    );
  }
  return out;
}

/** Each S3 bucket the stack creates, and an object in it. */
function bucketResources(s: CoexistStack, w: Where): ClusterResource[] {
  return ofType(s.synth, "aws:s3/bucket:Bucket").flatMap((b): ClusterResource[] => {
    const bucket = str(b.inputs.bucket);
    if (!bucket) return [];
    const arn = `arn:${w.partition}:s3:::${bucket}`;
    // S3 sets the owning account on every request (s3:ResourceAccount).
    const context = { "s3:ResourceAccount": w.account };
    return [
      {
        kind: "bucket object",
        label: `object in bucket ${bucket}`,
        arn: `${arn}/backups/probe`,
        context,
      },
      { kind: "bucket", label: `bucket ${bucket}`, arn, context },
    ];
  });
}

/**
 * What the cluster keeps outside Kubernetes: a parameter and a secret under its prefix (the
 * cluster name, External Secrets' default), its secrets key with its key policy, the cluster.
 */
function clusterSecrets(s: CoexistStack, w: Where): ClusterResource[] {
  const at = (service: string, r: string) =>
    `arn:${w.partition}:${service}:${w.region}:${w.account}:${r}`;
  const keys = ofType(s.synth, "aws:kms/key:Key").map((k): ClusterResource => ({
    kind: "kms key",
    label: `key ${str(k.inputs.description) ?? k.name}`,
    arn: at("kms", `key/${hex(`${w.stack}/${k.name}`, 8)}-0000-0000-0000-000000000000`),
    tags: stringMap(k.inputs.tags),
    policy: isObj(parseJson(k.inputs.policy)) ? (parseJson(k.inputs.policy) as Obj) : undefined,
  }));
  return [
    {
      kind: "parameter",
      label: `parameter /${w.cluster}/app/db`,
      arn: at("ssm", `parameter/${w.cluster}/app/db`),
    },
    {
      kind: "secret",
      label: `secret ${w.cluster}/app/db`,
      arn: at("secretsmanager", `secret:${w.cluster}/app/db-${hex(`${w.stack}/secret`, 6)}`),
    },
    ...keys,
    { kind: "cluster", label: `cluster ${w.cluster}`, arn: at("eks", `cluster/${w.cluster}`) },
    // Its roles: passing one to an instance, or rewriting its policies or trust, takes them over.
    ...ofType(s.synth, "aws:iam/role:Role").map((r): ClusterResource => ({
      kind: "role",
      label: `role ${str(r.inputs.name) ?? r.name}`,
      arn: `arn:${w.partition}:iam::${w.account}:role/${str(r.inputs.name) ?? r.name}`,
      tags: stringMap(r.inputs.tags),
    })),
  ];
}

/** It has the Karpenter controller's role. */
export const runsKarpenter = (s: CoexistStack): boolean =>
  ofType(s.synth, "aws:iam/role:Role").some(
    (r) => r.inputs.name === `${clusterNameOf(s.synth)}-karpenter`,
  );

export const workloadResources = (s: CoexistStack, w: Where): ClusterResource[] => [
  ...ebsResources(s, w),
  ...logGroupResources(s, w),
  ...computeResources(s, w),
  ...bucketResources(s, w),
  ...clusterSecrets(s, w),
];
