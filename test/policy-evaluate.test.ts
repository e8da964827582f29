import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorCount, type Finding } from "../policy/findings";
import { evaluatePolicies, formatViolations, rules } from "../policy/rules";
import { cluster, CLUSTER_NAME, nodeGroup, patch, PUBLIC_SUBNET, release } from "./policy-fixtures";

test("evaluatePolicies judges a stack with facts from its own resources, sorted by rule then resource", () => {
  const resources = [
    patch(release, { values: { txtOwnerId: "someone-else" } }),
    patch(nodeGroup, { subnetIds: [PUBLIC_SUBNET] }),
    cluster,
  ];
  const violations = evaluatePolicies(
    { stack: "prod", resources },
    { stack: "prod", production: true },
  );
  expect(violations).toEqual([
    {
      rule: "externaldns-owner-is-cluster",
      severity: "error",
      subject: "kubernetes:helm.sh/v3:Release::external-dns",
      message: `values.txtOwnerId is "someone-else", not the cluster name (${CLUSTER_NAME})`,
    },
    {
      rule: "nodes-private-subnets",
      severity: "error",
      subject: "eks:index:ManagedNodeGroup::general",
      message: `subnetIds include public subnets ${PUBLIC_SUBNET}`,
    },
  ]);
});

test("a compliant stack has no violations, and production rules stay quiet outside production", () => {
  const resources = [cluster, nodeGroup, release];
  expect(
    evaluatePolicies({ stack: "prod", resources }, { stack: "prod", production: true }),
  ).toEqual([]);
  const unprotected = [patch(cluster, {}, false)];
  expect(
    evaluatePolicies({ stack: "dev", resources: unprotected }, { stack: "dev", production: false }),
  ).toEqual([]);
  expect(
    evaluatePolicies(
      { stack: "prod", resources: unprotected },
      { stack: "prod", production: true },
    ).map((v) => v.rule),
  ).toEqual(["production-protected"]);
});

test("formatViolations groups by rule, mandatory first, and counts", () => {
  const violations: Finding[] = [
    {
      rule: "kms-deletion-window",
      severity: "warning",
      subject: "aws:kms/key:Key::k",
      message: "deletionWindowInDays is 7",
    },
    {
      rule: "log-group-retention",
      severity: "error",
      subject: "aws:cloudwatch/logGroup:LogGroup::b",
      message: "m2",
    },
    {
      rule: "log-group-retention",
      severity: "error",
      subject: "aws:cloudwatch/logGroup:LogGroup::a",
      message: "m1",
    },
  ];
  expect(formatViolations(violations)).toBe(
    [
      "[error] log-group-retention: CloudWatch log groups set a retention period instead of keeping logs (and paying) forever.",
      "  source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html",
      "  - aws:cloudwatch/logGroup:LogGroup::a: m1",
      "  - aws:cloudwatch/logGroup:LogGroup::b: m2",
      "",
      "[warning] kms-deletion-window: KMS keys keep the maximum 30-day deletion window, time to notice and cancel a deletion.",
      "  source: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
      "  - aws:kms/key:Key::k: deletionWindowInDays is 7",
      `policy: 2 mandatory, 1 advisory violation(s) from ${rules.length} rules`,
      "",
    ].join("\n"),
  );
  expect(errorCount(violations)).toBe(2);
});

test("formatViolations with nothing to report still prints the count line", () => {
  expect(formatViolations([])).toBe(
    `policy: 0 mandatory, 0 advisory violation(s) from ${rules.length} rules\n`,
  );
});

test("rule ids are unique, kebab-case, and every rule cites a https reference", () => {
  const ids = rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of rules) {
    expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(r.link).toMatch(/^https:\/\//);
  }
});

test("policy/README.md lists every rule with its enforcement level", () => {
  const readme = readFileSync(join(__dirname, "..", "policy", "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` +\| (mandatory|advisory) +\|/gm)].map(
    (m) => [m[1], m[2]],
  );
  expect(rows).toEqual(rules.map((r) => [r.id, r.enforcement]));
});
