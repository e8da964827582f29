import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { mockSecurityGroupIds } from "../synth/mocks";
import type { SynthResult } from "../synth/record";
import { synthProgram } from "./day2-context";
import { byType, one, synthStackWith } from "./stack-harness";

// Which group each rule targets, by the mocks' distinct ids: EKS's own cluster group (on managed
// nodes and CoreDNS) versus pulumi-eks's groups, which no managed node carries.
const groups = mockSecurityGroupIds("eks-blueprint-prod2");

let prod2: SynthResult;
beforeAll(async () => {
  prod2 = await synthStackWith("prod2", (c) => {
    (c["eks-blueprint:addons"] as Record<string, unknown>).efs = { enabled: true };
  });
});

describe("the mocks tell the three groups apart", () => {
  test("each group has its own recognisable sg- id", () => {
    expect(groups.eksCluster).toMatch(/^sg-0e45c1[0-9a-f]{11}$/);
    expect(groups.pulumiEksCluster).toMatch(/^sg-0b1c1[0-9a-f]{12}$/);
    expect(groups.pulumiEksNode).toMatch(/^sg-0b1e0[0-9a-f]{12}$/);
  });

  test.each([
    [
      "without skipDefaultSecurityGroups, pulumi-eks's own groups",
      false,
      "pulumiEksCluster",
      "pulumiEksNode",
    ],
    [
      "with skipDefaultSecurityGroups, the EKS-created group for both",
      true,
      "eksCluster",
      "eksCluster",
    ],
  ] as const)("an eks.Cluster returns %s", async (_claim, skip, cluster, node) => {
    let seen: Promise<string[]> = Promise.resolve([]);
    await synthProgram(() => {
      const c = new eks.Cluster("mocked", {
        name: "mocked",
        skipDefaultNodeGroup: true,
        skipDefaultSecurityGroups: skip,
      });
      const all = pulumi.all([
        c.clusterSecurityGroupId,
        c.nodeSecurityGroupId,
        c.eksCluster.vpcConfig.clusterSecurityGroupId,
      ]);
      seen = new Promise((resolve) => all.apply(resolve));
    });
    const ids = mockSecurityGroupIds("mocked");
    expect(await seen).toEqual([ids[cluster], ids[node], ids.eksCluster]);
  });
});

describe("rules target the group EKS creates, which the nodes carry", () => {
  test("the cluster skips pulumi-eks's own security groups and their node-group tags", () => {
    const cluster = one(prod2, "eks:index:Cluster");
    expect(cluster.inputs.skipDefaultSecurityGroups).toBe(true);
    expect(cluster.inputs.nodeSecurityGroupTags).toBeUndefined();
  });

  test("the pod security group's DNS rules go to and from the EKS-created group", () => {
    const dns = [
      ...byType(prod2, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
      ...byType(prod2, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
    ]
      .filter((r) => r.inputs.fromPort === 53)
      .map((r) => [r.name, r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId]);
    const pod = one(prod2, "aws:ec2/securityGroup:SecurityGroup", "prod2-workloads-api-server");
    const podId = `[sg of ${pod.name}]`;
    expect(
      dns.map(([n, sg, ref]) => [
        n,
        sg === groups.eksCluster ? "eks" : podId,
        ref === groups.eksCluster ? "eks" : podId,
      ]),
    ).toEqual([
      ["prod2-workloads-api-server-dns-tcp-egress", podId, "eks"],
      ["prod2-workloads-api-server-dns-udp-egress", podId, "eks"],
      ["prod2-workloads-api-server-dns-tcp-cluster-ingress", "eks", podId],
      ["prod2-workloads-api-server-dns-udp-cluster-ingress", "eks", podId],
    ]);
  });

  test("only the EKS-created group may reach NFS on the EFS mount targets", () => {
    expect(
      one(prod2, "aws:ec2/securityGroup:SecurityGroup", "prod2-platform-addons-efs-nfs").inputs
        .ingress,
    ).toEqual([
      { protocol: "tcp", fromPort: 2049, toPort: 2049, securityGroups: [groups.eksCluster] },
    ]);
  });

  test("no input anywhere names one of pulumi-eks's own groups", () => {
    const text = JSON.stringify(prod2.resources.map((r) => r.inputs));
    expect(text).not.toContain(groups.pulumiEksCluster);
    expect(text).not.toContain(groups.pulumiEksNode);
  });
});
