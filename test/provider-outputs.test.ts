// The outputs the library needs from a provider (components/provider-outputs.ts), and what plain
// echo-the-inputs mocks get instead of a crash inside the library: the resource, the missing
// output and what the mocks must return.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { PROVIDER_OUTPUTS } from "../components/provider-outputs";
import { createMocks } from "../synth/mocks";

const valueAt = (state: Record<string, unknown>, dotted: string): unknown =>
  dotted
    .split(".")
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], state);

test.each(Object.entries(PROVIDER_OUTPUTS))(
  "eks-blueprint/testing's mocks return every output the library reads of %s",
  async (type, outputs) => {
    const inputs = { name: "orders", version: "1.35" };
    const { state } = await createMocks([]).newResource({ type, name: "orders", inputs });
    expect(outputs.filter((o) => valueAt(state, o) === undefined)).toEqual([]);
  },
);

// In a process of its own: each failed registration is an unhandled rejection, which fails the
// jest run (tools/jest/setup.cjs). The program is what a consumer's first test looks like.
const ECHO_MOCKS_PROGRAM = `
  const pulumi = require("@pulumi/pulumi");
  const failures = new Set();
  process.on("unhandledRejection", (e) => failures.add(e instanceof Error ? e.message : String(e)));
  pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: (a) => a.inputs },
    "consumer",
    "test",
  );
  const { EksBlueprint } = require("./components/index.ts");
  new EksBlueprint("orders", {
    clusterName: "orders",
    kubernetesVersion: "1.35",
    region: "us-west-2",
    network: { cidrBlock: "10.40.0.0/16", availabilityZones: 2 },
    nodeGroups: { general: { architecture: "arm64", instanceTypes: ["m7g.large"], minSize: 1, maxSize: 2 } },
    addons: { reloader: {} },
  });
  // When nothing is left to run: every registration has settled, failed ones reported.
  process.once("beforeExit", () => console.log(JSON.stringify([...failures])));`;

test("echo-the-inputs mocks get an error naming the missing output and what to return", () => {
  const options = { cwd: path.join(__dirname, ".."), encoding: "utf8" } as const;
  const args = ["--require", "./tools/run/register.cjs", "-e", ECHO_MOCKS_PROGRAM];
  const failures = JSON.parse(execFileSync(process.execPath, args, options)) as string[];
  expect(failures.length).toBeGreaterThan(0);
  // Each failure is, or is caused by (`error serializing property …: <cause>`), a missing output.
  const causes = new Set(
    failures.map((f) => f.replace(/^(error serializing property "\w+": )+/, "")),
  );
  expect(
    [...causes].filter((c) => !/^[\w:/]+ "[\w-]+" has no [\w.]+\. Only a provider/.test(c)),
  ).toEqual([]);
  expect([...causes][0]).toMatch(
    /^awsx:ec2:Vpc "orders-network" has no \w+SubnetIds\. .*eks-blueprint reads awsx:ec2:Vpc: vpcId, publicSubnetIds, privateSubnetIds; eks:index:Cluster: .*; aws:iam\/role:Role: arn\. createMocks from "eks-blueprint\/testing" returns them all\.$/,
  );
});
