import * as aws from "@pulumi/aws";
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { synthJson } from "../synth/synth-stack";
import { synthesize } from "../synth/synthesize";
import { BACKGROUND_STACK, backgroundRun } from "../tools/jest/background";
import { renderTree } from "../tools/synth/tree";
import { committedSynth } from "./stack-harness";

test("the README's command, in a process of its own, writes the global setup's bytes", async () => {
  // Started by jest's global setup in band (tools/jest/background.ts), else now.
  const run = await backgroundRun(path.basename(__filename));
  try {
    // Exit 0: the policy checks passed (the program prints their report, here in run.stdout).
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain(`\nwrote ${run.out}`);
    const written = readFileSync(run.out ?? "", "utf8");
    expect(written).toBe(synthJson(committedSynth(BACKGROUND_STACK)));
    const parsed = JSON.parse(written) as { stack: string; resources: Record<string, unknown>[] };
    expect(parsed.stack).toBe(BACKGROUND_STACK);
    for (const r of parsed.resources) {
      const options = Object.keys(r).filter((k) =>
        [
          "read",
          "import",
          "protect",
          "deleteBeforeReplace",
          "retainOnDelete",
          "aliases",
          "provenance",
        ].includes(k),
      );
      expect(Object.keys(r)).toEqual(["type", "name", "parent", "dependsOn", ...options, "inputs"]);
    }
  } finally {
    if (run.out) rmSync(path.dirname(run.out), { recursive: true, force: true });
  }
});

test("every record lists what the engine waits for, by type::name of a synthesized resource", async () => {
  const { resources } = committedSynth("prod2");
  const keys = new Set(resources.map((r) => `${r.type}::${r.name}`));
  for (const r of resources) for (const d of r.dependsOn) expect(keys).toContain(d);
  const addon = resources.find((r) => r.name === "prod2-core-kube-proxy");
  // The cluster through its name output, the Kubernetes provider never (an AWS resource).
  expect(addon?.dependsOn).toEqual(["eks:index:Cluster::prod2-cluster"]);
  const policy = resources.find((r) => r.type.endsWith(":SecurityGroupPolicy"));
  expect(policy?.dependsOn).toEqual(
    expect.arrayContaining([
      "kubernetes:core/v1:Namespace::prod2-teams-ns-api",
      "pulumi:providers:kubernetes::prod2-cluster-k8s",
    ]),
  );
  expect(resources.find((r) => r.type === "eks:index:Cluster")?.protect).toBe(true);
});

test("the tree nests resources under their components and counts them", async () => {
  const result = committedSynth("prod");
  const tree = renderTree(result.resources);
  expect(tree.split("\n")[0]).toBe("└─ prod  (eks-blueprint:index:EksBlueprint)");
  expect(tree).toContain("   ├─ prod-cluster  (eks-blueprint:index:Cluster)");
  expect(tree).toContain(`${result.resources.length} resources:`);
  expect(tree).toMatch(/^\s+1 {2}eks:index:ManagedNodeGroup$/m);
});

test("a record says which output of which resource an input value was taken from", async () => {
  const { resources } = await synthesize(
    { project: "p", stack: "s", config: { "aws:region": "us-west-2" } },
    () => {
      const sg = new aws.ec2.SecurityGroup("pods", { vpcId: "vpc-0123456789abcdef0" });
      new aws.vpc.SecurityGroupIngressRule("dns", {
        securityGroupId: sg.id,
        cidrIpv4: "10.0.0.0/16",
        ipProtocol: "udp",
        description: sg.arn.apply((arn) => `from ${arn}`),
      });
    },
  );
  const rule = resources.find((r) => r.name === "dns");
  // The literal CIDR has no source; an interpolated string depends on sg but is no output of it.
  expect(rule?.provenance).toEqual({
    securityGroupId: [{ resource: "aws:ec2/securityGroup:SecurityGroup::pods", output: "id" }],
  });
  expect(resources.find((r) => r.name === "pods")?.provenance).toBeUndefined();
});
