import type { SynthRecord } from "../../../synth/record";
import { ResourceGraph } from "../graph";
import { isEksAddon, isRelease } from "../../shapes";
import { kubeMeta, recordKey } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

/**
 * Objects whose controllers create AWS resources must be deleted first, while the controller runs,
 * or what it made is orphaned and the VPC (or zone) deletion fails on it: they wait for it.
 */
export const CONTROLLED = [
  {
    controller: "the AWS Load Balancer Controller",
    isController: isRelease("aws-load-balancer-controller"),
    isObject: isRelease("gateway"),
    creates: "the gateway's Network Load Balancer and its security groups",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/delete-cluster.html",
  },
  {
    controller: "ExternalDNS",
    isController: isRelease("external-dns"),
    isObject: isRelease("gateway"),
    creates: "the gateway's Route 53 records and their TXT ownership records",
    source: "https://kubernetes-sigs.github.io/external-dns/latest/docs/proposal/registry/",
  },
  {
    controller: "the EBS CSI driver",
    isController: isEksAddon("aws-ebs-csi-driver"),
    isObject: isRelease("kube-prometheus-stack"),
    creates: "the EBS volumes of its PersistentVolumeClaims",
    source: "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#delete",
  },
  {
    controller: "Karpenter",
    isController: isRelease("oci://public.ecr.aws/karpenter/karpenter"),
    isObject: (r: SynthRecord) => r.type === "kubernetes:karpenter.sh/v1:NodePool",
    creates: "the EC2 instances of its NodePools",
    source:
      "https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/#delete-the-cluster",
  },
];

export const destroyRules: Rule[] = [
  defineRule({
    id: "destroy-protected-first",
    phase: "destroy",
    title: "a protected resource cannot be deleted until its protection is lifted and applied",
    source: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
    smokeCheck: "pulumi-destroy-succeeds",
    check({ head }) {
      const message =
        "is protected: set eks-blueprint:protect to false and run pulumi up (which also lifts EKS deletion protection) before pulumi destroy";
      return head.filter((r) => r.protect).map((r) => ({ subject: recordKey(r), message }));
    },
  }),
  defineRule({
    id: "controllers-outlive-their-objects",
    phase: "destroy",
    title: "objects are deleted while the controller that made their AWS resources still runs",
    source: CONTROLLED.map((c) => c.source).join("; "),
    smokeCheck: "pulumi-destroy-succeeds",
    check({ head }) {
      const graph = new ResourceGraph(head);
      return CONTROLLED.flatMap((c) => {
        const controllers = head.filter(c.isController).map(recordKey);
        return head.filter(c.isObject).flatMap((object) =>
          controllers
            .filter((k) => !graph.waitsFor(recordKey(object), k))
            .map((controller) => ({
              subject: recordKey(object),
              message: `does not wait for ${controller}, so a destroy can remove ${c.controller} first and orphan ${c.creates}; make it wait for the controller`,
            })),
        );
      });
    },
  }),
  defineRule({
    id: "volume-reclaim-policy-stated",
    phase: "destroy",
    title: "every StorageClass states what happens to its volumes when their claims go",
    source: "https://kubernetes.io/docs/concepts/storage/storage-classes/#reclaim-policy",
    smokeCheck: "pvc-binds",
    check({ head }) {
      const message =
        "has no reclaimPolicy: say Delete (volumes go with the cluster) or Retain (they stay, and cost)";
      return head
        .filter((r) => r.type === STORAGE_CLASS)
        .filter((r) => r.inputs.reclaimPolicy !== "Delete" && r.inputs.reclaimPolicy !== "Retain")
        .map((r) => ({ subject: recordKey(r), message }));
    },
  }),
];

/** What a destroy does to each StorageClass's volumes. */
export function volumeFates(records: readonly SynthRecord[]): string[] {
  return records
    .filter((r) => r.type === STORAGE_CLASS)
    .map((r) => {
      const name = kubeMeta(r).name ?? r.name;
      return r.inputs.reclaimPolicy === "Retain"
        ? `StorageClass ${name}: reclaimPolicy Retain, its EBS volumes stay after the destroy (delete them by hand once backed up)`
        : `StorageClass ${name}: reclaimPolicy ${String(r.inputs.reclaimPolicy ?? "Delete (default)")}, its volumes are deleted with their claims: back up first`;
    });
}
