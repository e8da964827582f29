// The outputs the library needs from a provider (components/provider-outputs.ts), and what plain
// echo-the-inputs mocks get instead of a crash inside the library: the resource, the missing
// output and what the mocks must return.
import * as path from "node:path";
import { PROVIDER_OUTPUTS } from "../components/provider-outputs";
import { createMocks } from "../synth/mocks";
import { backgroundRun } from "../tools/jest/background";

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

// In a process of its own (test/fixtures/echo-mocks.cjs, started by jest's global setup in band:
// tools/jest/background.ts): each failed registration is an unhandled rejection, which would fail
// the jest run (tools/jest/setup.cjs). The program is what a consumer's first test looks like.
test("echo-the-inputs mocks get an error naming the missing output and what to return", async () => {
  const run = await backgroundRun(path.basename(__filename));
  expect([run.code, run.stderr]).toEqual([0, ""]);
  const failures = JSON.parse(run.stdout) as string[];
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
