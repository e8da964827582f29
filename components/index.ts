/**
 * eks-blueprint: production Amazon EKS clusters as Pulumi ComponentResources.
 *
 * The one public entry point (`import { EksBlueprint } from "eks-blueprint"`). Every component,
 * its Args, and every pure builder beside it are re-exported here; test/public-api.test.ts fails when
 * a file under components/ exports something this index does not. Two files exporting the same
 * name is a compile error (TS2308), so a clash cannot silently pick one of them.
 *
 * @packageDocumentation
 */

// The composition: one typed args object, the whole cluster; the in-cluster platform and the
// workloads' AWS access it builds.
export * from "./blueprint";
export * from "./platform";
export * from "./workload-access";
export * from "./namespace";
// Validation: the problem format and the shared rules every component's check uses.
export * from "./problems";
export * from "./cidr";
export * from "./kubernetes-names";
export * from "./node-group-problems";
export * from "./blueprint-problems";

// Network, control plane, core EKS add-ons, compute.
export * from "./network";
export * from "./cluster";
export * from "./cluster-settings";
export * from "./core-addons";
export * from "./node-groups";
export * from "./node-group-identity";
export * from "./node-group-settings";
export * from "./fargate";
export * from "./instance-types";
export * from "./nitro";
export * from "./kubernetes-versions";

// Workload identity and network policy for pods.
export * from "./irsa";
export * from "./irsa-policy";
export * from "./pod-security-group";
export * from "./pod-security-group-rules";

// Helm and EKS managed add-ons: the bundle, each add-on, their catalog and shared helpers.
export * from "./addons/addon";
export * from "./addons/addon-role";
export * from "./addons/bundle";
export * from "./addons/registry";
export * from "./addons/selection";
export * from "./addons/settings";
export * from "./addons/spec";
export * from "./addons/context";
export * from "./addons/catalog";
export * from "./addons/chart-crds";
export * from "./addons/values";
export * from "./addons/namespace";
export * from "./addons/aws-load-balancer-controller";
export * from "./addons/cluster-autoscaler";
export * from "./addons/container-insights";
export * from "./addons/ebs-csi";
export * from "./addons/efs-csi";
export * from "./addons/external-dns";
export * from "./addons/fluent-bit";
export * from "./addons/istio";
export * from "./addons/metrics-server";
export * from "./addons/network-policies";
export * from "./addons/prometheus";
export * from "./addons/reloader";

// Karpenter: the controller, its interruption queue, node pools and IAM.
export * from "./karpenter/karpenter";
export * from "./karpenter/interruption-queue";
export * from "./karpenter/node-pools";
export * from "./karpenter/policy";
