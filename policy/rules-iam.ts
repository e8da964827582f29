import { ActionCatalog, defaultCatalog, unknownActionReason } from "./iam-actions";
import {
  conditionValues,
  isAllow,
  policyDocuments,
  statementActions,
  statementLabel,
} from "./iam-documents";
import { BEST_PRACTICES } from "./rules-cluster";
import { PolicyResource, Rule } from "./types";
import { parseJson, strings } from "./values";

const ROLE = "aws:iam/role:Role";
const WEB_IDENTITY = "sts:assumerolewithwebidentity";
const ATTACHMENTS = [
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
];
const ADMINISTRATOR_ACCESS = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

const hasWildcard = (values: string[]) => values.some((v) => /[*?]/.test(v));

/** Web-identity (IRSA) statements must pin the token's subject and audience to exact values. */
function webIdentityTrustProblems(r: PolicyResource): string[] {
  const doc = parseJson(r.inputs.assumeRolePolicy);
  if (doc === undefined) return [];
  const problems: string[] = [];
  for (const found of policyDocuments({ assumeRolePolicy: doc })) {
    found.statements.forEach((s, i) => {
      const actions = strings(s.Action).map((a) => a.toLowerCase());
      if (!isAllow(s) || !actions.some((a) => a === WEB_IDENTITY || a === "sts:*" || a === "*"))
        return;
      for (const claim of [":sub", ":aud"]) {
        const values = conditionValues(s, ["StringEquals", "StringLike"], claim);
        if (!values?.length) {
          problems.push(
            `${statementLabel(found, i)} has no ${claim} condition: tokens with any ${claim.slice(1)} are accepted`,
          );
        } else if (hasWildcard(values)) {
          problems.push(
            `${statementLabel(found, i)} ${claim} condition uses a wildcard (${values.join(", ")})`,
          );
        }
      }
    });
  }
  return problems;
}

/** Allow statements that amount to administrator: `*` or `iam:*` on every resource, or NotAction. */
function adminStatementProblems(r: PolicyResource): string[] {
  const problems: string[] = [];
  for (const doc of policyDocuments(r.inputs)) {
    doc.statements.forEach((s, i) => {
      if (!isAllow(s) || !strings(s.Resource).includes("*")) return;
      const broad = strings(s.Action).filter((a) =>
        ["*", "*:*", "iam:*"].includes(a.toLowerCase()),
      );
      if (broad.length)
        problems.push(`${statementLabel(doc, i)} allows ${broad.join(", ")} on Resource "*"`);
      if (s.NotAction !== undefined) {
        problems.push(`${statementLabel(doc, i)} allows everything but NotAction on Resource "*"`);
      }
    });
  }
  return problems;
}

function administratorAccessProblems(r: PolicyResource): string[] {
  const arns = r.type === ROLE ? strings(r.inputs.managedPolicyArns) : strings(r.inputs.policyArn);
  return arns.filter((a) => ADMINISTRATOR_ACCESS.test(a)).map((a) => `attaches ${a}`);
}

/** Every action in every policy document must exist in AWS's service authorization data. */
export function unknownActionProblems(
  r: PolicyResource,
  catalog: ActionCatalog = defaultCatalog(),
): string[] {
  const problems: string[] = [];
  for (const doc of policyDocuments(r.inputs)) {
    doc.statements.forEach((s, i) => {
      for (const action of statementActions(s)) {
        const reason = unknownActionReason(action, catalog);
        if (reason) problems.push(`${statementLabel(doc, i)}: ${reason}`);
      }
    });
  }
  return problems;
}

export const iamRules: Rule[] = [
  {
    id: "irsa-trust-pins-sub-and-aud",
    description:
      "Every web-identity (IRSA) trust statement pins the token's :sub and :aud claims to exact values.",
    enforcement: "mandatory",
    // Without :sub any service account in the cluster can assume the role; without :aud a token
    // minted for another audience can be replayed.
    link: `${BEST_PRACTICES}/identity-and-access-management.html`,
    types: [ROLE],
    check: webIdentityTrustProblems,
  },
  {
    id: "iam-no-admin-statements",
    description: 'No IAM statement allows Action "*" or "iam:*" (or NotAction) on Resource "*".',
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    types: ["*"],
    check: adminStatementProblems,
  },
  {
    id: "iam-no-administrator-access",
    description: "No role, user or group gets the AWS managed AdministratorAccess policy.",
    enforcement: "mandatory",
    link: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    types: [ROLE, ...ATTACHMENTS],
    check: administratorAccessProblems,
  },
  {
    id: "iam-actions-exist",
    description: "Every IAM action the program writes exists in AWS's service authorization data.",
    enforcement: "mandatory",
    // A misspelt action is silently ignored by IAM: the controller gets AccessDenied in production.
    link: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    types: ["*"],
    check: (r) => unknownActionProblems(r),
  },
];
