import * as pulumi from "@pulumi/pulumi";
import { IrsaRole } from "../access/irsa";
import type { AddonContext } from "./context";

export interface AddonRoleSpec {
  /** Namespace of the add-on's service account. */
  namespace: string;
  /** The service account the chart or EKS add-on runs as. */
  serviceAccount: string;
  /** Suffix of the IAM role name, which is `<clusterName>-<roleSuffix>`. */
  roleSuffix: string;
  /** Inline permissions (JSON). @default none */
  policy?: pulumi.Input<string>;
  /** Managed policy ARNs. @default none */
  managedPolicyArns?: string[];
  /** Role tags added to the cluster's. @default none */
  tags?: Record<string, string>;
}

/**
 * The IRSA role of an add-on that calls AWS: trusted by this cluster's OIDC provider for exactly
 * the add-on's service account, named after the cluster so two clusters never share one.
 */
export function addonRole(
  name: string,
  ctx: AddonContext,
  spec: AddonRoleSpec,
  opts: pulumi.ComponentResourceOptions,
): IrsaRole {
  return new IrsaRole(
    name,
    {
      oidcProviderArn: ctx.oidcProviderArn,
      oidcIssuer: ctx.oidcIssuer,
      namespace: spec.namespace,
      serviceAccount: spec.serviceAccount,
      roleName: `${ctx.clusterName}-${spec.roleSuffix}`,
      policy: spec.policy,
      managedPolicyArns: spec.managedPolicyArns,
      tags: { ...ctx.tags, ...spec.tags },
    },
    opts,
  );
}
