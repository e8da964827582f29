import * as fs from "node:fs";
import * as path from "node:path";
import { crdInstalled, crdRules, helmCrdsUpgraded } from "../policy/rehearse/rules/crds";
import {
  BUILT_IN_GROUPS,
  kubeKindOf,
  kubernetesRules,
  modelFileFor,
  namespaceExists,
  objectSchema,
  placeholderPaths,
} from "../policy/rehearse/rules/kubernetes";
import type { RehearsalInput } from "../policy/rehearse/types";
import { teamProject } from "../components/addons/argocd/argocd-projects";
import { secretStores } from "../components/addons/external-secrets";
import type { SynthRecord } from "../synth/record";

const PROVIDER = "pulumi:providers:kubernetes::c-k8s";
const rec = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  dependsOn: string[] = [],
): SynthRecord => ({ type, name, parent: null, inputs, dependsOn: [PROVIDER, ...dependsOn] });
const provider: SynthRecord = {
  type: "pulumi:providers:kubernetes",
  name: "c-k8s",
  parent: null,
  inputs: {},
  dependsOn: [],
};
const input = (head: SynthRecord[], base?: SynthRecord[]): RehearsalInput => ({
  stack: "test",
  project: { name: "eks-blueprint" },
  stackConfig: {},
  head: [provider, ...head],
  ...(base ? { base: [provider, ...base] } : {}),
});

const namespace = (name: string) =>
  rec("kubernetes:core/v1:Namespace", `ns-${name}`, { metadata: { name } });
/** prod2's SecurityGroupPolicy as main at fb96b52 registered it: namespace "api", no Namespace. */
const apiServerSgp = (dependsOn: string[] = []) =>
  rec(
    "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy",
    "prod2-workloads-api-server",
    {
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: "api-server", namespace: "api" },
      spec: {
        podSelector: { matchLabels: { app: "api-server" } },
        securityGroups: { groupIds: ["sg-0123"] },
      },
    },
    dependsOn,
  );

describe("k8s-namespace-exists", () => {
  test("blocker 2: a SecurityGroupPolicy in namespace api that nothing creates is refused", () => {
    expect(namespaceExists.check(input([apiServerSgp()]))).toEqual([
      {
        rule: "k8s-namespace-exists",
        subject:
          "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy::prod2-workloads-api-server",
        message:
          'namespace: no Namespace in the stack creates it (got "api"); the API server answers namespaces "api" not found: declare it (workloadNamespaces) or use one that exists',
      },
    ]);
  });

  test("a Namespace that exists but is not waited for is named", () => {
    expect(namespaceExists.check(input([namespace("api"), apiServerSgp()]))[0].message).toBe(
      'namespace: created by kubernetes:core/v1:Namespace::ns-api, which this object does not wait for (got "api"); depend on the Namespace resource (use its metadata.name)',
    );
  });

  test("an object that waits for its Namespace passes", () => {
    const sgp = apiServerSgp(["kubernetes:core/v1:Namespace::ns-api"]);
    expect(namespaceExists.check(input([namespace("api"), sgp]))).toEqual([]);
  });

  test("a Helm release into a namespace nobody creates is refused", () => {
    const release = rec("kubernetes:helm.sh/v3:Release", "r", {
      chart: "x",
      namespace: "monitoring",
    });
    expect(namespaceExists.check(input([release])).map((f) => f.subject)).toEqual([
      "kubernetes:helm.sh/v3:Release::r",
    ]);
  });

  test.each(["default", "kube-system", "kube-public", "kube-node-lease"])(
    "the initial namespace %s needs no Namespace resource",
    (ns) => {
      const sa = rec("kubernetes:core/v1:ServiceAccount", "sa", {
        metadata: { name: "a", namespace: ns },
      });
      expect(namespaceExists.check(input([sa]))).toEqual([]);
    },
  );

  test.each([
    ["kubernetes:storage.k8s.io/v1:StorageClass", "StorageClass"],
    ["kubernetes:karpenter.sh/v1:NodePool", "NodePool (its CRD is Cluster-scoped)"],
  ])("cluster-scoped %s is never checked for a namespace", (type) => {
    expect(
      namespaceExists.check(
        input([rec(type, "x", { metadata: { name: "x", namespace: "nope" } })]),
      ),
    ).toEqual([]);
  });
});

describe("k8s-crd-installed", () => {
  const crdChart = rec("kubernetes:helm.sh/v3:Release", "karpenter-crd", {
    chart: "oci://public.ecr.aws/karpenter/karpenter-crd",
    version: "1.14.1",
    namespace: "kube-system",
  });
  const nodePool = (dependsOn: string[]) =>
    rec(
      "kubernetes:karpenter.sh/v1:NodePool",
      "pool",
      { metadata: { name: "general" } },
      dependsOn,
    );

  test("a NodePool created before karpenter-crd is refused, naming the release", () => {
    expect(crdInstalled.check(input([crdChart, nodePool([])]))).toEqual([
      {
        rule: "k8s-crd-installed",
        subject: "kubernetes:karpenter.sh/v1:NodePool::pool",
        message:
          "karpenter.sh/v1 NodePool: its CRD is installed by kubernetes:helm.sh/v3:Release::karpenter-crd, which this object does not wait for; add it to dependsOn",
      },
    ]);
  });

  test("a NodePool that waits for karpenter-crd passes", () => {
    expect(
      crdInstalled.check(
        input([crdChart, nodePool(["kubernetes:helm.sh/v3:Release::karpenter-crd"])]),
      ),
    ).toEqual([]);
  });

  test("a custom resource no chart of ours installs is refused", () => {
    const vs = rec("kubernetes:networking.istio.io/v1:VirtualService", "vs", {
      metadata: { name: "a", namespace: "default" },
    });
    expect(crdInstalled.check(input([vs]))[0].message).toBe(
      'networking.istio.io/v1 VirtualService: no release of ours installs its CRD, nor does EKS (got "VirtualService.networking.istio.io"); the API server answers no matches for kind "VirtualService": install the chart that ships it and depend on its release',
    );
  });

  test("a CustomResourcePatch (type `<Kind>Patch`) needs its kind's CRD, not one of that name", () => {
    const patch = (dependsOn: string[]) =>
      rec(
        "kubernetes:karpenter.sh/v1:NodePoolPatch",
        "pool",
        { metadata: { name: "general" } },
        dependsOn,
      );
    expect(
      crdInstalled.check(
        input([crdChart, patch(["kubernetes:helm.sh/v3:Release::karpenter-crd"])]),
      ),
    ).toEqual([]);
    expect(crdInstalled.check(input([crdChart, patch([])]))[0].message).toBe(
      "karpenter.sh/v1 NodePool: its CRD is installed by kubernetes:helm.sh/v3:Release::karpenter-crd, which this object does not wait for; add it to dependsOn",
    );
  });

  test("the controller chart with skipCrds does not count as installing them", () => {
    const controller = rec("kubernetes:helm.sh/v3:Release", "karpenter", {
      chart: "oci://public.ecr.aws/karpenter/karpenter",
      version: "1.14.1",
      skipCrds: true,
    });
    expect(
      crdInstalled.check(
        input([controller, nodePool(["kubernetes:helm.sh/v3:Release::karpenter"])]),
      ),
    ).toHaveLength(1);
  });

  test("SecurityGroupPolicy's CRD ships with the EKS control plane: no release needed", () => {
    expect(crdInstalled.check(input([apiServerSgp()]))).toEqual([]);
  });

  test("an ENIConfig must wait for the vpc-cni add-on, whose manifest carries its CRD", () => {
    const addon: SynthRecord = {
      type: "aws:eks/addon:Addon",
      name: "core-vpc-cni",
      parent: null,
      inputs: { addonName: "vpc-cni" },
      dependsOn: [],
    };
    const eniConfig = rec("kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig", "az-a", {
      metadata: { name: "a" },
    });
    expect(crdInstalled.check(input([addon, eniConfig]))[0].message).toContain(
      "its CRD is installed by aws:eks/addon:Addon::core-vpc-cni",
    );
  });
});

const teamProjectRecords = () => {
  const p = teamProject("api", ["api"], "https://github.com/example-org/platform-apps.git");
  return [
    rec("kubernetes:argoproj.io/v1alpha1:AppProject", "p", { metadata: p.metadata, spec: p.spec }),
  ];
};

describe("k8s-object-schema", () => {
  test("a NodePool requirement with an unknown operator is refused with the allowed ones", () => {
    const pool = rec("kubernetes:karpenter.sh/v1:NodePool", "pool", {
      metadata: { name: "general" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "general" },
            requirements: [{ key: "kubernetes.io/arch", operator: "Within", values: ["arm64"] }],
          },
        },
      },
    });
    expect(objectSchema.check(input([pool]))).toEqual([
      {
        rule: "k8s-object-schema",
        subject: "kubernetes:karpenter.sh/v1:NodePool::pool",
        message:
          'spec.template.spec.requirements[0].operator: must be equal to one of the allowed values (got "Within"); one of "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"',
      },
    ]);
  });

  test("Argo CD's projects and External Secrets' stores are checked against their kinds' schemas", () => {
    const [project] = teamProjectRecords();
    expect(objectSchema.check(input([project]))).toEqual([]);
    const broken = rec("kubernetes:argoproj.io/v1alpha1:AppProject", "bad", {
      metadata: { name: "team-x", namespace: "argocd" },
      spec: { destinations: "api" },
    });
    expect(objectSchema.check(input([broken])).map((f) => f.message)).toEqual([
      'spec.destinations: must be array (got "api"); a value of type array',
    ]);
    const store = secretStores({ region: "us-west-2", prefix: "p", namespace: "api" })[0];
    const good = rec("kubernetes:external-secrets.io/v1:SecretStore", "s", {
      metadata: { name: store.name, namespace: "api" },
      spec: store.spec,
    });
    expect(objectSchema.check(input([good]))).toEqual([]);
    const wrong = rec("kubernetes:external-secrets.io/v1:SecretStore", "w", {
      metadata: { name: "x", namespace: "api" },
      spec: { provider: { aws: { service: "SecretManager", region: "us-west-2" } } },
    });
    expect(objectSchema.check(input([wrong]))).toHaveLength(1);
  });

  test("a Namespace label that is not a string is refused", () => {
    const ns = rec("kubernetes:core/v1:Namespace", "ns", {
      metadata: { name: "a", labels: { tier: 1 } },
    });
    expect(objectSchema.check(input([ns])).map((f) => f.message)).toEqual([
      "metadata.labels.tier: must be string (got 1); a value of type string",
    ]);
  });

  test("a secret rendered as [secret] and a resource reference raise no schema error", () => {
    const secret = rec("kubernetes:core/v1:Secret", "s", {
      metadata: {
        name: "grafana-admin",
        namespace: "monitoring",
        annotations: { owner: "aws:iam/role:Role::r" },
      },
      stringData: "[secret]",
      type: "Opaque",
    });
    expect(objectSchema.check(input([secret]))).toEqual([]);
  });

  test("placeholders are found by JSON pointer", () => {
    expect(placeholderPaths({ a: "[secret]", b: [{ c: "aws:iam/role:Role::r" }], d: "x" })).toEqual(
      ["/a", "/b/0/c"],
    );
  });

  test("kinds without a model are skipped, so the gap stays visible here", () => {
    const unmodelled = [
      "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy",
      "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch",
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
      "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    ];
    expect(unmodelled.filter((t) => modelFileFor(kubeKindOf(t)!) === undefined)).toEqual(
      unmodelled,
    );
  });

  test.each([
    "kubernetes:core/v1:Namespace",
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    "kubernetes:networking.istio.io/v1:Gateway",
  ])("%s has a model", (type) => {
    expect(modelFileFor(kubeKindOf(type)!)).toBeDefined();
  });
});

describe("helm-crds-upgraded", () => {
  const prometheus = (version: string, upgradeJob: boolean) =>
    rec("kubernetes:helm.sh/v3:Release", "prometheus", {
      chart: "kube-prometheus-stack",
      version,
      repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
      values: { crds: { upgradeJob: { enabled: upgradeJob } } },
    });

  test("blocker 10: a kube-prometheus-stack bump without the CRD upgrade job is refused", () => {
    const found = helmCrdsUpgraded.check(
      input([prometheus("89.0.0", false)], [prometheus("88.5.3", false)]),
    );
    expect(found).toEqual([
      {
        rule: "helm-crds-upgraded",
        subject: "kubernetes:helm.sh/v3:Release::prometheus",
        message:
          'chart kube-prometheus-stack: version changed (got "88.5.3" → "89.0.0") and its crds/ (Alertmanager.monitoring.coreos.com, AlertmanagerConfig.monitoring.coreos.com, PodMonitor.monitoring.coreos.com, Probe.monitoring.coreos.com, Prometheus.monitoring.coreos.com, PrometheusAgent.monitoring.coreos.com, PrometheusRule.monitoring.coreos.com, ScrapeConfig.monitoring.coreos.com, ServiceMonitor.monitoring.coreos.com, ThanosRuler.monitoring.coreos.com) would stay at the old version, since Helm never upgrades crds/; set the value crds.upgradeJob.enabled: true',
      },
    ]);
  });

  test("the same bump with crds.upgradeJob.enabled passes", () => {
    expect(
      helmCrdsUpgraded.check(input([prometheus("89.0.0", true)], [prometheus("88.5.3", true)])),
    ).toEqual([]);
  });

  const alb = (version: string, dependsOn: string[]) =>
    rec(
      "kubernetes:helm.sh/v3:Release",
      "alb",
      {
        chart: "aws-load-balancer-controller",
        version,
        repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
        skipCrds: true,
      },
      dependsOn,
    );
  const albCrd = (kind: string, group: string, from: string) =>
    rec("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch", `alb-${kind}`, {
      metadata: {
        name: `${kind.toLowerCase()}s.${group}`,
        annotations: { "eks-blueprint.dev/crds-from-chart": from },
      },
      spec: { group, names: { kind } },
    });
  const albKinds: [string, string][] = [
    ["GlobalAccelerator", "aga.k8s.aws"],
    ["ALBTargetControlConfig", "elbv2.k8s.aws"],
    ["TargetGroupBinding", "elbv2.k8s.aws"],
    ["IngressClassParams", "elbv2.k8s.aws"],
    ["ListenerRuleConfiguration", "gateway.k8s.aws"],
    ["LoadBalancerConfiguration", "gateway.k8s.aws"],
    ["TargetGroupConfiguration", "gateway.k8s.aws"],
  ];
  const albHead = (version: string, vendoredAt: string) => {
    const crds = albKinds.map(([k, g]) =>
      albCrd(k, g, `aws-load-balancer-controller@${vendoredAt}`),
    );
    return [
      ...crds,
      alb(
        version,
        crds.map((c) => `${c.type}::${c.name}`),
      ),
    ];
  };

  test("an ALB controller bump whose vendored CRDs stay at the old version is refused", () => {
    const [found] = helmCrdsUpgraded.check(
      input(albHead("3.6.0", "3.5.0"), albHead("3.5.0", "3.5.0")),
    );
    expect(found.message).toContain(
      "vendor the chart's crds/ at 3.6.0 into components/addons/aws-load-balancer-controller/crds-3.6.0.json",
    );
  });

  test("an ALB controller bump with its CRDs re-vendored at the new version passes", () => {
    expect(
      helmCrdsUpgraded.check(input(albHead("3.6.0", "3.6.0"), albHead("3.5.0", "3.5.0"))),
    ).toEqual([]);
  });

  test("a bump of a chart chart-crds.ts does not know is refused", () => {
    const r = (v: string) =>
      rec("kubernetes:helm.sh/v3:Release", "x", { chart: "cert-manager", version: v });
    expect(helmCrdsUpgraded.check(input([r("1.2.0")], [r("1.1.0")]))[0].message).toBe(
      'chart cert-manager: version changed (got "1.1.0" → "1.2.0") but components/addons/chart-crds.ts does not say how its CRDs arrive; read its crds/ and templates/ and add an entry',
    );
  });

  test("a release whose version did not change is not checked", () => {
    expect(
      helmCrdsUpgraded.check(input([prometheus("88.5.3", false)], [prometheus("88.5.3", false)])),
    ).toEqual([]);
  });
});

test("BUILT_IN_GROUPS is exactly the API groups kubernetes-models generates from Kubernetes' OpenAPI", () => {
  const dir = path.join(__dirname, "../node_modules/kubernetes-models");
  const groups = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_"))
    .map((e) => (e.name === "v1" ? "" : e.name));
  expect([...BUILT_IN_GROUPS].sort()).toEqual(groups.sort());
});

test("every rule carries its id, phase, source and smoke check", () => {
  expect([...kubernetesRules, ...crdRules].map((r) => [r.id, r.phase, r.smokeCheck])).toEqual([
    ["k8s-namespace-exists", "create", "pulumi-up-succeeds"],
    ["k8s-object-schema", "create", "pulumi-up-succeeds"],
    ["k8s-crd-installed", "create", "pulumi-up-succeeds"],
    ["helm-crds-upgraded", "update", "addons-ready"],
  ]);
});
