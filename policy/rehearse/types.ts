import type { SynthRecord } from "../../synth/record";

/** One declared key of `Pulumi.yaml`'s `config:` block. */
export interface DeclaredKey {
  type?: string;
  description?: string;
  secret?: boolean;
  default?: unknown;
  items?: unknown;
}

export interface ProjectFile {
  name: string;
  config?: Record<string, DeclaredKey>;
}

export interface RehearsalInput {
  stack: string;
  project: ProjectFile;
  /** `Pulumi.<stack>.yaml`'s `config:`: keys are `namespace:key`; a secret is `{ secure: "…" }`. */
  stackConfig: Record<string, unknown>;
  /** The project's stacks, which `migration:peers` may name. @default the project root's */
  stacks?: readonly string[];
  /** Every resource the stack registers, with its `dependsOn`. */
  head: SynthRecord[];
  /** The synth before the change (`--base`), or the deployed state (`--base-state`). @default none */
  base?: SynthRecord[];
  /**
   * What each base release rendered, by its `type::name`: pulumi-kubernetes' `resourceNames`
   * output (`<Kind>[.<group>]/<apiVersion>` → `namespace/name`, or `name` where the manifest sets
   * no namespace), which only a state export holds. @default none
   */
  baseRendered?: Record<string, Record<string, string[]>>;
  /** `.github/workflows/*.yml`, path and text. @default none */
  workflows?: { path: string; content: string }[];
  /** Rehearse `--destroy`. @default false */
  destroy?: boolean;
}

export type { Finding } from "../findings";
import type { Finding } from "../findings";

/** Before the program runs, on a first `up`, on an update from `base`, on a destroy. */
export type Phase = "config" | "create" | "update" | "destroy";

/** One fact the real system enforces, as a pure check over the rehearsal input. */
export interface Rule {
  /** Stable kebab-case id, for example `k8s-namespace-exists`. */
  id: string;
  phase: Phase;
  /** What the real system enforces, in one line. */
  title: string;
  /** A documentation URL or an upstream source file (repo and path). */
  source: string;
  /** The ephemeral-stack workflow's check that would catch the same mistake for real. */
  smokeCheck: string;
  check(input: RehearsalInput): Finding[];
}

/** A rule whose check leaves `rule` out of its findings: it is the rule's id. */
export const defineRule = ({
  check,
  ...meta
}: Omit<Rule, "check"> & { check(input: RehearsalInput): Omit<Finding, "rule">[] }): Rule => ({
  ...meta,
  check: (input) => check(input).map((f) => ({ rule: meta.id, ...f })),
});
