// The orders team's own Pulumi program, built on eks-blueprint through its public API only: one
// cluster from EksBlueprint with two add-ons (metrics-server and Reloader) and one IRSA role of the
// team's own. tools/pack/consumer-check.ts installs the library from its packed tarball into this
// project, type-checks and builds this file and synthesizes it under the repository's mocks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  addons,
  EksBlueprint,
  IrsaRole,
  partitionOf,
  stableJson,
  statementsPolicy,
} from "eks-blueprint";

const region = new pulumi.Config("aws").require("region");
const clusterName = `orders-${pulumi.getStack()}`;
const tags = { team: "orders" };

// Two add-ons: Reloader, and metrics-server (on by default; here with its replica count).
// cluster-autoscaler, the default autoscaler, is switched off: this example scales by hand.
const selection: addons.AddonSelection = {
  reloader: {},
  metricsServer: { replicas: 2 },
  clusterAutoscaler: { enabled: false },
};

const platform = new EksBlueprint("orders", {
  clusterName,
  kubernetesVersion: "1.35",
  region,
  network: { cidrBlock: "10.40.0.0/16", availabilityZones: 2, natGateways: "Single" },
  nodeGroups: {
    general: {
      architecture: "arm64",
      instanceTypes: ["m7g.large", "m6g.large"],
      minSize: 2,
      maxSize: 6,
    },
  },
  addons: selection,
  tags,
});

// The orders API reads and deletes messages on its queue with web-identity credentials that only
// the orders/orders-api service account can obtain; no node role is involved.
const accountId = aws.getCallerIdentityOutput().accountId;
const queueArn = pulumi.interpolate`arn:${partitionOf(region)}:sqs:${region}:${accountId}:orders`;
const ordersApi = new IrsaRole("orders-api", {
  oidcProviderArn: platform.cluster.oidcProviderArn,
  oidcIssuer: platform.cluster.oidcIssuer,
  namespace: "orders",
  serviceAccount: "orders-api",
  roleName: `${clusterName}-orders-api`,
  policy: queueArn.apply((arn) =>
    stableJson(
      statementsPolicy([
        {
          effect: "Allow",
          actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
          resources: [arn],
        },
      ]),
    ),
  ),
  tags,
});

export const kubeconfig = platform.cluster.kubeconfig;
export const ordersApiRoleArn = ordersApi.roleArn;
export const ordersApiServiceAccountAnnotations = ordersApi.serviceAccountAnnotations;
