import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesMinor } from "../cluster/kubernetes-versions";

/** What add-ons know of their cluster, built by the blueprint; add-ons never read Pulumi config. */
export interface AddonContext {
  /** Known up front (names, labels); for an AWS resource's `clusterName` input use `cluster`. */
  clusterName: string;
  /**
   * The name as an output (`Cluster.clusterNameOutput`), for AWS resources' `clusterName` inputs:
   * CreateAddon then waits for the cluster, UpdateAddon for a control-plane upgrade.
   */
  cluster: pulumi.Output<string>;
  /** Kubernetes minor version of the cluster, for example "1.35". */
  kubernetesVersion: KubernetesMinor;
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
  /** EKS's cluster security group, on managed nodes. @default none: EFS cannot be installed */
  clusterSecurityGroupId?: pulumi.Input<string>;
}
