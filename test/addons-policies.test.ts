import {
  albControllerPolicy,
  DROPPED_ACTIONS,
} from "../components/addons/aws-load-balancer-controller/aws-load-balancer-controller";
import { clusterAutoscalerPolicy } from "../components/addons/cluster-autoscaler";
import {
  ebsCsiAddonVersion,
  ebsCsiManagedPolicyArn,
  gp3StorageClass,
} from "../components/addons/ebs-csi";
import { externalDnsPolicy } from "../components/addons/external-dns";
import { fluentBitLogGroups, fluentBitPolicy } from "../components/addons/fluent-bit";
import type { PolicyDocument, PolicyStatement } from "../components/access/irsa-policy";
import { upstreamJson } from "./upstream";

/** Upstream's ALB policy, vendored at the controller's tag (never our copy of it). */
const upstreamAlb = upstreamJson<PolicyDocument>("iam/aws-load-balancer-controller.json");

const account = { partition: "aws", region: "us-west-2", accountId: "111122223333" };
const clusterName = "eks-blueprint-prod2";
const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
const actions = (d: PolicyDocument) => d.Statement.flatMap((s) => list(s.Action));

const alb = albControllerPolicy({ ...account, clusterName, vpcId: "vpc-0abc" });

describe("AWS Load Balancer Controller policy", () => {
  test("holds every action of the upstream policy but WAF's, Shield's and Cognito's, and no other", () => {
    const kept = actions(upstreamAlb).filter((a) => !DROPPED_ACTIONS.test(a));
    expect(new Set(actions(alb))).toEqual(new Set(kept));
  });

  // Ours has one statement more: AddTags inside CreateListener and CreateRule.
  const matching = alb.Statement.filter(
    (s) => !JSON.stringify(s.Condition ?? {}).includes("CreateListener"),
  );

  test.each(upstreamAlb.Statement.map((s, i) => [i, s] as [number, PolicyStatement]))(
    "upstream statement %i keeps its actions, resources and tag conditions",
    (i, upstream) => {
      const ours = matching[i];
      expect(ours.Action).toEqual([upstream.Action].flat().filter((a) => !DROPPED_ACTIONS.test(a)));
      expect(ours.Resource).toEqual(upstream.Resource);
      // Every upstream condition key is kept with its value; scoping may add keys beside them.
      for (const [operator, keys] of Object.entries(upstream.Condition ?? {})) {
        expect(ours.Condition?.[operator]).toEqual(expect.objectContaining(keys));
      }
    },
  );

  test("the one unconditioned security-group ingress statement is limited to the cluster's VPC", () => {
    const narrowed = alb.Statement.filter((s) => s.Condition?.ArnEquals);
    expect(narrowed).toEqual([
      {
        Effect: "Allow",
        Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        Resource: "*",
        Condition: { ArnEquals: { "ec2:Vpc": "arn:aws:ec2:us-west-2:111122223333:vpc/vpc-0abc" } },
      },
    ]);
  });

  test("ARNs move to the cluster's partition", () => {
    const gov = albControllerPolicy({
      ...account,
      clusterName,
      partition: "aws-us-gov",
      vpcId: "vpc-1",
    });
    const arns = gov.Statement.flatMap((s) => list(s.Resource)).filter((r) => r !== "*");
    expect(arns.length).toBeGreaterThan(0);
    expect(arns.every((r) => r.startsWith("arn:aws-us-gov:"))).toBe(true);
  });
});

describe("cluster-autoscaler policy", () => {
  const ca = clusterAutoscalerPolicy({ ...account, clusterName });

  test("scales only Auto Scaling groups tagged for this cluster", () => {
    const write = ca.Statement.find((s) =>
      list(s.Action).includes("autoscaling:SetDesiredCapacity"),
    );
    expect(write).toEqual({
      Sid: "ScaleOwnGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "aws:ResourceTag/k8s.io/cluster-autoscaler/eks-blueprint-prod2": "owned",
          "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled": "true",
        },
      },
    });
  });

  test("no write action appears in an unconditioned statement", () => {
    const writes = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ];
    const unconditioned = ca.Statement.filter((s) => !s.Condition).flatMap((s) => list(s.Action));
    expect(unconditioned.filter((a) => writes.includes(a))).toEqual([]);
  });

  test("covers every action of upstream's full-features policy", () => {
    const upstream = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
      "eks:DescribeNodegroup",
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ];
    expect(new Set(actions(ca))).toEqual(new Set(upstream));
  });

  test("describes only this cluster's node groups", () => {
    const ng = ca.Statement.find((s) => s.Action.includes("eks:DescribeNodegroup"));
    expect(ng?.Resource).toBe(
      "arn:aws:eks:us-west-2:111122223333:nodegroup/eks-blueprint-prod2/*/*",
    );
  });
});

describe("Fluent Bit policy", () => {
  const groups = Object.values(fluentBitLogGroups(clusterName));

  test("log groups are named after the cluster", () => {
    expect(groups).toEqual(["/aws/eks/eks-blueprint-prod2/containers"]);
  });

  test("writes only to those log groups and their streams", () => {
    expect(fluentBitPolicy({ ...account, logGroupNames: groups }).Statement).toEqual([
      {
        Sid: "WriteClusterLogGroups",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/eks-blueprint-prod2/containers",
          "arn:aws:logs:us-west-2:111122223333:log-group:/aws/eks/eks-blueprint-prod2/containers:*",
        ],
      },
    ]);
  });
});

describe("ExternalDNS policy", () => {
  const dns = externalDnsPolicy({
    partition: "aws",
    hostedZoneIds: ["Z111", "Z222"],
    domains: ["eks-blueprint-prod2.example.com"],
    policy: "sync",
  });

  // What the conditions allow is the simulator's to say: test/traffic-external-dns.test.ts.
  test("changes records only in the configured hosted zones, under the cluster's domain", () => {
    const change = dns.Statement.filter((s) =>
      list(s.Action).includes("route53:ChangeResourceRecordSets"),
    );
    expect(change).toEqual([
      {
        Sid: "ChangeOwnNamesInConfiguredZones",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: ["arn:aws:route53:::hostedzone/Z111", "arn:aws:route53:::hostedzone/Z222"],
        Condition: {
          "ForAllValues:StringLike": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
              "eks-blueprint-prod2.example.com",
              "*.eks-blueprint-prod2.example.com",
            ],
          },
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME", "TXT"],
            "route53:ChangeResourceRecordSetsActions": ["CREATE", "DELETE", "UPSERT"],
          },
          Null: {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": "false",
            "route53:ChangeResourceRecordSetsRecordTypes": "false",
            "route53:ChangeResourceRecordSetsActions": "false",
          },
        },
      },
    ]);
  });

  test("keeps upstream's list permissions", () => {
    expect(new Set(actions(dns))).toEqual(
      new Set([
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:ListTagsForResources",
        "route53:ListHostedZones",
      ]),
    );
  });
});

describe("no add-on policy grants a wildcard action", () => {
  test.each([
    ["aws-load-balancer-controller", alb],
    ["cluster-autoscaler", clusterAutoscalerPolicy({ ...account, clusterName })],
    ["fluent-bit", fluentBitPolicy({ ...account, logGroupNames: ["/aws/eks/c/containers"] })],
    [
      "external-dns",
      externalDnsPolicy({
        partition: "aws",
        hostedZoneIds: ["Z1"],
        domains: ["c.example.com"],
        policy: "sync",
      }),
    ],
  ])("%s", (_name, doc) => {
    expect(actions(doc).filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
    expect(doc.Statement.every((s) => s.Effect === "Allow")).toBe(true);
  });
});

describe("EBS CSI driver", () => {
  test("a minor without a pinned add-on version is refused with the key and the fix", () => {
    expect(() => ebsCsiAddonVersion("1.29")).toThrow(
      'context.kubernetesVersion: no EKS add-on versions pinned for the cluster\'s Kubernetes minor (got "1.29"); use one of 1.33, 1.34, 1.35 or add it to eksAddonVersions in components/addons/catalog.ts',
    );
  });

  test("uses the cluster-scoped managed policy in the cluster's partition", () => {
    expect(ebsCsiManagedPolicyArn("aws-cn")).toBe(
      "arn:aws-cn:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy",
    );
  });

  test("the gp3 StorageClass is encrypted, the default, and deletes its volumes", () => {
    expect(gp3StorageClass("arn:aws:kms:us-west-2:111122223333:key/k")).toEqual({
      metadata: {
        name: "gp3",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: {
        type: "gp3",
        encrypted: "true",
        fsType: "ext4",
        kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/k",
      },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    });
  });
});
