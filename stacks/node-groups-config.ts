import { z } from "zod";
import {
  NODE_GROUP_CHOICES,
  NODE_GROUP_DEFAULTS,
  type TaintEffect,
} from "../components/compute/node-group-settings";
import { componentEnum, componentString } from "./validators";

/**
 * The shape of `eks-blueprint:nodeGroups` and `eks-blueprint:fargateProfiles`: types and known
 * keys only. What a value may be (real instance types of the right architecture, sizes, disks,
 * labels, taints, names, Fargate selectors) is the components' own check (`nodeGroupsProblems`,
 * `fargateProfilesProblems`), which the stack runs through `blueprintProblems` with config keys.
 * Defaults are the components' constants, so a parsed config reads as the component would.
 */

const taint = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  effect: componentString<TaintEffect>(),
});

const nodeGroupSchema = z.strictObject({
  amiFamily: componentEnum(NODE_GROUP_CHOICES.amiFamily).default(NODE_GROUP_DEFAULTS.amiFamily),
  architecture: componentEnum(NODE_GROUP_CHOICES.architecture).default(
    NODE_GROUP_DEFAULTS.architecture,
  ),
  instanceTypes: z.array(z.string()),
  capacityType: componentEnum(NODE_GROUP_CHOICES.capacityType).default(
    NODE_GROUP_DEFAULTS.capacityType,
  ),
  minSize: z.number(),
  maxSize: z.number(),
  desiredSize: z.number().optional(),
  diskSizeGiB: z.number().default(NODE_GROUP_DEFAULTS.diskSizeGiB),
  labels: z.record(z.string(), z.string()).optional(),
  taints: z.array(taint).optional(),
  role: z.string().optional(),
  draining: z.boolean({ error: "not a boolean; use true or false" }).optional(),
});

export const nodeGroupsSchema = z.record(z.string(), nodeGroupSchema);

const fargateSelector = z.strictObject({
  namespace: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const fargateProfilesSchema = z.record(
  z.string(),
  z.strictObject({ selectors: z.array(fargateSelector) }),
);
