import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaRoleProblems, managedPolicyAttachmentName } from "./irsa";
import { podIdentityTrustPolicy, stableJson } from "./irsa-policy";
import { problem, throwProblems, under } from "../problems";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+\/)?[\w+=,.@-]{1,64}$/;

export interface PodIdentityRoleArgs {
  /**
   * The cluster the association goes in: `Cluster.clusterNameOutput`, so the association waits
   * for the cluster through its inputs.
   */
  cluster: pulumi.Input<string>;
  /** Namespace of the service account. */
  namespace: string;
  /** Service account name. */
  serviceAccount: string;
  /**
   * A role that already exists (owned outside this stack, for example by both clusters' account
   * baseline): only the association is made, and the role's trust is left to its owner.
   * @default none: the role is created here
   */
  roleArn?: pulumi.Input<string>;
  /**
   * Cluster names the created role's trust admits (`aws:RequestTag/eks-cluster-name`).
   * @default none: any cluster of the account with an association for this service account
   */
  trustedClusters?: string[];
  /** Physical name of the created role, at most 64 characters. @default Pulumi's autonaming */
  roleName?: string;
  /** Managed policy ARNs to attach to the created role. @default none */
  managedPolicyArns?: string[];
  /** Inline permissions policy (JSON) of the created role. @default none */
  policy?: pulumi.Input<string>;
  /** Tags for the role and the association. @default none */
  tags?: Record<string, string>;
}

/**
 * Every problem with a PodIdentityRole's args, keyed by `path`: the IRSA role's own checks
 * (namespace, service account, role name, policy ARNs), an existing role's ARN, and permissions
 * given for a role this component does not create.
 */
export function podIdentityRoleProblems(
  args: Pick<
    PodIdentityRoleArgs,
    "namespace" | "serviceAccount" | "roleName" | "managedPolicyArns" | "trustedClusters"
  > & { roleArn?: unknown; policy?: unknown },
  path = under(""),
): string[] {
  const out = irsaRoleProblems(args, path);
  if (args.roleArn === undefined) return out;
  if (typeof args.roleArn === "string" && !ROLE_ARN.test(args.roleArn)) {
    out.push(
      problem(
        path("roleArn"),
        "not an IAM role ARN",
        args.roleArn,
        "use arn:aws:iam::<account>:role/<name>",
      ),
    );
  }
  const given = (["roleName", "managedPolicyArns", "policy", "trustedClusters"] as const).filter(
    (k) => args[k] !== undefined,
  );
  if (given.length > 0) {
    out.push(
      problem(
        path("roleArn"),
        `an existing role, so ${given.join(", ")} would not apply`,
        args.roleArn,
        "leave the role's permissions and trust to its owner, or drop roleArn to create it here",
      ),
    );
  }
  return out;
}

/**
 * EKS Pod Identity for one service account: an IAM role trusted by `pods.eks.amazonaws.com`
 * (never a cluster's OIDC issuer), or an existing role, and the association that maps the
 * service account to it in one cluster. The service account needs no annotation.
 *
 * Not for Fargate pods: Pod Identity runs through the agent DaemonSet on EC2 nodes, and EKS
 * lists Fargate among what it does not support
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html#pod-id-considerations):
 * they keep IRSA (IrsaRole).
 */
export class PodIdentityRole extends pulumi.ComponentResource {
  /** The created role. @default none when `roleArn` names an existing one */
  readonly role?: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  readonly association: aws.eks.PodIdentityAssociation;

  constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    throwProblems("PodIdentityRole", name, podIdentityRoleProblems(args));
    super("eks-blueprint:index:PodIdentityRole", name, {}, opts);
    if (args.roleArn !== undefined) this.roleArn = pulumi.output(args.roleArn);
    else {
      const role = new aws.iam.Role(
        name,
        {
          name: args.roleName,
          assumeRolePolicy: stableJson(
            podIdentityTrustPolicy({
              namespace: args.namespace,
              serviceAccount: args.serviceAccount,
              clusterNames: args.trustedClusters,
            }),
          ),
          tags: args.tags,
        },
        { parent: this },
      );
      this.role = role;
      this.roleArn = role.arn;
      for (const policyArn of args.managedPolicyArns ?? []) {
        new aws.iam.RolePolicyAttachment(
          managedPolicyAttachmentName(name, policyArn),
          { role: role.name, policyArn },
          { parent: this },
        );
      }
      if (args.policy) {
        new aws.iam.RolePolicy(
          `${name}-permissions`,
          {
            name: args.roleName ? `${args.roleName}-permissions` : undefined,
            role: role.name,
            policy: args.policy,
          },
          { parent: this },
        );
      }
    }
    this.association = new aws.eks.PodIdentityAssociation(
      `${name}-association`,
      {
        clusterName: args.cluster,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: this.roleArn,
        tags: args.tags,
      },
      { parent: this },
    );
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
