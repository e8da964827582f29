/**
 * What runs in a stack, for the isolation matrix: EBS volumes and snapshots, log groups, node
 * group and Karpenter instances, launch templates, Auto Scaling groups, S3 objects.
 */
import { get, list, parseJson, str } from "../values";
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
 * One volume and one snapshot made by the EBS CSI driver, tagged as the driver tags them
 * (kubernetes-sigs/aws-ebs-csi-driver docs/tagging.md): `ebs.csi.aws.com/cluster: true` always,
 * `CSIVolumeName` / `CSIVolumeSnapshotName`, the `kubernetes.io/created-for/*` keys (chart
 * `extraCreateMetadata`, on by default), and, only when the add-on sets `controller.k8sTagClusterId`,
 * `KubernetesCluster`, `kubernetes.io/cluster/<id>: owned` and `ebs.csi.aws.com/cluster-name: <id>`
 * (pkg/driver/controller.go). The id is read from the add-on's configurationValues in the synth.
 */
function ebsResources(s: CoexistStack, w: Where): ClusterResource[] {
  const addon = ofType(s.synth, "aws:eks/addon:Addon").find(
    (r) => r.inputs.addonName === "aws-ebs-csi-driver",
  );
  if (!addon) return [];
  const id = str(get(parseJson(addon.inputs.configurationValues), "controller", "k8sTagClusterId"));
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
      context: {},
    },
    {
      kind: "snapshot",
      label: `snapshot of claim ${claim}`,
      // Snapshot ARNs carry no account (Service Authorization Reference, Amazon EC2 resource types).
      arn: ec2(`snapshot/snap-${hex(`${w.stack}/snap`, 17)}`, ""),
      tags: {
        CSIVolumeSnapshotName: `snapcontent-${hex(`${w.stack}/snapcontent`, 8)}`,
        "ebs.csi.aws.com/cluster": "true",
        ...clusterTags,
      },
      context: {},
    },
  ];
}

/** The log groups the stack creates or Fluent Bit writes to (one stream in each). */
function logGroupResources(s: CoexistStack, w: Where): ClusterResource[] {
  const names = [...new Set(logGroupsOf(s.synth).map((g) => g.name))];
  return names.map((name) => ({
    kind: "log group",
    label: `log group ${name}`,
    arn: `arn:${w.partition}:logs:${w.region}:${w.account}:log-group:${name}:log-stream:isolation-probe`,
    tags: {},
    context: {},
  }));
}

/**
 * Node group instances and launch templates. EKS tags a managed node group's instances
 * `eks:cluster-name` (the AmazonEBSCSIDriverEKSClusterScopedPolicy reference: "set automatically
 * by EKS on managed node groups") and `eks:nodegroup-name`, besides the launch template's instance
 * tags (synth `tagSpecifications`). Karpenter tags what it launches as its own policy requires on
 * create (karpenter-provider-aws getting-started cloudformation.yaml,
 * AllowScopedEC2InstanceActionsWithTags): `kubernetes.io/cluster/<cluster>: owned`,
 * `eks:eks-cluster-name`, `karpenter.sh/nodepool`; present only in a stack that runs Karpenter.
 */
function computeResources(s: CoexistStack, w: Where): ClusterResource[] {
  const ec2 = (r: string) => `arn:${w.partition}:ec2:${w.region}:${w.account}:${r}`;
  const templates = ofType(s.synth, "aws:ec2/launchTemplate:LaunchTemplate");
  const instanceTags = (name: string) => {
    const lt = templates.find((t) => t.inputs.name === name);
    const spec = list(lt?.inputs.tagSpecifications).find(
      (t) => get(t, "resourceType") === "instance",
    );
    return stringMap(get(spec, "tags"));
  };
  const out: ClusterResource[] = nodeGroupNamesOf(s.synth).flatMap((ng) => [
    {
      kind: "instance (node group)" as const,
      label: `instance of node group ${ng}`,
      arn: ec2(`instance/i-${hex(`${w.stack}/${ng}/i`, 17)}`),
      tags: { ...instanceTags(ng), "eks:cluster-name": w.cluster, "eks:nodegroup-name": ng },
      context: {},
    },
    {
      kind: "node group" as const,
      label: `Auto Scaling group of node group ${ng}`,
      arn: `arn:${w.partition}:autoscaling:${w.region}:${w.account}:autoScalingGroup:${hex(`${w.stack}/${ng}`, 8)}-0000-0000-0000-000000000000:autoScalingGroupName/eks-${ng}`,
      tags: managedNodeGroupAsgTags(w.cluster, ng),
      context: {},
    },
  ]);
  for (const t of templates) {
    out.push({
      kind: "launch template",
      label: `launch template ${str(t.inputs.name) ?? t.name}`,
      arn: ec2(`launch-template/lt-${hex(`${w.stack}/${t.name}`, 17)}`),
      tags: stringMap(t.inputs.tags),
      context: {},
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
        context: {},
      },
      {
        kind: "launch template (Karpenter)",
        label: "launch template of EC2NodeClass default",
        arn: ec2(`launch-template/lt-${hex(`${w.stack}/karpenter/lt`, 17)}`),
        tags,
        context: {},
      },
    );
  }
  return out;
}

/** An object in each S3 bucket the stack creates (Velero's backups, say). */
function bucketResources(s: CoexistStack, w: Where): ClusterResource[] {
  return ofType(s.synth, "aws:s3/bucket:Bucket").flatMap((b) => {
    const bucket = str(b.inputs.bucket);
    if (!bucket) return [];
    return [
      {
        kind: "bucket object" as const,
        label: `object in bucket ${bucket}`,
        arn: `arn:${w.partition}:s3:::${bucket}/backups/isolation-probe`,
        tags: {},
        context: {},
      },
    ];
  });
}

/** Whether the stack runs Karpenter: it has the controller's role. */
export const runsKarpenter = (s: CoexistStack): boolean =>
  ofType(s.synth, "aws:iam/role:Role").some(
    (r) => r.inputs.name === `${clusterNameOf(s.synth)}-karpenter`,
  );

/** Every workload-side resource of the stack the matrix probes. */
export const workloadResources = (s: CoexistStack, w: Where): ClusterResource[] => [
  ...ebsResources(s, w),
  ...logGroupResources(s, w),
  ...computeResources(s, w),
  ...bucketResources(s, w),
];
