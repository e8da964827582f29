import { ActionCatalog, defaultCatalog, unknownActionReason } from "./iam-actions";
import { conditionValues, isAllow, statementActions, statementsIn } from "./iam-documents";
import { BEST_PRACTICES } from "./rules-cluster";
import { PolicyResource, Rule } from "./types";
import { strings } from "./values";

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
const webIdentityTrustProblems = (r: PolicyResource): string[] =>
  statementsIn({ assumeRolePolicy: r.inputs.assumeRolePolicy }).flatMap(({ s, label }) => {
    const actions = strings(s.Action).map((a) => a.toLowerCase());
    if (!isAllow(s) || !actions.some((a) => a === WEB_IDENTITY || a === "sts:*" || a === "*"))
      return [];
    return [":sub", ":aud"].flatMap((claim) => {
      const values = conditionValues(s, ["StringEquals", "StringLike"], claim);
      if (!values?.length)
        return [
          `${label} has no ${claim} condition: tokens with any ${claim.slice(1)} are accepted`,
        ];
      return hasWildcard(values)
        ? [`${label} ${claim} condition uses a wildcard (${values.join(", ")})`]
        : [];
    });
  });

/** Allow statements that amount to administrator: `*` or `iam:*` on every resource, or NotAction. */
const adminStatementProblems = (r: PolicyResource): string[] =>
  statementsIn(r.inputs).flatMap(({ s, label }) => {
    if (!isAllow(s) || !strings(s.Resource).includes("*")) return [];
    const broad = strings(s.Action).filter((a) => ["*", "*:*", "iam:*"].includes(a.toLowerCase()));
    return [
      ...(broad.length ? [`${label} allows ${broad.join(", ")} on Resource "*"`] : []),
      ...(s.NotAction !== undefined
        ? [`${label} allows everything but NotAction on Resource "*"`]
        : []),
    ];
  });

function administratorAccessProblems(r: PolicyResource): string[] {
  const arns = r.type === ROLE ? strings(r.inputs.managedPolicyArns) : strings(r.inputs.policyArn);
  return arns.filter((a) => ADMINISTRATOR_ACCESS.test(a)).map((a) => `attaches ${a}`);
}

/** Every action in every policy document must exist in AWS's service authorization data. */
export const unknownActionProblems = (
  r: PolicyResource,
  catalog: ActionCatalog = defaultCatalog(),
): string[] =>
  statementsIn(r.inputs).flatMap(({ s, label }) =>
    statementActions(s).flatMap((action) => {
      const reason = unknownActionReason(action, catalog);
      return reason ? [`${label}: ${reason}`] : [];
    }),
  );

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
