import { isRecord } from "../problems";

/** The IAM policy document shape we build and test; `stableJson` sorts its keys on output. */
export interface PolicyStatement {
  /** Statement id, unique in the policy. @default none */
  Sid?: string;
  /** Whether the statement allows or denies. */
  Effect: "Allow" | "Deny";
  /** The API actions, such as `route53:ChangeResourceRecordSets`. */
  Action: string | string[];
  /** The ARNs it applies to (identity policies). @default none */
  Resource?: string | string[];
  /** Every ARN but these (a Deny that must leave one prefix alone). @default none */
  NotResource?: string | string[];
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

const isStrings = (v: unknown) =>
  typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));

/** Whether parsed JSON (a vendored upstream policy) is a policy document of our shape. */
export function isPolicyDocument(v: unknown): v is PolicyDocument {
  return (
    isRecord(v) &&
    v.Version === "2012-10-17" &&
    Array.isArray(v.Statement) &&
    v.Statement.every(
      (s) =>
        isRecord(s) &&
        (s.Effect === "Allow" || s.Effect === "Deny") &&
        isStrings(s.Action) &&
        (s.Resource === undefined || isStrings(s.Resource)) &&
        (s.Condition === undefined || isRecord(s.Condition)),
    )
  );
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

/** Trust for one service account; pinning `:aud` too stops replay of other audiences' tokens. */
export function irsaTrustPolicy(t: ServiceAccountRef): PolicyDocument {
  return policyDocument({
    Effect: "Allow",
    Action: "sts:AssumeRoleWithWebIdentity",
    Principal: { Federated: t.oidcProviderArn },
    Condition: {
      StringEquals: {
        [`${t.oidcIssuer}:sub`]: `system:serviceaccount:${t.namespace}:${t.serviceAccount}`,
        [`${t.oidcIssuer}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}

/** The service principal EKS Pod Identity assumes roles as (the eks-auth API). */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/** Who may use a Pod Identity role: one service account, and the clusters it runs in. */
export interface PodIdentitySubject {
  /** Namespace of the service account. */
  namespace: string;
  /** Service account name. */
  serviceAccount: string;
  /** EKS clusters whose associations may use the role. @default none: any in the account */
  clusterNames?: string[];
  /** The account whose EKS may assume it (`aws:SourceAccount`). @default none: not conditioned */
  accountId?: string;
}

/**
 * EKS Pod Identity trust, conditioned on the session tags EKS sets
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html#pod-id-abac-tags). Naming no
 * OIDC issuer, one role serves either cluster; a singleton's names only the cluster running it.
 */
export function podIdentityTrustPolicy(t: PodIdentitySubject): PolicyDocument {
  const equals: Record<string, string | string[]> = {
    "aws:RequestTag/kubernetes-namespace": t.namespace,
    "aws:RequestTag/kubernetes-service-account": t.serviceAccount,
  };
  if (t.clusterNames && t.clusterNames.length > 0) {
    equals["aws:RequestTag/eks-cluster-name"] =
      t.clusterNames.length === 1 ? t.clusterNames[0] : [...t.clusterNames].sort();
  }
  // The confused-deputy guard of https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html.
  if (t.accountId) equals["aws:SourceAccount"] = t.accountId;
  return policyDocument({
    Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
    Effect: "Allow",
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Principal: { Service: POD_IDENTITY_PRINCIPAL },
    Condition: { StringEquals: equals },
  });
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
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

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
  return policyDocument(
    ...statements.map((s) => ({
      Effect: s.effect ?? DEFAULT_STATEMENT_EFFECT,
      Action: s.actions,
      Resource: s.resources,
    })),
  );
}

/** An IAM ARN's name, its last segment (`arn:aws:iam::1:role/team/admin` → `admin`). */
export const arnName = (arn: string): string => arn.split("/").pop() ?? arn;

export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

export const policyDocument = (...Statement: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

type Grant = [
  Sid: string,
  Action: PolicyStatement["Action"],
  Resource: PolicyStatement["Resource"],
  Condition?: PolicyStatement["Condition"],
];
const statement =
  (Effect: "Allow" | "Deny") =>
  (...[Sid, Action, Resource, Condition]: Grant): PolicyStatement => ({
    Sid,
    Effect,
    Action,
    Resource,
    ...(Condition ? { Condition } : {}),
  });
/** An Allow statement: its Sid, actions, resources and conditions. */
export const allow = statement("Allow");
/** A Deny statement, in the same order. */
export const deny = statement("Deny");
