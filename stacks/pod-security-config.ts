import { z } from "zod";
import type { PodSecurityGroupSpec } from "../components/pod-security-group";
import { configError } from "./errors";
import { podSecurityProblems, PodSecurityCheckInput } from "./pod-security-checks";
import { shortName, shortNameHint } from "./validators";

/**
 * Pod security groups from stack config. Config cannot hold another group's id, so a rule names
 * a sibling group instead: `{ from: podSecurityGroup, group: <name> }`; the blueprint resolves it.
 * The full rule and selector checks are `podSecurityProblems`, run on the parsed value.
 */
export const podSecurityGroupsSchema = z.record(
  z.string().regex(shortName, { error: `bad pod security group name; ${shortNameHint}` }),
  z.looseObject({ namespace: z.string(), singleton: z.string().optional() }),
);

export const enforcingModeSchema = z
  .enum(["standard", "strict"], { error: "unknown enforcing mode; use standard or strict" })
  .default("standard");

type RawRule = Record<string, unknown>;

/** Rules that name a sibling group, by group name → the groups they name. */
function siblingRefs(spec: Record<string, unknown>): string[] {
  const rules = [...((spec.ingress as RawRule[]) ?? []), ...((spec.egress as RawRule[]) ?? [])];
  return rules
    .filter((r) => r.from === "podSecurityGroup" || r.to === "podSecurityGroup")
    .map((r) => String(r.group));
}

/** A well-formed stand-in id, so sibling references pass the component's own rule checks. */
const withPlaceholderIds = (spec: Record<string, unknown>): PodSecurityGroupSpec => {
  const fill = (rules?: RawRule[]) =>
    rules?.map((r) =>
      r.from === "podSecurityGroup" || r.to === "podSecurityGroup"
        ? { ...r, securityGroupId: "sg-00000000000000000" }
        : r,
    );
  return {
    ...spec,
    ingress: fill(spec.ingress as RawRule[]),
    egress: fill(spec.egress as RawRule[]),
  } as unknown as PodSecurityGroupSpec;
};

/**
 * Every problem with the pod security groups: rules and selectors, Nitro/trunking node groups,
 * Fargate overlap, and references to groups that are not declared before the one using them.
 */
export function podSecurityConfigProblems(
  groups: Record<string, Record<string, unknown>>,
  rest: Omit<PodSecurityCheckInput, "podSecurityGroups">,
): string[] {
  const names = Object.keys(groups);
  const problems: string[] = [];
  names.forEach((name, index) => {
    for (const ref of siblingRefs(groups[name])) {
      if (names.indexOf(ref) < 0 || names.indexOf(ref) >= index) {
        problems.push(
          configError(
            `eks-blueprint:podSecurityGroups.${name}`,
            "a rule names a pod security group that is not declared before this one",
            ref,
            `name one of the groups declared above it (${names.slice(0, index).join(", ") || "none"})`,
          ),
        );
      }
    }
  });
  const specs = Object.fromEntries(
    names.map((n) => {
      const { singleton: _singleton, ...spec } = groups[n];
      return [n, withPlaceholderIds(spec)];
    }),
  );
  return [...problems, ...podSecurityProblems({ podSecurityGroups: specs, ...rest })];
}
