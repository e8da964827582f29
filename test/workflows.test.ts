import { join } from "node:path";
import { parse } from "yaml";
import {
  formatFinding,
  lintWorkflows,
  unpinnedActions,
  workflowFiles,
} from "../tools/lint-workflows";

const files = workflowFiles(join(__dirname, ".."));
const workflow = (name: string) => {
  const f = files.find((x) => x.path.endsWith(`/${name}`));
  if (!f) throw new Error(`no workflow ${name}`);
  return parse(f.content) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

test("the workflows lint clean", async () => {
  expect(files.map((f) => f.path)).toEqual([
    ".github/workflows/deploy.yml",
    ".github/workflows/pull-request.yml",
    ".github/workflows/pulumi-up.yml",
  ]);
  expect((await lintWorkflows(files)).map(formatFinding)).toEqual([]);
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
  expect(findings.map((f) => [f.line, f.kind])).toEqual([
    [6, "pinned-action"],
    [7, "expression"],
    [8, "expression"],
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
  const preview = workflow("pull-request.yml").jobs.preview;
  expect(preview.strategy.matrix.stack).toEqual(["prod2", "prod"]);
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

test("deploy updates prod2 before prod, each gated by its environment", () => {
  const jobs = workflow("deploy.yml").jobs;
  expect(jobs.prod2).toMatchObject({
    needs: "test",
    uses: "./.github/workflows/pulumi-up.yml",
    with: { stack: "prod2" },
  });
  expect(jobs.prod).toMatchObject({
    needs: "prod2",
    uses: "./.github/workflows/pulumi-up.yml",
    with: { stack: "prod" },
  });
  const up = workflow("pulumi-up.yml").jobs.up;
  expect(up.environment).toBe("${{ inputs.stack }}");
  expect(
    up.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@")).with.command,
  ).toBe("up");
});
