import { BEST_PRACTICES } from "./rules-cluster";
import { EKS_CLUSTER, FARGATE_PROFILE, MANAGED_NODE_GROUP, NODE_GROUP_TYPES } from "./shapes";
import { PolicyResource, Rule } from "./types";
import { list, obj, str, strings } from "./values";
import { valueAt } from "../components/addons/values";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function imdsProblems(r: PolicyResource): string[] {
  if (r.type === LAUNCH_TEMPLATE) {
    const m = obj(r.inputs.metadataOptions);
    // IMDS switched off entirely is stricter still.
    if (m.httpEndpoint === "disabled") return [];
    const problems: string[] = [];
    if (m.httpTokens !== "required") {
      problems.push(
        `metadataOptions.httpTokens is ${JSON.stringify(m.httpTokens ?? null)}, not "required" (IMDSv1 stays on)`,
      );
    }
    if (m.httpPutResponseHopLimit !== 1) {
      problems.push(
        `metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(m.httpPutResponseHopLimit ?? null)}, not 1: pods can fetch the node role's credentials`,
      );
    }
    return problems;
  }
  if (r.type === EKS_CLUSTER) {
    return r.inputs.skipDefaultNodeGroup === true
      ? []
      : [
          "skipDefaultNodeGroup is not true: the default node group's metadata options are not pinned by us",
        ];
  }
  // A managed node group without our launch template gets the EKS default one, whose hop limit is 2.
  const lt = obj(r.inputs.launchTemplate);
  return str(lt.id) || str(lt.name)
    ? []
    : [
        "no launchTemplate: EKS's default template allows IMDS at hop limit 2, so pods can reach it",
      ];
}

function publicSubnetProblems(r: PolicyResource, publicSubnets: string[]): string[] {
  const i = r.inputs;
  if (r.type === EKS_CLUSTER) {
    if (i.nodeAssociatePublicIpAddress === true) return ["nodeAssociatePublicIpAddress is true"];
    return i.skipDefaultNodeGroup !== true && i.nodeAssociatePublicIpAddress !== false
      ? ["the default node group may get public IPs: set nodeAssociatePublicIpAddress: false"]
      : [];
  }
  if (r.type === LAUNCH_TEMPLATE) {
    return list(i.networkInterfaces)
      .filter((n) => String(valueAt(n, "associatePublicIpAddress")) === "true")
      .map(() => "a network interface has associatePublicIpAddress true");
  }
  if (!Array.isArray(i.subnetIds)) {
    // @pulumi/eks defaults a managed node group to all cluster subnets, public ones included.
    return r.type === MANAGED_NODE_GROUP && publicSubnets.length
      ? ["subnetIds not set: @pulumi/eks then uses every cluster subnet, public ones included"]
      : [];
  }
  const inPublic = strings(i.subnetIds).filter((s) => publicSubnets.includes(s));
  return inPublic.length ? [`subnetIds include public subnets ${inPublic.join(", ")}`] : [];
}

export const nodeRules: Rule[] = [
  {
    id: "imdsv2-hop-limit-1",
    description:
      "EC2 nodes require IMDSv2 tokens with a PUT response hop limit of 1, so pods cannot use the node role.",
    enforcement: "mandatory",
    // "Restrict access to the instance profile assigned to the worker node". Pods use IRSA instead;
    // hostNetwork pods still reach IMDS, and the ALB controller must be given vpcId and region.
    link: `${BEST_PRACTICES}/identity-and-access-management.html`,
    types: [LAUNCH_TEMPLATE, EKS_CLUSTER, ...NODE_GROUP_TYPES],
    check: imdsProblems,
  },
  {
    id: "nodes-private-subnets",
    description: "Nodes and Fargate pods run only in private subnets and never get public IPs.",
    enforcement: "mandatory",
    link: `${BEST_PRACTICES}/protecting-the-infrastructure.html`,
    types: [EKS_CLUSTER, LAUNCH_TEMPLATE, FARGATE_PROFILE, ...NODE_GROUP_TYPES],
    crossResource: true,
    check: (r, ctx) => publicSubnetProblems(r, ctx.facts.publicSubnetIds),
  },
];
