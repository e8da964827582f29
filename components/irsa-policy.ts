/** The IAM policy document shape we build and test. Keys sorted on output (see `policyJson`). */
export interface PolicyStatement {
  /** Statement id, unique in the policy. @default none */
  Sid?: string;
  /** Whether the statement allows or denies. */
  Effect: "Allow" | "Deny";
  /** The API actions, such as `route53:ChangeResourceRecordSets`. */
  Action: string | string[];
  /** The ARNs it applies to (identity policies). @default none */
  Resource?: string | string[];
  /** Who may act (trust and resource policies). @default none */
  Principal?: Record<string, string | string[]>;
  /** Conditions on request or resource keys. @default none */
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  /** The policy language version; IAM's current one. */
  Version: "2012-10-17";
  /** The statements, each allowing or denying actions on resources. */
  Statement: PolicyStatement[];
}

export interface ServiceAccountRef {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: string;
  /** OIDC issuer host and path, without `https://`. */
  oidcIssuer: string;
  /** Namespace of the service account. */
  namespace: string;
  /** Service account name. */
  serviceAccount: string;
}

/**
 * Lets exactly one service account assume the role. Pinning `:aud` as well as `:sub` stops a
 * token minted for another audience being replayed here.
 */
export function irsaTrustPolicy(t: ServiceAccountRef): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: { Federated: t.oidcProviderArn },
        Condition: {
          StringEquals: {
            [`${t.oidcIssuer}:sub`]: `system:serviceaccount:${t.namespace}:${t.serviceAccount}`,
            [`${t.oidcIssuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** The annotation the EKS pod identity webhook reads to inject web-identity credentials. */
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

export function irsaAnnotation(roleArn: string): Record<string, string> {
  return { [IRSA_ANNOTATION]: roleArn };
}

/** JSON with object keys sorted at every level, so generated documents diff quietly. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What a statement does when it does not say. */
export const DEFAULT_STATEMENT_EFFECT = "Allow";

export interface StatementSpec {
  /** Whether the statement allows or denies the actions. @default "Allow" */
  effect?: "Allow" | "Deny";
  /** IAM actions, `service:Action`, for example `sqs:ReceiveMessage`. */
  actions: string[];
  /** ARNs of the resources the actions apply to. */
  resources: string[];
}

/** A permissions policy from the short statement form used in stack config. */
export function statementsPolicy(statements: StatementSpec[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Effect: s.effect ?? DEFAULT_STATEMENT_EFFECT,
      Action: s.actions,
      Resource: s.resources,
    })),
  };
}

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}
