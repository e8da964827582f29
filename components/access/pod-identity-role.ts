import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaRoleProblems, permittedRole } from "./irsa";
import { podIdentityTrustPolicy, stableJson } from "./irsa-policy";
import { throwProblems, under, problemList } from "../problems";

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(.+\/)?[\w+=,.@-]{1,64}$/;

export interface PodIdentityRoleArgs {
  /** The cluster: `Cluster.clusterNameOutput`, so the association waits for it. */
  cluster: pulumi.Input<string>;
  /** Namespace of the service account. */
  namespace: string;
  /** Service account name. */
  serviceAccount: string;
  /**
   * An existing role owned elsewhere (an account baseline): only the association is made, and its
   * trust is its owner's. @default none: the role is created here
   */
  roleArn?: pulumi.Input<string>;
  /**
   * The account whose EKS may assume the created role (`aws:SourceAccount`, against the confused
   * deputy). @default the deploying account (`aws.getCallerIdentity`)
   */
  accountId?: pulumi.Input<string>;
  /** Clusters the new role trusts (`eks-cluster-name` tag). @default none: any in the account */
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

/** PodIdentityRole problems, keyed by `path`: IrsaRole's, `roleArn`'s, and ignored permissions. */
export function podIdentityRoleProblems(
  args: Pick<
    PodIdentityRoleArgs,
    "namespace" | "serviceAccount" | "roleName" | "managedPolicyArns" | "trustedClusters"
  > & { roleArn?: unknown; policy?: unknown },
  path = under(""),
): string[] {
  const [out, add] = problemList(irsaRoleProblems(args, path));
  if (args.roleArn === undefined) return out;
  if (typeof args.roleArn === "string" && !ROLE_ARN.test(args.roleArn)) {
    add(
      path("roleArn"),
      "not an IAM role ARN",
      args.roleArn,
      "use arn:aws:iam::<account>:role/<name>",
    );
  }
  const given = (["roleName", "managedPolicyArns", "policy", "trustedClusters"] as const).filter(
    (k) => args[k] !== undefined,
  );
  if (given.length > 0) {
    add(
      path("roleArn"),
      `an existing role, so ${given.join(", ")} would not apply`,
      args.roleArn,
      "leave the role's permissions and trust to its owner, or drop roleArn to create it here",
    );
  }
  return out;
}

/**
 * EKS Pod Identity for one service account: a role trusted by `pods.eks.amazonaws.com` (or an
 * existing one) and its association in one cluster; no annotation. Fargate pods keep IrsaRole: the
 * agent is a DaemonSet on EC2 nodes, and EKS does not support Fargate
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html#pod-id-considerations).
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
      const account = args.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId;
      const trust = pulumi
        .output(account)
        .apply((accountId) =>
          stableJson(
            podIdentityTrustPolicy({ ...args, clusterNames: args.trustedClusters, accountId }),
          ),
        );
      this.role = permittedRole(name, trust, args, this).role;
      this.roleArn = this.role.arn;
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
