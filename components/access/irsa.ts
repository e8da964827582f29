import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arnName, irsaAnnotation, irsaTrustPolicy, stableJson } from "./irsa-policy";
import { dnsLabelProblems } from "../kubernetes-names";
import { throwProblems, under, problemList } from "../problems";
import { providerOutput } from "../provider-outputs";
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
   * IAM role name, at most 64 characters; `<clusterName>-<purpose>` keeps clusters apart.
   * @default Pulumi's autonaming: the logical name and a random suffix, unique per stack
   */
  roleName?: string;
  /** Managed policy ARNs, attachments named after each (names must differ). @default none */
  managedPolicyArns?: string[];
  /** Inline permissions policy (JSON). @default none: the role has only its trust policy */
  policy?: pulumi.Input<string>;
  /** Tags for the role. @default none */
  tags?: Record<string, string>;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/(.+\/)?[\w+=,.@-]+$/;

/** A policy attachment's name: the policy's, never its place in the list. */
export const managedPolicyAttachmentName = (name: string, policyArn: string): string =>
  `${name}-${arnName(policyArn)}`;

/** Every problem with an IrsaRole's args, keyed by `path`. */
export function irsaRoleProblems(
  args: Pick<IrsaRoleArgs, "namespace" | "serviceAccount" | "roleName" | "managedPolicyArns">,
  path = under(""),
): string[] {
  const [out, add] = problemList([
    ...dnsLabelProblems(args.namespace, path("namespace")),
    ...dnsLabelProblems(args.serviceAccount, path("serviceAccount"), "service account name"),
  ]);
  if (args.roleName !== undefined && !ROLE_NAME.test(args.roleName)) {
    add(
      path("roleName"),
      "not an IAM role name",
      args.roleName,
      "use at most 64 letters, digits and +=,.@_-",
    );
  }
  const arns = args.managedPolicyArns ?? [];
  arns.forEach((arn, i) => {
    const at = `${path("managedPolicyArns")}[${i}]`;
    if (!POLICY_ARN.test(arn)) {
      add(at, "not an IAM policy ARN", arn, "use arn:aws:iam::<account or aws>:policy/<name>");
    } else if (arns.findIndex((a) => arnName(a) === arnName(arn)) !== i) {
      add(
        at,
        "a second policy with the same name; attachments are named after the policy",
        arn,
        "attach each policy once, and give policies of the same name distinct names",
      );
    }
  });
  return out;
}

/**
 * The role `name` that `assumeRolePolicy` trusts, with its managed and inline policies; each
 * managed policy's attachment is `<name>-<policy name>`.
 */
export function permittedRole(
  name: string,
  assumeRolePolicy: pulumi.Input<string>,
  args: Pick<IrsaRoleArgs, "roleName" | "managedPolicyArns" | "policy" | "tags">,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(
    name,
    { name: args.roleName, assumeRolePolicy, tags: args.tags },
    { parent },
  );
  const attachments = (args.managedPolicyArns ?? []).map(
    (policyArn) =>
      new aws.iam.RolePolicyAttachment(
        managedPolicyAttachmentName(name, policyArn),
        { role: role.name, policyArn },
        { parent },
      ),
  );
  // Inline policy names are per role, so a fixed one cannot collide; autonamed otherwise.
  const policyName = args.roleName ? `${args.roleName}-permissions` : undefined;
  if (args.policy) {
    const policy = { name: policyName, role: role.name, policy: args.policy };
    new aws.iam.RolePolicy(`${name}-permissions`, policy, { parent });
  }
  return { role, attachments };
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
    // Autonamed: a logical name ("orders-api") collides across stacks; no cluster name is known.
    this.role = permittedRole(name, trust, args, this).role;
    this.roleArn = providerOutput(this.role.arn, "aws:iam/role:Role", name, "arn");
    this.serviceAccountAnnotations = this.roleArn.apply(irsaAnnotation);
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
