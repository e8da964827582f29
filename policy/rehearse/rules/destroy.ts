import type { SynthRecord } from "../../../synth/record";
import { ResourceGraph } from "../graph";
import { recordKey } from "../../../synth/record";
import type { Finding, Rule } from "../types";

export const destroyProtectedFirst: Rule = {
  id: "destroy-protected-first",
  phase: "destroy",
  title: "a protected resource cannot be deleted until its protection is lifted and applied",
  source: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
  smokeCheck: "pulumi-destroy-succeeds",
  check(input) {
    return input.head
      .filter((r) => r.protect)
      .map((r) => ({
        rule: this.id,
        subject: recordKey(r),
        message:
          "is protected: set eks-blueprint:protect to false and run pulumi up (which also lifts EKS deletion protection) before pulumi destroy",
      }));
  },
};

const release = (chart: string) => (r: SynthRecord) =>
  r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart;
const eksAddon = (name: string) => (r: SynthRecord) =>
  r.type === "aws:eks/addon:Addon" && r.inputs.addonName === name;
const ofTypes =
  (...types: string[]) =>
  (r: SynthRecord) =>
    types.includes(r.type);

/**
 * Controllers that create AWS resources for Kubernetes objects, and the objects that make them
 * create something. On a destroy the object must go first, while its controller still runs to
 * delete what it made; otherwise the load balancer, volume, record or instance is orphaned and
 * the VPC (or zone) deletion fails on it. Pulumi deletes a resource before what it waits for, so
 * "object waits for controller" is the order that makes this right.
 */
export const CONTROLLED: readonly {
  controller: string;
  isController: (r: SynthRecord) => boolean;
  isObject: (r: SynthRecord) => boolean;
  creates: string;
  source: string;
}[] = [
  {
    controller: "the AWS Load Balancer Controller",
    isController: release("aws-load-balancer-controller"),
    isObject: release("gateway"),
    creates: "the gateway's Network Load Balancer and its security groups",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/delete-cluster.html",
  },
  {
    controller: "ExternalDNS",
    isController: release("external-dns"),
    isObject: release("gateway"),
    creates: "the gateway's Route 53 records and their TXT ownership records",
    source: "https://kubernetes-sigs.github.io/external-dns/latest/docs/proposal/registry/",
  },
  {
    controller: "the EBS CSI driver",
    isController: eksAddon("aws-ebs-csi-driver"),
    isObject: release("kube-prometheus-stack"),
    creates: "the EBS volumes of its PersistentVolumeClaims",
    source: "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#delete",
  },
  {
    controller: "Karpenter",
    isController: release("oci://public.ecr.aws/karpenter/karpenter"),
    isObject: ofTypes("kubernetes:karpenter.sh/v1:NodePool"),
    creates: "the EC2 instances of its NodePools",
    source:
      "https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/#delete-the-cluster",
  },
];

export const controllersOutliveTheirObjects: Rule = {
  id: "controllers-outlive-their-objects",
  phase: "destroy",
  title: "objects are deleted while the controller that made their AWS resources still runs",
  source: CONTROLLED.map((c) => c.source).join("; "),
  smokeCheck: "pulumi-destroy-succeeds",
  check(input) {
    const graph = new ResourceGraph(input.head);
    const findings: Finding[] = [];
    for (const c of CONTROLLED) {
      const controllers = input.head.filter(c.isController).map(recordKey);
      for (const object of input.head.filter(c.isObject)) {
        for (const controller of controllers.filter((k) => !graph.waitsFor(recordKey(object), k))) {
          findings.push({
            rule: this.id,
            subject: recordKey(object),
            message: `does not wait for ${controller}, so a destroy can remove ${c.controller} first and orphan ${c.creates}; make it wait for the controller`,
          });
        }
      }
    }
    return findings;
  },
};

export const volumeReclaimPolicyStated: Rule = {
  id: "volume-reclaim-policy-stated",
  phase: "destroy",
  title: "every StorageClass states what happens to its volumes when their claims go",
  source: "https://kubernetes.io/docs/concepts/storage/storage-classes/#reclaim-policy",
  smokeCheck: "pvc-binds",
  check(input) {
    return input.head
      .filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")
      .filter((r) => r.inputs.reclaimPolicy !== "Delete" && r.inputs.reclaimPolicy !== "Retain")
      .map((r) => ({
        rule: this.id,
        subject: recordKey(r),
        message:
          "has no reclaimPolicy: say Delete (volumes go with the cluster) or Retain (they stay, and cost)",
      }));
  },
};

/** One line per StorageClass: what a destroy does to the volumes it provisioned. */
export function volumeFates(records: readonly SynthRecord[]): string[] {
  return records
    .filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")
    .map((r) => {
      const name = (r.inputs.metadata as { name?: string } | undefined)?.name ?? r.name;
      return r.inputs.reclaimPolicy === "Retain"
        ? `StorageClass ${name}: reclaimPolicy Retain, its EBS volumes stay after the destroy (delete them by hand once backed up)`
        : `StorageClass ${name}: reclaimPolicy ${String(r.inputs.reclaimPolicy ?? "Delete (default)")}, its volumes are deleted with their claims: back up first`;
    });
}

export const destroyRules: Rule[] = [
  destroyProtectedFirst,
  controllersOutliveTheirObjects,
  volumeReclaimPolicyStated,
];
