import type { SynthRecord } from "../../synth/record";

/** One declared key of `Pulumi.yaml`'s `config:` block, as the Pulumi CLI reads it. */
export interface DeclaredKey {
  type?: string;
  description?: string;
  secret?: boolean;
  default?: unknown;
  items?: unknown;
}

/** `Pulumi.yaml`, parsed. */
export interface ProjectFile {
  name: string;
  config?: Record<string, DeclaredKey>;
}

/** What one rehearsal looks at: the project, one stack's config and its synth (and a base for updates). */
export interface RehearsalInput {
  stack: string;
  /** `Pulumi.yaml`, parsed. */
  project: ProjectFile;
  /** The `config:` map of `Pulumi.<stack>.yaml` as parsed YAML: keys are `namespace:key`; a secret is `{ secure: "…" }`. */
  stackConfig: Record<string, unknown>;
  /** Every resource the stack registers, each with its `dependsOn` (what the engine waits for). */
  head: SynthRecord[];
  /** The synth before the change (`--base`): the update rehearsal compares head with it. @default none */
  base?: SynthRecord[];
  /** The repository's workflow files (`.github/workflows/*.yml`), path and text. @default none */
  workflows?: { path: string; content: string }[];
  /** Rehearse decommissioning (`--destroy`): the order the engine deletes in. @default false */
  destroy?: boolean;
}

/** Something the real system would refuse, or a deployment it would leave broken: an error. */
export type { Finding } from "../findings";
import type { Finding } from "../findings";

/** When a rule applies: before the program runs, on a first `up`, on an update from `base`, on a destroy. */
export type Phase = "config" | "create" | "update" | "destroy";

/** One fact the real system enforces, as a pure check over the rehearsal input. */
export interface Rule {
  /** Stable kebab-case id, printed with every finding, for example `k8s-namespace-exists`. */
  id: string;
  phase: Phase;
  /** What the real system enforces, in one line. */
  title: string;
  /** Where that was read: a documentation URL or an upstream source file (repo and path). */
  source: string;
  /** The smoke check of the ephemeral-stack workflow that would catch the same mistake for real. */
  smokeCheck: string;
  check(input: RehearsalInput): Finding[];
}
