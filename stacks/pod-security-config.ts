import { z } from "zod";
import { isRecord } from "../components/problems";
import type {
  PodSgEgressRule,
  PodSgIngressRule,
} from "../components/access/pod-security-group-rules";

/** A list of maps, typed as the component takes it: its check words the fields (and any extra). */
const mapsOf = <T>() =>
  z.array(
    z.custom<T>(isRecord, { error: "not a map; give the rule's fields as key: value pairs" }),
  );

/**
 * `eks-blueprint:podSecurityGroups`. Config cannot hold a group id, so a rule names a sibling
 * (`{ from: podSecurityGroup, group: <name> }`) for WorkloadAccess; the components check values
 * and keys (blueprintProblems); the schema reads what they need to be lists or maps.
 */
export const podSecurityGroupsSchema = z.record(
  z.string(),
  z.looseObject({
    namespace: z.string(),
    singleton: z.string().optional(),
    ingress: mapsOf<PodSgIngressRule>().optional(),
    egress: mapsOf<PodSgEgressRule>().optional(),
    kubeletProbePorts: z.array(z.unknown()).pipe(z.custom<number[]>()).optional(),
    servicePorts: z.array(z.unknown()).pipe(z.custom<number[]>()).optional(),
  }),
);

export const enforcingModeSchema = z
  .enum(["standard", "strict"], { error: "unknown enforcing mode; use standard or strict" })
  .default("standard");
