// Our checks of the GitHub workflows, pure functions of a workflow's text, run beside actionlint.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import { ROOT, stackFile } from "../stacks/stack-names";
import type { Finding, RuleInfo } from "./findings";

/** actionlint's findings carry its kinds as their rule. */
export const WORKFLOW_RULES: RuleInfo[] = [
  { id: "pinned-action", title: "every action is pinned to a release tag or a commit" },
  { id: "deploy-runner", title: "a job that runs Pulumi runs on the deploy runner" },
  { id: "node-version", title: "actions/setup-node reads .nvmrc" },
  { id: "stack-list", title: "loops and matrices over the stacks read `npm run -s stacks`" },
];

export const at = (file: string, line: number, column: number) => `${file}:${line}:${column}`;

export const WORKFLOW_DIR = ".github/workflows";

const USES = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)/;
const PINNED_REF = /^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;

/** Never a branch: a push to someone's main must not change what runs with our AWS role. */
export function unpinnedActions(file: string, content: string): Finding[] {
  const findings: Finding[] = [];
  content.split("\n").forEach((text, i) => {
    const ref = USES.exec(text)?.[1];
    if (!ref || ref.startsWith("./") || ref.startsWith("docker://")) return;
    const sign = ref.lastIndexOf("@");
    const version = sign < 0 ? "" : ref.slice(sign + 1);
    if (!PINNED_REF.test(version)) {
      findings.push({
        rule: "pinned-action",
        subject: at(file, i + 1, text.indexOf(ref) + 1),
        message: `action "${ref}" is not pinned to a release tag (vN, vN.N.N) or a commit SHA`,
      });
    }
  });
  return findings;
}

/** The runner whose egress range the stacks list. */
export const DEPLOY_RUNNER = "${{ vars.DEPLOY_RUNNER }}";

// Pulumi's Kubernetes and Helm resources call the cluster's API; AWS APIs answer any address.
const CLUSTER_ACTION = "pulumi/actions@";
const CLUSTER_COMMAND = /\bpulumi\s+(up|preview|refresh|destroy)\b/;

interface ParsedWorkflow {
  jobs: [string, YAMLMap][];
  at: (file: string, node: Node | null | undefined) => string;
}

const parsedWorkflows = new Map<string, ParsedWorkflow>();
/** Each rule reads the same workflow: parsed once per content, read only. */
function parseWorkflow(content: string): ParsedWorkflow {
  if (!parsedWorkflows.has(content)) parsedWorkflows.set(content, parseWorkflowOnce(content));
  return parsedWorkflows.get(content)!;
}

function parseWorkflowOnce(content: string): ParsedWorkflow {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter });
  const jobs = doc.get("jobs");
  return {
    jobs: isMap(jobs)
      ? jobs.items.flatMap((p) =>
          isMap(p.value) ? [[String(p.key), p.value] as [string, YAMLMap]] : [],
        )
      : [],
    at: (file, node) => {
      const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
      return at(file, pos.line, pos.col);
    },
  };
}

const stepsOf = (job: YAMLMap): YAMLMap[] => {
  const steps = job.get("steps");
  return isSeq(steps) ? steps.items.filter(isMap) : [];
};

/**
 * GitHub-hosted runners take a new address from shared Azure ranges every job, which no
 * `endpointPublicAccessCidrs` can list, so every Kubernetes and Helm resource would time out.
 */
export function clusterJobsOffDeployRunner(file: string, content: string): Finding[] {
  const wf = parseWorkflow(content);
  return wf.jobs.flatMap(([id, job]) => {
    const reachesCluster = stepsOf(job).some(
      (step) =>
        String(step.get("uses") ?? "").startsWith(CLUSTER_ACTION) ||
        CLUSTER_COMMAND.test(String(step.get("run") ?? "")),
    );
    const runsOn = job.get("runs-on", true) as Node | undefined;
    const value = job.get("runs-on");
    if (!reachesCluster || value === DEPLOY_RUNNER) return [];
    return [
      {
        rule: "deploy-runner",
        subject: wf.at(file, runsOn ?? job),
        message: `jobs.${id}.runs-on: a job that runs Pulumi reaches the cluster's API and must run on the deploy runner (got ${JSON.stringify(value ?? null)}); use "${DEPLOY_RUNNER}", whose egress range the stacks' endpointPublicAccessCidrs list`,
      },
    ];
  });
}

export const NODE_VERSION_FILE = ".nvmrc";

/** One file names everyone's Node version: https://github.com/actions/setup-node#usage */
export function nodeVersionNotFromFile(file: string, content: string): Finding[] {
  const wf = parseWorkflow(content);
  return wf.jobs.flatMap(([id, job]) =>
    stepsOf(job)
      .filter((step) => String(step.get("uses") ?? "").startsWith("actions/setup-node@"))
      .flatMap((step) => {
        const w = step.get("with");
        const versionFile = isMap(w) ? w.get("node-version-file") : undefined;
        const literal = isMap(w) ? w.get("node-version") : undefined;
        const fromFile =
          typeof versionFile === "string" &&
          (versionFile === NODE_VERSION_FILE || versionFile.endsWith(`/${NODE_VERSION_FILE}`));
        if (fromFile && literal === undefined) return [];
        return [
          {
            rule: "node-version",
            subject: wf.at(file, step),
            message: `jobs.${id}: actions/setup-node must read node-version-file ${NODE_VERSION_FILE} (got ${JSON.stringify({ "node-version": literal ?? null, "node-version-file": versionFile ?? null })}); one file names the Node version`,
          },
        ];
      }),
  );
}

const STACKS_HINT =
  "read the list from `npm run -s stacks` (one name a line; `-- --json` for a matrix's fromJSON), so that a new Pulumi.<stack>.yaml is included";

/**
 * Adding a stack is adding its `Pulumi.<stack>.yaml`: a matrix or a `run` script that lists stacks
 * itself (`[prod2, prod]`, `for stack in prod2 prod`, `Pulumi.prod.yaml Pulumi.prod2.yaml`) would
 * leave a new one out. Two listed side by side, or one after `for … in`, is such a list.
 */
export function fixedStackLists(
  file: string,
  content: string,
  stacks: readonly string[],
): Finding[] {
  const wf = parseWorkflow(content);
  const names = new Set(stacks.flatMap((s) => [s, stackFile(s)]));
  const finding = (node: Node | null | undefined, where: string, got: string): Finding => ({
    rule: "stack-list",
    subject: wf.at(file, node),
    message: `${where}: a fixed list of stacks (${got}); ${STACKS_HINT}`,
  });
  return wf.jobs.flatMap(([id, job]) => {
    const found: Finding[] = [];
    const matrix = job.getIn(["strategy", "matrix"], true);
    for (const { key, value } of isMap(matrix) ? matrix.items : []) {
      const items = isSeq(value)
        ? value.items.map((i) => (isScalar(i) ? String(i.value) : ""))
        : [];
      if (items.some((i) => names.has(i))) {
        found.push(
          finding(
            value as Node,
            `jobs.${id}.strategy.matrix.${String(key)}`,
            `[${items.join(", ")}]`,
          ),
        );
      }
    }
    stepsOf(job).forEach((step, n) => {
      const run = step.get("run", true) as Node | undefined;
      for (const line of String(step.get("run") ?? "").split("\n")) {
        const words = line.split(/[\s"'`,;()]+/);
        const listed = words.some(
          (w, i) =>
            names.has(w) &&
            (names.has(words[i + 1]) || (words[i - 1] === "in" && words[i - 3] === "for")),
        );
        if (listed) found.push(finding(run ?? step, `jobs.${id}.steps[${n}].run`, line.trim()));
      }
    });
    return found;
  });
}

/** The ephemeral-stack workflow whose step ids name the smoke checks. */
export const SMOKE_WORKFLOW = "smoke.yml";

/** The checks a rehearsal rule may name as its `smokeCheck`: only they carry step ids. */
export function smokeCheckIds(root = ROOT): string[] {
  const content = readFileSync(join(root, WORKFLOW_DIR, SMOKE_WORKFLOW), "utf8");
  return parseWorkflow(content).jobs.flatMap(([, job]) =>
    stepsOf(job).flatMap((step) => {
      const id = step.get("id");
      return typeof id === "string" ? [id] : [];
    }),
  );
}
