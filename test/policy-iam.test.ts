import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ActionCatalog, defaultCatalog, unknownActionReason } from "../policy/iam-actions";
import { policyDocuments } from "../policy/iam-documents";
import { unknownActionProblems } from "../policy/rules-iam";
import { res } from "./policy-fixtures";

const catalog = defaultCatalog();

test.each([
  ["ec2:DescribeInstances"],
  ["ec2:Describe*"],
  ["EC2:describeinstances"],
  ["autoscaling:SetDesiredCapacity"],
  ["sts:AssumeRoleWithWebIdentity"],
  ["s3:Get?bject"],
  ["*"],
])("%s is a real IAM action", (action) => {
  expect(unknownActionReason(action, catalog)).toBeUndefined();
});

test.each([
  [
    "ec2:DescribeInstancez",
    '"ec2:DescribeInstancez" is not an action of ec2 (did you mean ec2:DescribeInstances?)',
  ],
  ["ec2:Nonexistent*", '"ec2:Nonexistent*" matches no action of ec2'],
  ["ec3:DescribeInstances", '"ec3:DescribeInstances": no AWS service has the prefix "ec3"'],
  ["DescribeInstances", '"DescribeInstances" is not of the form service:action'],
  ["../../x:y", '"../../x:y": no AWS service has the prefix "../../x"'],
])("%s is rejected", (action, reason) => {
  expect(unknownActionReason(action, catalog)).toBe(reason);
});

test("a far-off name gets no suggestion", () => {
  expect(unknownActionReason("eks:FlyToTheMoon", catalog)).toBe(
    '"eks:FlyToTheMoon" is not an action of eks',
  );
});

test("policyDocuments finds documents in JSON strings, objects and nested lists, and nothing else", () => {
  const doc = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
  };
  const found = policyDocuments({
    assumeRolePolicy: JSON.stringify({ ...doc, Statement: doc.Statement[0] }),
    inlinePolicies: [{ name: "p", policy: JSON.stringify(doc) }],
    kubeconfig: JSON.stringify({ apiVersion: "v1", clusters: [] }),
    tags: { Statement: "not-a-document-value" },
    values: { nested: { policy: doc } },
  });
  expect(found.map((d) => d.path)).toEqual([
    "assumeRolePolicy",
    "inlinePolicies[0].policy",
    "tags",
    "values.nested.policy",
  ]);
  expect(found[0]?.statements).toEqual([doc.Statement[0]]);
  expect(found[2]?.statements).toEqual([]);
});

test("unknownActionProblems checks Action and NotAction of every statement against the catalog it is given", () => {
  const fake: ActionCatalog = { actionsOf: (s) => (s === "svc" ? ["Read", "Write"] : undefined) };
  const role = res("aws:iam/rolePolicy:RolePolicy", "p", {
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Ok", Effect: "Allow", Action: ["svc:Read", "svc:W*"], Resource: "*" },
        { Effect: "Deny", NotAction: "svc:Reed", Resource: "*" },
      ],
    }),
  });
  expect(unknownActionProblems(role, fake)).toEqual([
    'policy Statement[1]: "svc:Reed" is not an action of svc (did you mean svc:Read?)',
  ]);
});

test("every IAM policy document shipped as JSON under components/ uses real actions", () => {
  const root = join(__dirname, "..", "components");
  const jsonFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? jsonFiles(join(dir, e.name))
        : e.name.endsWith(".json")
          ? [join(dir, e.name)]
          : [],
    );
  const problems = jsonFiles(root).flatMap((file) =>
    unknownActionProblems(
      res("aws:iam/policy:Policy", file, { policy: readFileSync(file, "utf8") }),
    ).map((p) => `${file}: ${p}`),
  );
  expect(problems).toEqual([]);
});
