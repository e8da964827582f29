import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaAnnotation, irsaTrustPolicy, stableJson } from "./irsa-policy";
import { dnsLabelProblems } from "../kubernetes-names";
import { problem, throwProblems, under } from "../problems";
import { withRenames } from "../renames";

export interface IrsaRoleArgs {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** OIDC issuer host and path, without `https://`. */
  oidcIssuer: pulumi.Input<string>;
  /** Namespace of the service account. */
  namespace: string;
  /** Service account name. */
  serviceAccount: string;
  /**
   * Physical IAM role name, at most 64 characters. Derive it from the cluster name
   * (`<clusterName>-<purpose>`) so two clusters in one account never collide.
   * @default Pulumi's autonaming: the logical name and a random suffix, unique per stack
   */
  roleName?: string;
  /**
   * Managed policy ARNs to attach; each attachment is named after the policy (the ARN's last
   * segment), so the names must differ. @default none
   */
  managedPolicyArns?: string[];
  /** Inline permissions policy (JSON). @default none: the role has only its trust policy */
  policy?: pulumi.Input<string>;
  /** Tags for the role. @default none */
  tags?: Record<string, string>;
}

/** IAM's limit on a role name, and the characters it takes. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/;

/** The policy's name, the last segment of its ARN (`…:policy/service-role/AmazonEBSCSIDriverPolicy`). */
export const policyNameOf = (policyArn: string): string => policyArn.split("/").pop() ?? policyArn;

/** The attachment of one managed policy: named after the policy, never its place in the list. */
export const managedPolicyAttachmentName = (name: string, policyArn: string): string =>
  `${name}-${policyNameOf(policyArn)}`;

/** Every problem with an IrsaRole's args, keyed by `path` (its fields, as the caller typed them). */
export function irsaRoleProblems(
  args: Pick<IrsaRoleArgs, "namespace" | "serviceAccount" | "roleName" | "managedPolicyArns">,
  path = under(""),
): string[] {
  const out = [
    ...dnsLabelProblems(args.namespace, path("namespace")),
    ...dnsLabelProblems(args.serviceAccount, path("serviceAccount"), "service account name"),
  ];
  if (args.roleName !== undefined && !ROLE_NAME.test(args.roleName)) {
    out.push(
      problem(
        path("roleName"),
        "not an IAM role name",
        args.roleName,
        "use at most 64 letters, digits and +=,.@_-",
      ),
    );
  }
  const arns = args.managedPolicyArns ?? [];
  arns.forEach((arn, i) => {
    const at = `${path("managedPolicyArns")}[${i}]`;
    if (!POLICY_ARN.test(arn)) {
      out.push(
        problem(
          at,
          "not an IAM policy ARN",
          arn,
          "use arn:aws:iam::<account or aws>:policy/<name>",
        ),
      );
    } else if (arns.findIndex((a) => policyNameOf(a) === policyNameOf(arn)) !== i) {
      out.push(
        problem(
          at,
          "a second policy with the same name; attachments are named after the policy",
          arn,
          "attach each policy once, and give policies of the same name distinct names",
        ),
      );
    }
  });
  return out;
}

/** An IAM role that exactly one Kubernetes service account may assume through the cluster's OIDC provider. */
export class IrsaRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  /** Put these on the service account (`metadata.annotations` or a chart's `serviceAccount.annotations`). */
  readonly serviceAccountAnnotations: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("IrsaRole", name, irsaRoleProblems(args));
    const positions = new Map(
      (args.managedPolicyArns ?? []).map((arn, i) => [managedPolicyAttachmentName(name, arn), i]),
    );
    super("eks-blueprint:index:IrsaRole", name, {}, withRenames(opts, "IrsaRole", name, positions));
    const trust = pulumi
      .all([args.oidcProviderArn, args.oidcIssuer])
      .apply(([oidcProviderArn, oidcIssuer]) =>
        stableJson(irsaTrustPolicy({ ...args, oidcProviderArn, oidcIssuer })),
      );
    // No fixed name by default: the logical name alone ("orders-api") would collide between two
    // stacks in one account, and IrsaRole does not know the cluster name to derive one from.
    this.role = new aws.iam.Role(
      name,
      { name: args.roleName, assumeRolePolicy: trust, tags: args.tags },
      { parent: this },
    );
    for (const policyArn of args.managedPolicyArns ?? []) {
      new aws.iam.RolePolicyAttachment(
        managedPolicyAttachmentName(name, policyArn),
        { role: this.role.name, policyArn },
        { parent: this },
      );
    }
    if (args.policy) {
      new aws.iam.RolePolicy(
        `${name}-permissions`,
        {
          // Inline policy names are per role, so a fixed one cannot collide; autonamed otherwise.
          name: args.roleName ? `${args.roleName}-permissions` : undefined,
          role: this.role.name,
          policy: args.policy,
        },
        { parent: this },
      );
    }
    this.roleArn = this.role.arn;
    this.serviceAccountAnnotations = this.role.arn.apply(irsaAnnotation);
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
