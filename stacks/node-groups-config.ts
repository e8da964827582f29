import { z } from "zod";
import { architectureOf, isInstanceTypeName } from "../components/instance-types";
import {
  DNS_LABEL,
  DNS_LABEL_HINT,
  EKS_NAMESPACES,
  kubernetesLabelMap,
  shortName,
  shortNameHint,
} from "./validators";

const instanceType = z.string().refine(isInstanceTypeName, {
  error:
    "not an EC2 instance type; use one EC2 offers, such as m7i.large or m7g.large (the list: @pulumi/aws ec2.InstanceType)",
});

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], {
    error: "not an EKS taint effect; use NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE",
  }),
});

const count = z.number().int({ error: "not a whole number; use an integer" }).min(0, {
  error: "negative size; use 0 or more",
});

export const nodeGroupSchema = z
  .strictObject({
    amiFamily: z
      .enum(["AL2023", "Bottlerocket"], { error: "unknown AMI family; use AL2023 or Bottlerocket" })
      .default("AL2023"),
    architecture: z
      .enum(["x86_64", "arm64"], { error: "unknown architecture; use x86_64 or arm64 (Graviton)" })
      .default("x86_64"),
    instanceTypes: z.array(instanceType).min(1, { error: "no instance types; list at least one" }),
    capacityType: z
      .enum(["ON_DEMAND", "SPOT"], { error: "unknown capacity type; use ON_DEMAND or SPOT" })
      .default("ON_DEMAND"),
    minSize: count,
    maxSize: count.min(1, { error: "maxSize below 1; a group must be able to hold a node" }),
    desiredSize: count.optional(),
    diskSizeGiB: z
      .number()
      .int()
      .min(20, { error: "disk too small; use 20 to 16384 GiB" })
      .max(16384, { error: "disk too large; use 20 to 16384 GiB" })
      .default(50),
    labels: kubernetesLabelMap.default({}),
    taints: z.array(taint).default([]),
    role: z
      .string()
      .regex(shortName, { error: `bad role; ${shortNameHint}` })
      .optional(),
    draining: z.boolean({ error: "not a boolean; use true or false" }).default(false),
  })
  .superRefine((g, ctx) => {
    const wrongArch = g.instanceTypes.filter((t) => architectureOf(t) !== g.architecture);
    if (wrongArch.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceTypes"],
        message:
          g.architecture === "arm64"
            ? "not all arm64 (Graviton) for an arm64 AMI; use Graviton types such as m7g.large or c7g.xlarge"
            : "not all x86_64 for an x86_64 AMI; use x86 types such as m7i.large, or set architecture: arm64 for Graviton",
      });
    }
    if (g.capacityType === "SPOT" && g.instanceTypes.length < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceTypes"],
        message:
          "spot capacity from a single instance type; list at least 2 types so one spot pool running dry does not stop the group",
      });
    }
    if (g.minSize > g.maxSize) {
      ctx.addIssue({
        code: "custom",
        path: ["minSize"],
        message: "minSize above maxSize; use minSize ≤ maxSize",
      });
    }
    if (g.desiredSize !== undefined && (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)) {
      ctx.addIssue({
        code: "custom",
        path: ["desiredSize"],
        message: "desiredSize outside minSize..maxSize; use a value between them",
      });
    }
  });

export const nodeGroupsSchema = z
  .record(
    z.string().regex(shortName, { error: `bad node group name; ${shortNameHint}` }),
    nodeGroupSchema,
  )
  .refine((groups) => Object.keys(groups).length > 0, {
    error:
      "no node groups; declare at least one (DaemonSets such as Fluent Bit cannot run on Fargate)",
  });

/**
 * A Fargate selector's namespace: a namespace name, or a pattern with `*` (any run of characters)
 * and `?` (one character), which EKS accepts "in addition to characters allowed by Kubernetes"
 * (https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html#fargate-profile-wildcards).
 * We take patterns, but not one that also matches a namespace EKS creates (`*`, `kube-*`,
 * `*-system`): it would move CoreDNS and every add-on in kube-system onto Fargate without anyone
 * having asked for it. Selecting kube-system by its name stays possible, as EKS documents for
 * Fargate-only clusters.
 */
export const fargateNamespace = z
  .string({ error: `not a namespace name or pattern; ${DNS_LABEL_HINT}, with * or ? as wildcards` })
  .refine((ns) => DNS_LABEL.test(ns.replace(/[*?]/g, "a")), {
    error: `not a namespace name or pattern; ${DNS_LABEL_HINT}, with * or ? as wildcards`,
    abort: true,
  })
  .refine((ns) => !/[*?]/.test(ns) || EKS_NAMESPACES.every((eks) => !matchesPattern(ns, eks)), {
    error: `pattern also selects namespaces EKS creates (${EKS_NAMESPACES.join(", ")}), putting CoreDNS and the add-ons on Fargate; name the namespaces, or use a narrower pattern such as batch-*`,
  });

/** Whether a namespace matches a Fargate selector pattern (`*` any run, `?` one character). */
export function matchesPattern(pattern: string, namespace: string): boolean {
  const regex = pattern.replace(/[*?]/g, (w) => (w === "*" ? "[-a-z0-9]*" : "[-a-z0-9]"));
  return new RegExp(`^${regex}$`).test(namespace);
}

const fargateSelector = z.strictObject({
  namespace: fargateNamespace,
  labels: kubernetesLabelMap.optional(),
});

/** EKS limits: 10 Fargate profiles per cluster, 5 selectors per profile. */
export const fargateProfilesSchema = z
  .record(
    z.string().regex(shortName, { error: `bad Fargate profile name; ${shortNameHint}` }),
    z.strictObject({
      selectors: z
        .array(fargateSelector)
        .min(1, { error: "no selectors; list 1 to 5 namespace selectors" })
        .max(5, { error: "more than 5 selectors; EKS allows at most 5 per profile" }),
    }),
  )
  .refine((p) => Object.keys(p).length <= 10, {
    error: "more than 10 Fargate profiles; EKS allows at most 10 per cluster",
  });

export type NodeGroupsConfig = z.infer<typeof nodeGroupsSchema>;
export type FargateProfilesConfig = z.infer<typeof fargateProfilesSchema>;
