// Outputs the library reads that only a provider supplies. Under `pulumi.runtime.setMocks` they come
// from the test's mocks, and mocks that echo the inputs back leave them undefined: `providerOutput`
// says which output of which resource is missing, and what the mocks must return, where the library
// would otherwise fail later on an undefined value (`Cannot read properties of undefined`).
import * as pulumi from "@pulumi/pulumi";

/** Per type token, the outputs the library reads: what a test's mocks must return in `state`. */
export const PROVIDER_OUTPUTS = {
  "awsx:ec2:Vpc": ["vpcId", "publicSubnetIds", "privateSubnetIds"],
  "eks:index:Cluster": [
    "kubeconfigJson",
    "oidcProviderArn",
    "oidcIssuer",
    "clusterSecurityGroupId",
    "eksCluster.name",
    "eksCluster.vpcConfig.clusterSecurityGroupId",
  ],
  "aws:iam/role:Role": ["arn"],
} as const;

type Outputs = typeof PROVIDER_OUTPUTS;
/** One output of `K` the library reads (`"privateSubnetIds"` of `"awsx:ec2:Vpc"`). */
export type ProviderOutput<K extends keyof Outputs> = Outputs[K][number];

/** The error for a missing output: which one, and every output the mocks must return. */
function missingOutputMessage(type: string, name: string, output: string): string {
  const wanted = Object.entries(PROVIDER_OUTPUTS).map(([t, o]) => `${t}: ${o.join(", ")}`);
  return (
    `${type} "${name}" has no ${output}. Only a provider supplies it: under ` +
    "pulumi.runtime.setMocks, the mocks' newResource must return it in `state` (echoing the " +
    `inputs is not enough). eks-blueprint reads ${wanted.join("; ")}. createMocks from ` +
    '"eks-blueprint/testing" returns them all.'
  );
}

/** `value`, an output of `type` `name`, or the error above when it resolves to undefined. */
export function providerOutput<K extends keyof Outputs, T>(
  value: pulumi.Output<T>,
  type: K,
  name: string,
  output: ProviderOutput<K>,
): pulumi.Output<NonNullable<T>> {
  return value.apply((v) => {
    if (v === undefined || v === null) throw new Error(missingOutputMessage(type, name, output));
    return v;
  });
}
