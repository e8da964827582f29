import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiffInput, DiffRecord, diffSynth, flattenInputs, renameToken } from "../synth/diff";
import { renderMarkdown, summaryLine } from "../tools/diff/markdown";
import { forcesReplacement, replacementFields } from "../synth/replacements";
import { main } from "../tools/diff/main";

const BLUEPRINT = "eks-blueprint:index:EksBlueprint::blueprint";
const rec = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  parent: string | null = BLUEPRINT,
): DiffRecord => ({
  type,
  name,
  parent,
  inputs,
});
const blueprint = rec("eks-blueprint:index:EksBlueprint", "blueprint", {}, null);
const cluster = rec("eks:index:Cluster", "cluster", {
  name: "eks-blueprint-prod",
  version: "1.34",
  privateSubnetIds: ["subnet-a", "subnet-b"],
  serviceRole: "aws:iam/role:Role::cluster-role",
});
const nodeGroup = rec("eks:index:ManagedNodeGroup", "general", {
  amiType: "AL2023_x86_64_STANDARD",
  capacityType: "ON_DEMAND",
  scalingConfig: { desiredSize: 3, maxSize: 6, minSize: 3 },
});
const policy = (actions: string[]) =>
  rec("aws:iam/rolePolicy:RolePolicy", "autoscaler-permissions", {
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
    }),
  });
const stack = (name: string, resources: DiffRecord[]): DiffInput => ({ stack: name, resources });
const with_ = (r: DiffRecord, inputs: Record<string, unknown>): DiffRecord => ({
  ...r,
  inputs: { ...r.inputs, ...inputs },
});

test("flattenInputs opens JSON strings, keeps scalar lists whole and quotes odd keys", () => {
  const flat = flattenInputs({
    policy: JSON.stringify({ Statement: [{ Action: ["a:B", "a:C"], Effect: "Allow" }] }),
    metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    subnetIds: ["subnet-a"],
    empty: {},
    plain: "{not json",
  });
  expect([...flat.entries()]).toEqual([
    ["empty", {}],
    ['metadata.annotations["storageclass.kubernetes.io/is-default-class"]', "true"],
    ["plain", "{not json"],
    ["policy.Statement[0].Action", ["a:B", "a:C"]],
    ["policy.Statement[0].Effect", "Allow"],
    ["subnetIds", ["subnet-a"]],
  ]);
});

test.each([
  ["prod-vpc", "prod2-vpc"],
  ["eks-blueprint-prod", "eks-blueprint-prod2"],
  ["prod2-vpc", "prod2-vpc"],
  ["production", "production"],
  ["prod", "prod2"],
])("renameToken(%s, prod, prod2) is %s", (name, expected) => {
  expect(renameToken(name, "prod", "prod2")).toBe(expected);
});

test.each([
  ["eks:index:Cluster", "name", true],
  ["eks:index:Cluster", "serviceRole", true],
  ["eks:index:Cluster", "privateSubnetIds", true],
  ["eks:index:Cluster", "version", false],
  ["eks:index:ManagedNodeGroup", "amiType", true],
  ["eks:index:ManagedNodeGroup", "capacityType", true],
  ["eks:index:ManagedNodeGroup", "subnetIds", true],
  ["eks:index:ManagedNodeGroup", "launchTemplate.version", false],
  ["eks:index:ManagedNodeGroup", "scalingConfig.desiredSize", false],
  ["awsx:ec2:Vpc", "cidrBlock", true],
  ["awsx:ec2:Vpc", "subnetSpecs[0].cidrMask", true],
  ["awsx:ec2:Vpc", "subnetSpecs[2].type", true],
  ["awsx:ec2:Vpc", 'subnetSpecs[0].tags["kubernetes.io/role/elb"]', false],
  ["kubernetes:core/v1:Namespace", "metadata.name", true],
  ["kubernetes:core/v1:Namespace", "metadata.labels.team", false],
  ["aws:iam/role:Role", "nameSuffix", false],
])("%s %s forces replacement: %s", (type, path, expected) => {
  expect(forcesReplacement(type, path)).toBe(expected);
});

test("helm releases are not Kubernetes objects with metadata", () => {
  expect(replacementFields("kubernetes:helm.sh/v3:Release")).toEqual(["name", "namespace"]);
});

test("diffSynth finds added, removed and changed resources, each with its component", () => {
  const lone = rec("pulumi:providers:aws", "default", { region: "us-west-2" }, null);
  const diff = diffSynth(
    stack("prod", [
      blueprint,
      cluster,
      nodeGroup,
      policy(["autoscaling:SetDesiredCapacity"]),
      lone,
    ]),
    stack("prod", [
      blueprint,
      with_(cluster, { version: "1.35" }),
      policy(["autoscaling:SetDesiredCapacity", "ec2:DescribeImages"]),
      rec("aws:sqs/queue:Queue", "interruptions", { messageRetentionSeconds: 300 }),
      lone,
    ]),
  );
  expect(diff.added).toEqual([
    {
      key: "aws:sqs/queue:Queue::interruptions",
      type: "aws:sqs/queue:Queue",
      name: "interruptions",
      component: BLUEPRINT,
    },
  ]);
  expect(diff.removed.map((r) => [r.key, r.component])).toEqual([
    ["eks:index:ManagedNodeGroup::general", BLUEPRINT],
  ]);
  expect(
    diff.changed.map((c) => [
      c.key,
      c.replacement,
      c.fields.map((f) => [f.path, f.before, f.after]),
    ]),
  ).toEqual([
    [
      "aws:iam/rolePolicy:RolePolicy::autoscaler-permissions",
      false,
      [
        [
          "policy.Statement[0].Action",
          ["autoscaling:SetDesiredCapacity"],
          ["autoscaling:SetDesiredCapacity", "ec2:DescribeImages"],
        ],
      ],
    ],
    ["eks:index:Cluster::cluster", false, [["version", "1.34", "1.35"]]],
  ]);
});

test("a new parent or protect flag is a change; a new parent replaces the resource", () => {
  const moved = { ...nodeGroup, parent: "eks-blueprint:index:NodeGroups::groups" };
  const diff = diffSynth(stack("prod", [nodeGroup]), stack("prod", [{ ...moved, protect: true }]));
  expect(diff.changed[0]?.fields.map((f) => [f.path, f.replaces])).toEqual([
    ["(parent)", true],
    ["(protect)", false],
  ]);
});

test("secrets stay redacted, even when one side held the value in plain text", () => {
  const base = stack("prod", [
    rec("aws:rds/cluster:Cluster", "db", { masterPassword: "hunter2", port: 5432 }),
  ]);
  const head = stack("prod", [
    rec("aws:rds/cluster:Cluster", "db", { masterPassword: "[secret]", port: 5432 }),
  ]);
  const markdown = renderMarkdown(diffSynth(base, head));
  expect(markdown).toContain("- `masterPassword`: `[secret]` → `[secret]`");
  expect(markdown).not.toContain("hunter2");
  expect(diffSynth(head, head).changed).toEqual([]);
});

test("the Markdown opens with the summary and flags replacement-forcing fields in bold", () => {
  const head = stack("prod", [
    blueprint,
    with_(cluster, { name: "eks-blueprint-blue", version: "1.35" }),
    with_(nodeGroup, { scalingConfig: { desiredSize: 4, maxSize: 6, minSize: 3 } }),
  ]);
  const markdown = renderMarkdown(diffSynth(stack("prod", [blueprint, cluster, nodeGroup]), head));
  expect(markdown.split("\n").slice(0, 9)).toEqual([
    "**0 added, 0 removed, 2 changed (1 replacement)**",
    "",
    "Stack `prod`: base → head. Secrets show as `[secret]`.",
    "",
    "> [!WARNING]",
    "> **Replacements**: these resources differ in fields that make AWS delete and recreate them.",
    "> - **`eks:index:Cluster::cluster`** because of `name`",
    "",
    `### \`${BLUEPRINT}\` (1 replacement, 2 changed)`,
  ]);
  expect(markdown).toContain(
    '  - **`name`: `"eks-blueprint-prod"` → `"eks-blueprint-blue"` — forces replacement**',
  );
  expect(markdown).toContain('  - `version`: `"1.34"` → `"1.35"`\n');
  expect(markdown).toContain(
    "- changed `eks:index:ManagedNodeGroup::general`\n  - `scalingConfig.desiredSize`: `3` → `4`",
  );
});

test("prod against prod2 matches resources across stacks and flags the fields that force replacement", () => {
  const prodNodes = { ...with_(nodeGroup, { subnetIds: ["subnet-a"] }), name: "prod-general" };
  const base = stack("prod", [blueprint, cluster, prodNodes]);
  const head = stack("prod2", [
    blueprint,
    with_(cluster, { name: "eks-blueprint-prod2", privateSubnetIds: ["subnet-c", "subnet-d"] }),
    {
      ...with_(prodNodes, { amiType: "BOTTLEROCKET_ARM_64", subnetIds: ["subnet-c"] }),
      name: "prod2-general",
    },
  ]);
  const diff = diffSynth(base, head);
  expect(summaryLine(diff)).toBe("**0 added, 0 removed, 2 changed (2 replacements)**");
  expect(
    diff.changed.map((c) => [c.key, c.fields.filter((f) => f.replaces).map((f) => f.path)]),
  ).toEqual([
    ["eks:index:Cluster::cluster", ["name", "privateSubnetIds"]],
    ["eks:index:ManagedNodeGroup::prod2-general", ["amiType", "subnetIds"]],
  ]);
  expect(renderMarkdown(diff)).toContain(
    "Resource names containing `prod` were matched as `prod2`.",
  );
});

test("no differences says so; long output is cut below the limit with a notice", () => {
  expect(renderMarkdown(diffSynth(stack("prod", [cluster]), stack("prod", [cluster])))).toBe(
    "**0 added, 0 removed, 0 changed (0 replacements)**\n\nStack `prod`: base → head. Secrets show as `[secret]`.\n\nNo differences.\n",
  );
  const many = Array.from({ length: 200 }, (_, i) => rec("aws:sqs/queue:Queue", `q${i}`, {}));
  const cut = renderMarkdown(diffSynth(stack("prod", []), stack("prod", many)), { maxChars: 2000 });
  expect(cut.length).toBeLessThanOrEqual(2000);
  expect(cut.startsWith("**200 added, 0 removed, 0 changed (0 replacements)**")).toBe(true);
  expect(cut).toContain("_… truncated: the full diff has");
});

describe("the diff CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "synth-diff-"));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const run = (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const o = jest
      .spyOn(process.stdout, "write")
      .mockImplementation((s) => (out.push(String(s)), true));
    const e = jest
      .spyOn(process.stderr, "write")
      .mockImplementation((s) => (err.push(String(s)), true));
    try {
      return { code: main(args), out: out.join(""), err: err.join("") };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };

  test("prints the Markdown diff of two synth files", () => {
    const base = write("base.json", stack("prod", [cluster]));
    const head = write("head.json", stack("prod", [with_(cluster, { version: "1.35" })]));
    const { code, out } = run([base, head]);
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("**0 added, 0 removed, 1 changed (0 replacements)**");
  });

  test("rejects a file that is not a synth result, naming the problem", () => {
    const base = write("bad.json", { stack: "prod", resources: [{ type: "t" }] });
    const { code, err } = run([base, base]);
    expect(code).toBe(2);
    expect(err).toBe(
      `${base}: not a synth file (resources.0.name: Invalid input: expected string, received undefined)\n`,
    );
  });

  test("explains its usage when given the wrong arguments", () => {
    expect(run(["only-one.json"])).toEqual({
      code: 2,
      out: "",
      err: "usage: npm run diff -- <base.json> <head.json> [--max-chars N]\n",
    });
  });
});
