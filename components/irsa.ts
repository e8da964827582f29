import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaAnnotation, irsaTrustPolicy, stableJson } from "./irsa-policy";

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
   * Physical IAM role name. Derive it from the cluster name so two clusters never collide.
   * @default `name`
   */
  roleName?: string;
  /** Managed policy ARNs to attach. @default none */
  managedPolicyArns?: string[];
  /** Inline permissions policy (JSON). @default none: the role has only its trust policy */
  policy?: pulumi.Input<string>;
  /** Tags for the role. @default none */
  tags?: Record<string, string>;
}

/** An IAM role that exactly one Kubernetes service account may assume through the cluster's OIDC provider. */
export class IrsaRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  /** Put these on the service account (`metadata.annotations` or a chart's `serviceAccount.annotations`). */
  readonly serviceAccountAnnotations: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:IrsaRole", name, {}, opts);
    const trust = pulumi
      .all([args.oidcProviderArn, args.oidcIssuer])
      .apply(([oidcProviderArn, oidcIssuer]) =>
        stableJson(irsaTrustPolicy({ ...args, oidcProviderArn, oidcIssuer })),
      );
    this.role = new aws.iam.Role(
      name,
      { name: args.roleName ?? name, assumeRolePolicy: trust, tags: args.tags },
      { parent: this },
    );
    for (const [i, policyArn] of (args.managedPolicyArns ?? []).entries()) {
      new aws.iam.RolePolicyAttachment(
        `${name}-managed-${i}`,
        { role: this.role.name, policyArn },
        { parent: this },
      );
    }
    if (args.policy) {
      new aws.iam.RolePolicy(
        `${name}-permissions`,
        { name: `${args.roleName ?? name}-permissions`, role: this.role.name, policy: args.policy },
        { parent: this },
      );
    }
    this.roleArn = this.role.arn;
    this.serviceAccountAnnotations = this.role.arn.apply(irsaAnnotation);
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
