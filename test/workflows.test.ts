import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import {
  clusterJobsOffDeployRunner,
  fixedStackLists,
  nodeVersionNotFromFile,
  smokeCheckIds,
  unpinnedActions,
} from "../policy/workflows";
import { runProcess } from "../tools/run/processes";
import { lintWorkflows, workflowFiles } from "../tools/workflows/lint";

const files = workflowFiles(join(__dirname, ".."));
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const workflow = (name: string) => {
  const f = files.find((x) => x.path.endsWith(`/${name}`));
  if (!f) throw new Error(`no workflow ${name}`);
  return parse(f.content) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

test("the workflows lint clean", async () => {
  expect(files.map((f) => f.path)).toEqual([
    ".github/workflows/addon-versions.yml",
    ".github/workflows/cost-prices.yml",
    ".github/workflows/deploy.yml",
    ".github/workflows/pull-request.yml",
    ".github/workflows/pulumi-up.yml",
    ".github/workflows/smoke.yml",
  ]);
  expect(await lintWorkflows(files)).toEqual([]);
});

test("the linter reports real mistakes, including an undefined context other than vars", async () => {
  const broken = [
    "on: push",
    "jobs:",
    "  a:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@main",
    '      - run: echo "${{ github.event.pull_request.title }}"',
    "      - run: echo ${{ varz.ROLE }} ${{ vars.ROLE }}",
  ].join("\n");
  const findings = await lintWorkflows([{ path: "broken.yml", content: broken }]);
  expect(findings.map((f) => [f.subject, f.rule])).toEqual([
    ["broken.yml:6:15", "pinned-action"],
    ["broken.yml:7:24", "expression"],
    ["broken.yml:8:23", "expression"],
  ]);
  expect(findings[2]?.message).toContain('undefined variable "varz"');
});

test.each([
  ["actions/checkout@v7", 0],
  ["actions/checkout@v7.0.1", 0],
  ["actions/checkout@0123456789abcdef0123456789abcdef01234567", 0],
  ["./.github/workflows/pulumi-up.yml", 0],
  ["actions/checkout@main", 1],
  ["actions/checkout", 1],
])("uses: %s gives %i pinning finding(s)", (ref, count) => {
  expect(unpinnedActions("w.yml", `    steps:\n      - uses: ${ref}\n`)).toHaveLength(count);
});

test("pull requests preview every stack with the policy pack and OIDC credentials", () => {
  const { test, preview } = workflow("pull-request.yml").jobs;
  // The list is the test job's output: `npm run -s stacks -- --json`, one per Pulumi.<stack>.yaml.
  expect(test.outputs.stacks).toBe("${{ steps.stacks.outputs.json }}");
  expect(test.steps.find((s: Step) => s.id === "stacks").run).toContain(
    "npm run -s stacks -- --json",
  );
  expect(preview.needs).toBe("test");
  expect(preview.strategy.matrix.stack).toBe("${{ fromJSON(needs.test.outputs.stacks) }}");
  expect(preview.permissions["id-token"]).toBe("write");
  const steps = preview.steps as { uses?: string; with?: Record<string, unknown> }[];
  expect(
    steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.[
      "role-to-assume"
    ],
  ).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
  expect(steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({
    command: "preview",
    policyPacks: "policy",
    "comment-on-pr": true,
  });
});

test("deploy updates every stack one at a time in deploy-order's order, each gated by its environment", () => {
  const jobs = workflow("deploy.yml").jobs;
  // The order itself: tools/workflows/deploy-order.ts, tested in test/traffic-weights.test.ts.
  const run = (jobs.order.steps as Step[]).map((s) => s.run ?? "").join("\n");
  expect(run).toContain('npm run -s stacks > "$RUNNER_TEMP/stacks.txt"');
  expect(run).toContain(
    'node dist/tools/workflows/deploy-order.js --base "$RUNNER_TEMP/base" "${stacks[@]}"',
  );
  expect(jobs.order.outputs.order).toBe("${{ steps.order.outputs.order }}");
  // A matrix over the order, one job at a time; a failure cancels the stacks after it.
  expect(jobs.up).toMatchObject({
    needs: "order",
    strategy: {
      "max-parallel": 1,
      "fail-fast": true,
      matrix: { stack: "${{ fromJSON(needs.order.outputs.order) }}" },
    },
    uses: "./.github/workflows/pulumi-up.yml",
    with: { stack: "${{ matrix.stack }}" },
  });
  const up = workflow("pulumi-up.yml").jobs.up;
  expect(up.environment).toBe("${{ inputs.stack }}");
  expect(
    (up.steps as Step[]).find((s) => s.uses?.startsWith("pulumi/actions@") && s.with)?.with,
  ).toMatchObject({ command: "up", "stack-name": "${{ vars.PULUMI_ORG }}/${{ inputs.stack }}" });
});

describe("each pulumi up is rehearsed first against the stack's exported state", () => {
  const steps = workflow("pulumi-up.yml").jobs.up.steps as Step[];
  const rehearse = steps.find((s) => s.id === "rehearse") as Step;

  test("after the CLI is installed, before up, with the up's stack, and nothing lets up run past a failure", () => {
    const at = (p: (s: Step) => boolean) => steps.findIndex(p);
    const cli = at((s) => s.uses?.startsWith("pulumi/actions@") === true && !s.with);
    const up = at((s) => s.with?.command === "up");
    expect([cli >= 0, cli < at((s) => s === rehearse), at((s) => s === rehearse) < up]).toEqual([
      true,
      true,
      true,
    ]);
    expect(rehearse.env).toEqual({
      STACK: "${{ inputs.stack }}",
      PULUMI_STACK: "${{ vars.PULUMI_ORG }}/${{ inputs.stack }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
    });
    expect(steps.filter((s) => s.if !== undefined || "continue-on-error" in s)).toEqual([]);
  });

  // The step's script with stand-ins for the pulumi and npm commands: pulumi answers as `PULUMI`
  // says, npm prints its arguments and exits `REHEARSAL`.
  const run = async (pulumi: string, rehearsal: number) => {
    const dir = mkdtempSync(join(tmpdir(), "pulumi-up-"));
    mkdirSync(join(dir, "bin"));
    const stub = (name: string, body: string) => {
      writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, "bin", name), 0o755);
    };
    stub(
      "pulumi",
      'case "$PULUMI" in ok) echo "{}" > "$5";; missing) echo "error: no stack named \'$3\' found" >&2; exit 255;; *) echo "error: $PULUMI" >&2; exit 255;; esac',
    );
    stub("npm", 'echo "npm $*"; exit "$REHEARSAL"');
    const env = {
      PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`,
      RUNNER_TEMP: dir,
      STACK: "prod",
      PULUMI_STACK: "org/prod",
      PULUMI: pulumi,
      REHEARSAL: String(rehearsal),
    };
    // As Actions runs a step's script (`bash -e`); --norc: bash takes Node's socketpair for ssh.
    const r = await runProcess(
      "bash",
      ["--noprofile", "--norc", "-e", "-c", rehearse.run ?? ""],
      dir,
      env,
    );
    return {
      code: r.code,
      out: r.stdout.replaceAll(dir, "$RUNNER_TEMP").trim(),
      err: r.stderr.trim(),
    };
  };

  test.each([
    [
      "the state, rehearsed clean",
      "ok",
      0,
      {
        code: 0,
        out: "npm run -s rehearse -- prod --no-order --base-state $RUNNER_TEMP/prod.state.json",
        err: "",
      },
    ],
    [
      "the state, with a blocker",
      "ok",
      1,
      {
        code: 1,
        out: "npm run -s rehearse -- prod --no-order --base-state $RUNNER_TEMP/prod.state.json",
        err: "",
      },
    ],
    [
      "no stack yet",
      "missing",
      0,
      {
        code: 0,
        out: "org/prod has no state yet: rehearsing its first deploy\nnpm run -s rehearse -- prod --no-order",
        err: "",
      },
    ],
    [
      "no answer from the backend",
      "could not reach api.pulumi.com",
      0,
      { code: 1, out: "", err: "error: could not reach api.pulumi.com" },
    ],
  ])("%s", async (_, pulumi, rehearsal, expected) => {
    expect(await run(pulumi, rehearsal)).toEqual(expected);
  });
});

test.each([
  ["a matrix", "    strategy:\n      matrix:\n        stack: [prod2, prod]\n", 1],
  ["a loop", "    steps:\n      - run: for stack in prod2 prod; do echo $stack; done\n", 1],
  ["a loop over one", "    steps:\n      - run: for s in prod; do echo $s; done\n", 1],
  ["the files", "    steps:\n      - run: cp Pulumi.prod.yaml Pulumi.prod2.yaml /tmp\n", 1],
  ["the arguments", "    steps:\n      - run: node order.js --base b prod2 prod\n", 1],
  ["one stack", "    steps:\n      - run: pulumi preview -s prod\n", 0],
  [
    "the list",
    "    strategy:\n      matrix:\n        stack: ${{ fromJSON(needs.a.outputs.s) }}\n",
    0,
  ],
])("stacks listed in %s give %i stack-list finding(s)", (_, job, count) => {
  const content = `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}`;
  expect(fixedStackLists("w.yml", content, ["prod", "prod2"])).toHaveLength(count);
});

// pulumi-up.yml's job at fb96b52, the shape of issue 13's blocker 9: `pulumi up` from a
// GitHub-hosted runner, whose address no endpointPublicAccessCidrs can list.
const upOnHostedRunner = [
  "on: workflow_call",
  "jobs:",
  "  up:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  "      - uses: aws-actions/configure-aws-credentials@v6",
  "      - uses: pulumi/actions@v7",
  "        with:",
  "          command: up",
].join("\n");

test("blocker 9: pulumi up on ubuntu-latest is reported at its runs-on line", () => {
  expect(clusterJobsOffDeployRunner("pulumi-up.yml", upOnHostedRunner)).toEqual([
    {
      rule: "deploy-runner",
      subject: "pulumi-up.yml:4:14",
      message:
        'jobs.up.runs-on: a job that runs Pulumi reaches the cluster\'s API and must run on the deploy runner (got "ubuntu-latest"); use "${{ vars.DEPLOY_RUNNER }}", whose egress range the stacks\' endpointPublicAccessCidrs list',
    },
  ]);
});

test.each([
  [
    "the pulumi action on the deploy runner",
    "${{ vars.DEPLOY_RUNNER }}",
    "uses: pulumi/actions@v7",
    0,
  ],
  ["the pulumi CLI on ubuntu-latest", "ubuntu-latest", "run: pulumi destroy --yes", 1],
  ["the pulumi CLI on the deploy runner", "${{ vars.DEPLOY_RUNNER }}", "run: pulumi up --yes", 0],
  [
    "only AWS APIs on ubuntu-latest",
    "ubuntu-latest",
    "uses: aws-actions/configure-aws-credentials@v6",
    0,
  ],
  ["npm test on ubuntu-latest", "ubuntu-latest", "run: npm test", 0],
])("a job running %s gives %i deploy-runner finding(s)", (_, runsOn, step, count) => {
  const content = `on: push\njobs:\n  j:\n    runs-on: ${runsOn}\n    steps:\n      - ${step}\n`;
  expect(clusterJobsOffDeployRunner("w.yml", content)).toHaveLength(count);
});

test("every job that runs Pulumi here is on the deploy runner, and the npm test jobs are not", () => {
  const runsOn = (name: string, job: string) => workflow(name).jobs[job]["runs-on"];
  expect([
    runsOn("pulumi-up.yml", "up"),
    runsOn("pull-request.yml", "preview"),
    runsOn("smoke.yml", "smoke"),
  ]).toEqual([
    "${{ vars.DEPLOY_RUNNER }}",
    "${{ vars.DEPLOY_RUNNER }}",
    "${{ vars.DEPLOY_RUNNER }}",
  ]);
  expect([runsOn("deploy.yml", "test"), runsOn("pull-request.yml", "test")]).toEqual([
    "ubuntu-latest",
    "ubuntu-latest",
  ]);
});

test("the runner's egress is checked against the stack's CIDRs before every pulumi up and preview", () => {
  const checkBefore = (name: string, job: string, pulumiStep: (s: Step) => boolean) => {
    const steps = workflow(name).jobs[job].steps as Step[];
    const check = steps.findIndex((s) =>
      s.run?.startsWith("node dist/tools/workflows/endpoint-reach.js"),
    );
    return check >= 0 && check < steps.findIndex(pulumiStep);
  };
  const action = (s: Step) =>
    s.uses?.startsWith("pulumi/actions@") === true && s.with !== undefined;
  expect(checkBefore("pulumi-up.yml", "up", action)).toBe(true);
  expect(checkBefore("pull-request.yml", "preview", action)).toBe(true);
  expect(checkBefore("smoke.yml", "smoke", (s) => s.id === "pulumi-up-succeeds")).toBe(true);
});

test.each([
  ["node-version-file: .nvmrc", 0],
  ["node-version-file: head/.nvmrc", 0],
  ['node-version: "24"', 1],
  ["node-version-file: .node-version", 1],
])("setup-node with %s gives %i node-version finding(s)", (input, count) => {
  const content = `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v7\n        with:\n          ${input}\n`;
  expect(nodeVersionNotFromFile("w.yml", content)).toHaveLength(count);
});

test("the smoke workflow's step ids are exactly the smoke checks rehearsal rules may name", () => {
  expect(smokeCheckIds()).toEqual([
    "pulumi-up-succeeds",
    "nodes-ready",
    "dns-from-pod-security-group-pod",
    "gateway-answers",
    "pvc-binds",
    "addons-ready",
    "pulumi-destroy-succeeds",
  ]);
});

test("the smoke workflow is dispatched by hand, copies a config to a per-run stack, and always destroys it", () => {
  const smoke = workflow("smoke.yml");
  expect(Object.keys(smoke.on)).toEqual(["workflow_dispatch"]);
  expect(smoke.on.workflow_dispatch.inputs.config.default).toBe("Pulumi.prod2.yaml");
  const job = smoke.jobs.smoke;
  expect(job.env.STACK).toBe("${{ vars.PULUMI_ORG }}/ci-smoke-${{ github.run_id }}");
  expect(job.env.CLUSTER_NAME).toBe("eks-smoke-${{ github.run_id }}");
  const steps = job.steps as Step[];
  const unprotect = steps.findIndex((s) => s.run?.includes("eks-blueprint:protect false"));
  const destroy = steps.findIndex((s) => s.id === "pulumi-destroy-succeeds");
  expect([steps[unprotect]?.if, steps[destroy]?.if]).toEqual(["always()", "always()"]);
  expect(unprotect).toBeLessThan(destroy);
  expect(steps[destroy]?.run).toContain('pulumi destroy --stack "$STACK" --yes');
});

test("the synth-diff job posts what npm run pr-diff prints, and fails only after posting it", () => {
  const steps = workflow("pull-request.yml").jobs["synth-diff"].steps as Step[];
  const rehearse = steps.findIndex((s) => s.id === "rehearse");
  const comment = steps.findIndex((s) =>
    s.uses?.startsWith("marocchino/sticky-pull-request-comment@"),
  );
  const fail = steps.findIndex((s) => s.name === "Fail on rehearsal blockers");
  // The one producer of the comment (tools/pr-diff), as run locally: no loops of its own.
  expect(steps[rehearse]?.run).toContain(
    'npm run --silent pr-diff -- "$BASE_SHA" --out-dir ../synth || status=$?',
  );
  expect(
    steps.filter((s) =>
      /\bfor \w+ in\b|npm run (--silent )?(synth|rehearse|diff)\b/.test(s.run ?? ""),
    ),
  ).toEqual([]);
  expect(comment >= 0 && steps[comment]?.with?.path).toBe("synth/comment.md");
  expect([rehearse < comment, comment < fail]).toEqual([true, true]);
  expect(steps[fail]?.if).toBe("steps.rehearse.outputs.blocked == 'true'");
});
