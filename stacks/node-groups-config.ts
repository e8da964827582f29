import { z } from "zod";
import {
  NODE_GROUP_CHOICES as CHOICES,
  NODE_GROUP_DEFAULTS as DEFAULTS,
  type TaintEffect,
} from "../components/compute/node-group-settings";
import { boolean, componentEnum, componentString, componentNumber } from "./validators";

// `eks-blueprint:nodeGroups` and `eks-blueprint:fargateProfiles`: types and known keys only; values
// are `nodeGroupsProblems` and `fargateProfilesProblems`'s. Defaults are the components' constants.

const taint = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  effect: componentString<TaintEffect>(),
});

const nodeGroupSchema = z.strictObject({
  amiFamily: componentEnum(CHOICES.amiFamily).default(DEFAULTS.amiFamily),
  architecture: componentEnum(CHOICES.architecture).default(DEFAULTS.architecture),
  accelerator: componentEnum(CHOICES.accelerator).optional(),
  instanceTypes: z.array(z.string()),
  capacityType: componentEnum(CHOICES.capacityType).default(DEFAULTS.capacityType),
  minSize: componentNumber(),
  maxSize: componentNumber(),
  desiredSize: componentNumber().optional(),
  diskSizeGiB: componentNumber().default(DEFAULTS.diskSizeGiB),
  labels: z.record(z.string(), z.string()).optional(),
  taints: z.array(taint).optional(),
  role: z.string().optional(),
  draining: boolean.optional(),
  deployed: z
    .strictObject({
      name: z.string(),
      instanceTags: z.record(z.string(), z.string()).optional(),
    })
    .optional()
    .describe("Defaults to none: the group is named by prefix, its instances tagged as today."),
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
