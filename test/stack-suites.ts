// The checks every stack passes, whatever its config. The suites run them per committed stack
// (test.each(stackNames())); test/stack-names.test.ts runs them on a scratch copy with a stack
// added. Expectations come from the stack's own config file, never from the code under test.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stackNames } from "../stacks/stack-names";
import { ROOT } from "../synth/stack-files";
import { rehearseStack } from "../tools/rehearse/stack";
import type { SynthRecord } from "../synth/record";
import type { RawConfig } from "./stack-harness";

/** The `config:` of `dir`'s `Pulumi.<stack>.yaml`, as written. */
export const stackFileConfig = (stack: string, dir: string): RawConfig =>
  (parse(readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config: RawConfig })
    .config;

/**
 * Every pair of `dir`'s stacks that a stack file declares as migration peers (either side
 * declares), read from the files: the pairs `npm test` checks for coexistence.
 */
export function declaredPairs(dir: string = ROOT): [string, string][] {
  const peersOf = (stack: string) =>
    (stackFileConfig(stack, dir)["migration:peers"] as string[] | undefined) ?? [];
  const pairs = stackNames(dir).flatMap((s) => peersOf(s).map((p) => [s, p].sort().join(" ")));
  return [...new Set(pairs)].sort().map((pair) => pair.split(" ") as [string, string]);
}

/** The keys Pulumi.yaml declares: the CLI refuses a stack without any of them. */
export function missingDeclaredKeys(config: RawConfig, dir: string): string[] {
  const project = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, unknown>;
  };
  return Object.keys(project.config).filter((k) => !(`${project.name}:${k}` in config));
}

/** A first `up` rehearses with no blocker, the VPC before the cluster before kube-proxy. */
export async function expectFirstUpClean(stack: string, head: SynthRecord[], dir?: string) {
  const report = await rehearseStack(stack, { head, dir });
  expect(report.findings).toEqual([]);
  expect(report.phases).toEqual(["config", "create"]);
  const at = (key: string) => report.order.indexOf(key);
  expect(at(`awsx:ec2:Vpc::${stack}-network`)).toBeGreaterThanOrEqual(0);
  expect(at(`awsx:ec2:Vpc::${stack}-network`)).toBeLessThan(
    at(`eks:index:Cluster::${stack}-cluster`),
  );
  expect(at(`eks:index:Cluster::${stack}-cluster`)).toBeLessThan(
    at(`aws:eks/addon:Addon::${stack}-core-kube-proxy`),
  );
}

/**
 * A destroy asks only for protection to be lifted first, and only where the stack's config keeps
 * it (`eks-blueprint:protect`, true when unset as the README's table says): the KMS key, the VPC and
 * the cluster. A stack with `protect: false` (one that serves no production) is destroyed as is.
 */
export async function expectDestroyFollowsProtect(
  stack: string,
  head: SynthRecord[],
  config: RawConfig,
  dir?: string,
) {
  const report = await rehearseStack(stack, { destroy: true, head, dir });
  const protectedByConfig = config["eks-blueprint:protect"] !== false;
  expect([...new Set(report.findings.map((f) => f.rule))]).toEqual(
    protectedByConfig ? ["destroy-protected-first"] : [],
  );
  expect(report.findings.map((f) => f.subject)).toEqual(
    protectedByConfig
      ? [
          `aws:kms/key:Key::${stack}-cluster-secrets`,
          `awsx:ec2:Vpc::${stack}-network`,
          `eks:index:Cluster::${stack}-cluster`,
        ]
      : [],
  );
  // Deleted in reverse: the gateway before the controllers that clean up after it, where the
  // stack runs them (read from the synth, so a release missing from the order fails).
  const release = (n: string) => `kubernetes:helm.sh/v3:Release::${stack}-platform-addons-${n}`;
  const runs = ["istio-gateway", "alb-controller", "external-dns"].filter((n) =>
    head.some((r) => `${r.type}::${r.name}` === release(n)),
  );
  const at = (n: string) => report.order.indexOf(release(n));
  expect(runs.filter((n) => at(n) < 0)).toEqual([]);
  if (runs.includes("istio-gateway")) {
    for (const controller of runs.filter((n) => n !== "istio-gateway")) {
      expect(at("istio-gateway")).toBeLessThan(at(controller));
    }
  }
}

/** No resource overrides the provider's replacement order with `deleteBeforeReplace: false`. */
export const deleteBeforeReplaceFalse = (resources: readonly SynthRecord[]): string[] =>
  resources.filter((r) => r.deleteBeforeReplace === false).map((r) => r.name);

/** A team of `eks-blueprint:teams`, as a stack file writes it (docs/teams.md). */
export type TeamEntry = {
  namespaces?: Record<string, { mesh?: boolean; podSecurity?: { level?: string } } | null>;
  editRoleArns?: string[];
  viewRoleArns?: string[];
};

/** The stack file's `eks-blueprint:teams`, in file order. */
export const teamsOf = (config: RawConfig): Record<string, TeamEntry> =>
  (config["eks-blueprint:teams"] ?? {}) as Record<string, TeamEntry>;

/** Every team's namespaces with their settings, in file order. */
export const teamNamespacesOf = (config: RawConfig) =>
  Object.values(teamsOf(config)).flatMap((team) =>
    Object.entries(team.namespaces ?? {}).map(([name, settings]) => ({
      name,
      ...(settings ?? {}),
    })),
  );

/** The namespaces the stack file declares, as a config error lists them (`now [...]`). */
export const declaredNamespacesOf = (config: RawConfig): string[] => [
  ...((config["eks-blueprint:workloadNamespaces"] as string[] | undefined) ?? []),
  ...teamNamespacesOf(config).map((n) => n.name),
];

/** Each team role: its IAM role name, the level and the team's namespaces (docs/teams.md). */
export const teamRolesOf = (config: RawConfig) =>
  Object.values(teamsOf(config)).flatMap((team) => {
    const namespaces = Object.keys(team.namespaces ?? {});
    const role = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
    return [
      ...(team.editRoleArns ?? []).map((arn) => ({ role: role(arn), level: "edit", namespaces })),
      ...(team.viewRoleArns ?? []).map((arn) => ({ role: role(arn), level: "view", namespaces })),
    ];
  });

/**
 * Runs `check`; if it fails, the failure starts with `hint`: what to run or edit when the failure
 * follows from an intended change to a stack file or a vendored chart.
 */
export function withHint<T>(hint: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Error) e.message = `${hint}\n\n${e.message}`;
    throw e;
  }
}
