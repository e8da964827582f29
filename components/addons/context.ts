import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * What every add-on needs to know about the cluster it is installed on. Built once by the
 * blueprint from the Cluster and Network components; add-ons never read Pulumi config.
 */
export interface AddonContext {
  /**
   * EKS cluster name, known before anything registers. Physical names, owner ids, log groups and
   * metric labels derive from it. Not for the `clusterName` input of an AWS resource: use `cluster`.
   */
  clusterName: string;
  /**
   * The same name as an output of the cluster resource (`Cluster.clusterNameOutput`). Every AWS
   * resource that names the cluster (EKS add-ons, access entries, pod identity associations,
   * Fargate profiles) takes its `clusterName` from here: the dependency is then in its inputs,
   * so CreateAddon never runs before the cluster exists, nor UpdateAddon before a control-plane
   * upgrade has finished.
   */
  cluster: pulumi.Output<string>;
  /** Kubernetes minor version of the cluster, for example "1.35". */
  kubernetesVersion: string;
  /** AWS region of the cluster, for example "us-west-2". */
  region: string;
  /** AWS account id that owns the cluster. */
  accountId: pulumi.Input<string>;
  /** AWS partition, "aws" unless the cluster lives in GovCloud or China. */
  partition: string;
  /** VPC the cluster runs in. */
  vpcId: pulumi.Input<string>;
  /** ARN of the cluster's IAM OIDC provider (for IRSA roles). */
  oidcProviderArn: pulumi.Input<string>;
  /** OIDC issuer host and path without `https://` (for IRSA trust conditions). */
  oidcIssuer: pulumi.Input<string>;
  /** The one Kubernetes provider built from the cluster's kubeconfig. */
  provider: k8s.Provider;
  /** Resources that must exist before any workload can be scheduled (the node groups). */
  computeReady: pulumi.Input<pulumi.Resource>[];
  /** Tags for every AWS resource an add-on creates. */
  tags: Record<string, string>;
  /** Private subnets, one per zone (EFS mount targets). @default none: EFS cannot be installed */
  privateSubnetIds?: pulumi.Input<string>[];
  /**
   * The security group EKS creates with the cluster (`Cluster.clusterSecurityGroupId`), which
   * managed nodes carry (EFS mount targets admit it). @default none: EFS cannot be installed
   */
  clusterSecurityGroupId?: pulumi.Input<string>;
}
