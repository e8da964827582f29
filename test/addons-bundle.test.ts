import { ChartPin, eksAddonVersions } from "../components/addons/catalog";
import { charts } from "../components/addons/registry";
import { IRSA_ANNOTATION } from "../components/access/irsa-policy";
import { MOCK_ACCOUNT } from "../synth/mocks";
import { AddonSynth, PASSWORD, RELEASE, synthAddons } from "./addons-fixture";

let s: AddonSynth;
beforeAll(async () => {
  s = await synthAddons();
});

const find = (type: string, name: string) => s.find(type, name);
const release = (name: string) => find(RELEASE, name);
// Release values are arbitrary chart YAML; the assertions below give them their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const values = (name: string) => release(name).inputs.values as Record<string, any>;
const releasesOf = (bundle: string) => s.releasesOf(bundle);

describe("releases", () => {
  test("prod2 holds one release per catalog chart it selects: exact version, https repo", () => {
    const got = releasesOf("prod2").map((r) => ({
      chart: r.inputs.chart,
      version: r.inputs.version,
      repo: (r.inputs.repositoryOpts as { repo: string }).repo,
    }));
    const selected = [
      charts.istioBase,
      charts.istiod,
      charts.istioGateway,
      charts.awsLoadBalancerController,
      charts.clusterAutoscaler,
      charts.fluentBit,
      charts.prometheus,
      charts.externalDns,
      charts.reloader,
      charts.metricsServer,
    ];
    const want = selected.map((p) => ({
      chart: p.chart,
      version: p.version,
      repo: (p as ChartPin).repo,
    }));
    expect(got).toHaveLength(10);
    expect(got).toEqual(expect.arrayContaining(want));
    expect(got.every((r) => r.repo.startsWith("https://"))).toBe(true);
  });

  test("lab installs what it selected, the EBS CSI driver for Prometheus, and metrics-server (on by default)", () => {
    expect(
      releasesOf("lab")
        .map((r) => r.inputs.chart)
        .sort(),
    ).toEqual(["cluster-autoscaler", "kube-prometheus-stack", "metrics-server", "reloader"]);
    expect(
      s.result.resources
        .filter((r) => r.type === "aws:eks/addon:Addon")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["lab-ebs-csi", "prod2-ebs-csi"]);
  });

  test("overrides merge over our values, but never over the keys we own", () => {
    expect(values("prod2-alb-controller")).toMatchObject({
      replicaCount: 3,
      clusterName: "eks-blueprint-prod2",
      region: "us-west-2",
      vpcId: "vpc-eks-blueprint-prod2",
      enableServiceMutatorWebhook: false,
    });
  });
});

/** Add-ons that call AWS: release (or EKS add-on), the role's name, and where the chart takes the service account. */
const irsaCases: [string, string, string, string[]][] = [
  [
    "aws-load-balancer-controller",
    "prod2-alb-controller",
    "eks-blueprint-prod2-aws-load-balancer-controller",
    ["serviceAccount"],
  ],
  [
    "cluster-autoscaler",
    "prod2-cluster-autoscaler",
    "eks-blueprint-prod2-cluster-autoscaler",
    ["rbac", "serviceAccount"],
  ],
  ["aws-for-fluent-bit", "prod2-fluent-bit", "eks-blueprint-prod2-fluent-bit", ["serviceAccount"]],
  ["external-dns", "prod2-external-dns", "eks-blueprint-prod2-external-dns", ["serviceAccount"]],
];

const trustedSubject = (component: string) => {
  const role = find("aws:iam/role:Role", `${component}-irsa`);
  const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
  const cond = trust.Statement[0].Condition.StringEquals;
  const [sub] = Object.entries(cond)
    .filter(([k]) => k.endsWith(":sub"))
    .map(([, v]) => v);
  return { role, sub, aud: Object.entries(cond).find(([k]) => k.endsWith(":aud"))?.[1] };
};

describe("IRSA", () => {
  test.each(irsaCases)(
    "%s: the role trusts exactly the service account its values create",
    (_c, name, roleName, saPath) => {
      const { role, sub, aud } = trustedSubject(name);
      const v = values(name);
      const sa = saPath.reduce((o, k) => o[k], v);
      expect(role.inputs.name).toBe(roleName);
      expect(sub).toBe(`system:serviceaccount:${release(name).inputs.namespace}:${sa.name}`);
      expect(aud).toBe("sts.amazonaws.com");
      expect(sa.create).toBe(true);
      expect(sa.annotations).toEqual({
        [IRSA_ANNOTATION]: `arn:aws:iam::${MOCK_ACCOUNT}:role/${roleName}`,
      });
    },
  );

  test("the EBS CSI add-on gets the role trusted by its controller's service account", () => {
    const { role, sub } = trustedSubject("prod2-ebs-csi");
    expect(sub).toBe("system:serviceaccount:kube-system:ebs-csi-controller-sa");
    expect(find("aws:eks/addon:Addon", "prod2-ebs-csi").inputs).toMatchObject({
      addonName: "aws-ebs-csi-driver",
      addonVersion: eksAddonVersions["1.35"].ebsCsiDriver,
      serviceAccountRoleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${role.inputs.name}`,
    });
    expect(find("aws:eks/addon:Addon", "lab-ebs-csi").inputs.addonVersion).toBe(
      eksAddonVersions["1.33"].ebsCsiDriver,
    );
    expect(
      find(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "prod2-ebs-csi-irsa-AmazonEBSCSIDriverEKSClusterScopedPolicy",
      ).inputs.policyArn,
    ).toBe("arn:aws:iam::aws:policy/AmazonEBSCSIDriverEKSClusterScopedPolicy");
  });

  test("no add-on's inline policy has a wildcard action", () => {
    const docs = s.result.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
    expect(docs.map((d) => d.name).sort()).toEqual([
      "lab-cluster-autoscaler-irsa-permissions",
      "prod2-alb-controller-irsa-permissions",
      "prod2-cluster-autoscaler-irsa-permissions",
      "prod2-external-dns-irsa-permissions",
      "prod2-fluent-bit-irsa-permissions",
    ]);
    for (const d of docs) {
      const acts = JSON.parse(d.inputs.policy as string).Statement.flatMap(
        (s: { Action: unknown }) => [s.Action].flat(),
      );
      expect(acts.filter((a: string) => a === "*" || a.endsWith(":*"))).toEqual([]);
    }
  });
});

describe("add-on settings reach the cluster", () => {
  test("cluster-autoscaler discovers its own cluster's groups with an image of the cluster's minor", () => {
    expect(values("prod2-cluster-autoscaler")).toMatchObject({
      autoDiscovery: { clusterName: "eks-blueprint-prod2" },
      awsRegion: "us-west-2",
      image: { tag: expect.stringMatching(/^v1\.35\./) },
    });
    expect(values("lab-cluster-autoscaler").image.tag).toMatch(/^v1\.33\./);
  });

  test("Fluent Bit writes to a Pulumi-owned log group named after the cluster, retention from config", () => {
    expect(
      find("aws:cloudwatch/logGroup:LogGroup", "prod2-fluent-bit-containers").inputs,
    ).toMatchObject({
      name: "/aws/eks/eks-blueprint-prod2/containers",
      retentionInDays: 90,
    });
    expect(values("prod2-fluent-bit").cloudWatchLogs).toEqual({
      enabled: true,
      region: "us-west-2",
      logGroupName: "/aws/eks/eks-blueprint-prod2/containers",
      autoCreateGroup: false,
    });
  });

  test("ExternalDNS owns records as this cluster, in the configured zones, with the configured policy", () => {
    expect(values("prod2-external-dns")).toMatchObject({
      provider: { name: "aws" },
      txtOwnerId: "eks-blueprint-prod2",
      policy: "sync",
      // Only the cluster's own names (components/addons/external-dns.ts, clusterDomains).
      domainFilters: ["eks-blueprint-prod2.example.com"],
      extraArgs: ["--zone-id-filter=Z0123456789ABC", "--aws-zone-match-parent"],
    });
  });

  test("Prometheus labels its series with the cluster, keeps them on gp3, and Grafana's password stays out of values", () => {
    const v = values("prod2-prometheus");
    expect(v.prometheus.prometheusSpec).toMatchObject({
      externalLabels: { cluster: "eks-blueprint-prod2" },
      retention: "30d",
      storageSpec: {
        volumeClaimTemplate: {
          spec: { storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } },
        },
      },
    });
    expect(v.grafana.admin).toEqual({
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    expect(JSON.stringify(s.result.resources)).not.toContain(PASSWORD);
    // The whole stringData is a secret in the registration (and in state).
    expect(
      find("kubernetes:core/v1:Secret", "prod2-prometheus-grafana-admin").inputs,
    ).toMatchObject({
      metadata: { name: "grafana-admin", namespace: "monitoring" },
      stringData: "[secret]",
    });
  });

  test("without a configured password, Grafana's comes from a RandomPassword", () => {
    expect(
      find("random:index/randomPassword:RandomPassword", "lab-prometheus-grafana-admin").inputs,
    ).toMatchObject({ length: 32, special: false });
    expect(
      find("kubernetes:core/v1:Secret", "lab-prometheus-grafana-admin").inputs.stringData,
    ).toBe("[secret]");
  });

  test("the gateway is an internet-facing NLB with ip targets; the annotation hook cannot change that", () => {
    // The chart's Service, never moved out of the release; the records read its NLB's name.
    const service = values("prod2-istio-gateway").service as Record<string, unknown>;
    expect(service.type).toBe("LoadBalancer");
    expect(find("kubernetes:core/v1:Service", "prod2-istio-gateway-service").read).toBe(
      "istio-ingress/istio-ingressgateway",
    );
    expect(service.annotations).toEqual({
      "external-dns.alpha.kubernetes.io/set-identifier": "prod2",
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
    });
    expect(values("prod2-istio-istiod").global).toMatchObject({
      meshID: "eks-blueprint-prod2",
      multiCluster: { clusterName: "eks-blueprint-prod2" },
    });
  });

  test("every namespace the bundle creates carries Pod Security Admission labels", () => {
    const ns = s.result.resources.filter(
      (r) => r.type === "kubernetes:core/v1:Namespace" && r.name.startsWith("prod2-"),
    );
    const levels = Object.fromEntries(
      ns.map((n) => {
        const m = n.inputs.metadata as { name: string; labels: Record<string, string> };
        expect(m.labels["pod-security.kubernetes.io/enforce-version"]).toBe("v1.35");
        expect(m.labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
        return [m.name, m.labels["pod-security.kubernetes.io/enforce"]];
      }),
    );
    expect(levels).toEqual({
      "istio-system": "baseline",
      "istio-ingress": "baseline",
      logging: "privileged",
      monitoring: "restricted",
      "node-exporter": "privileged",
      "external-dns": "restricted",
      reloader: "restricted",
    });
  });
});
