import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "./irsa-policy";
import { managedPolicyArn, serviceTrustPolicy } from "./cluster-settings";

export interface FargateSelector {
  namespace: string;
  /** Pods must carry all these labels. @default any pod in the namespace */
  labels?: Record<string, string>;
}

export interface FargateProfilesArgs {
  /** EKS cluster name; profile and pod execution role names derive from it. */
  clusterName: string;
  /**
   * The cluster's name as an output of the cluster resource (`Cluster.clusterNameOutput`): each
   * profile's `clusterName`, so every profile waits for the cluster through its inputs.
   */
  cluster: pulumi.Input<string>;
  /** Private subnets (Fargate pods never run in public subnets). */
  subnetIds: pulumi.Input<string[]>;
  /** Profiles by short name; the EKS profile name is `<clusterName>-<name>`. */
  profiles: Record<string, { selectors: FargateSelector[] }>;
  /** AWS region of the cluster, for the pod execution role's confused-deputy condition. */
  region: string;
  /** AWS account id of the cluster, for the same condition. */
  accountId: pulumi.Input<string>;
  /** AWS partition. @default "aws" */
  partition?: string;
  /** Tags for every AWS resource. @default none */
  tags?: Record<string, string>;
}

/**
 * Fargate profiles with one pod execution role. EKS creates or deletes only one Fargate profile
 * at a time per cluster (ResourceInUseException otherwise), so each profile depends on the one
 * before it. https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export class FargateProfiles extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly profiles: aws.eks.FargateProfile[] = [];

  constructor(name: string, args: FargateProfilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:FargateProfiles", name, {}, opts);
    const partition = args.partition ?? "aws";
    // Confused-deputy guard: only this cluster's profiles may use the role.
    const sourceArn = pulumi.interpolate`arn:${partition}:eks:${args.region}:${args.accountId}:fargateprofile/${args.clusterName}/*`;
    this.role = new aws.iam.Role(
      `${name}-pod-execution`,
      {
        name: `${args.clusterName}-fargate`,
        assumeRolePolicy: sourceArn.apply((arn) =>
          stableJson(serviceTrustPolicy("eks-fargate-pods.amazonaws.com", arn)),
        ),
        tags: args.tags,
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-pod-execution`,
      {
        role: this.role.name,
        policyArn: managedPolicyArn(partition, "AmazonEKSFargatePodExecutionRolePolicy"),
      },
      { parent: this },
    );
    let previous: pulumi.Resource[] = [];
    for (const [profile, spec] of Object.entries(args.profiles).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const created: aws.eks.FargateProfile = new aws.eks.FargateProfile(
        `${name}-${profile}`,
        {
          clusterName: args.cluster,
          fargateProfileName: `${args.clusterName}-${profile}`,
          podExecutionRoleArn: this.role.arn,
          subnetIds: args.subnetIds,
          selectors: spec.selectors.map((s) => ({ namespace: s.namespace, labels: s.labels })),
          tags: args.tags,
        },
        { parent: this, dependsOn: [...previous, attachment] },
      );
      this.profiles.push(created);
      previous = [created];
    }
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
