import { ResourceGraph } from "../policy/rehearse/graph";
import { formatReport, rehearse, updateSummary } from "../policy/rehearse/rehearse";
import { volumeFates, destroyRules } from "../policy/rehearse/rules/destroy";
import { eksOrderRules } from "../policy/rehearse/rules/eks-order";
import { pulumiConfigRules } from "../policy/rehearse/rules/pulumi-config";
import { securityGroupRules } from "../policy/rehearse/rules/security-groups";
import { physicalName, updateRules } from "../policy/rehearse/rules/update";
import type { RehearsalInput, Rule } from "../policy/rehearse/types";
import type { SynthRecord } from "../synth/record";

const rec = (
  key: string,
  inputs: Record<string, unknown> = {},
  dependsOn: string[] = [],
  extra: Partial<SynthRecord> = {},
): SynthRecord => {
  const [type, name] = key.split("::");
  return { type, name, parent: null, inputs, dependsOn, ...extra };
};
const input = (head: SynthRecord[], more: Partial<RehearsalInput> = {}): RehearsalInput => ({
  stack: "prod2",
  project: { name: "eks-blueprint" },
  stackConfig: {},
  head,
  ...more,
});
const rule = (rules: Rule[], id: string) => rules.find((r) => r.id === id) as Rule;
const subjects = (r: Rule, i: RehearsalInput) => r.check(i).map((f) => `${f.rule} ${f.subject}`);

const CLUSTER = "eks:index:Cluster::c";
const cluster = rec(CLUSTER, { name: "c", version: "1.34" });

describe("ResourceGraph", () => {
  const graph = new ResourceGraph([
    rec("aws:x/a:A::a"),
    rec("aws:x/b:B::b", {}, ["aws:x/a:A::a"]),
    rec("aws:x/c:C::c", {}, ["aws:x/b:B::b"]),
    rec("eks-blueprint:index:Thing::t"),
  ]);
  test("waitsFor follows dependencies transitively, never backwards", () => {
    expect(graph.waitsFor("aws:x/c:C::c", "aws:x/a:A::a")).toBe(true);
    expect(graph.waitsFor("aws:x/a:A::a", "aws:x/c:C::c")).toBe(false);
  });
  test("createOrder puts dependencies first and leaves our components out; deleteOrder reverses it", () => {
    expect(graph.createOrder()).toEqual(["aws:x/a:A::a", "aws:x/b:B::b", "aws:x/c:C::c"]);
    expect(graph.deleteOrder()).toEqual(["aws:x/c:C::c", "aws:x/b:B::b", "aws:x/a:A::a"]);
  });
  test("a cycle is an error, not an order", () => {
    const cyclic = new ResourceGraph([
      rec("a:b:C::x", {}, ["a:b:C::y"]),
      rec("a:b:C::y", {}, ["a:b:C::x"]),
    ]);
    expect(() => cyclic.createOrder()).toThrow("dependency cycle through a:b:C::x");
  });
});

describe("eks-waits-for-cluster", () => {
  const r = rule(eksOrderRules, "eks-waits-for-cluster");
  test("blocker 3: an add-on given the cluster name as a plain string is caught", () => {
    const head = [
      cluster,
      rec("aws:eks/addon:Addon::kube-proxy", { clusterName: "c", addonName: "kube-proxy" }),
    ];
    expect(subjects(r, input(head))).toEqual([
      "eks-waits-for-cluster aws:eks/addon:Addon::kube-proxy",
    ]);
  });
  test("an add-on that waits for the cluster, directly or through another resource, passes", () => {
    const head = [
      cluster,
      rec("aws:iam/role:Role::r", {}, [CLUSTER]),
      rec("aws:eks/addon:Addon::vpc-cni", { clusterName: "c" }, ["aws:iam/role:Role::r"]),
      rec("aws:eks/accessEntry:AccessEntry::e", { clusterName: "c" }, [CLUSTER]),
    ];
    expect(r.check(input(head))).toEqual([]);
  });
});

describe("workloads-wait-for-compute", () => {
  const r = rule(eksOrderRules, "workloads-wait-for-compute");
  const nodes = rec("eks:index:ManagedNodeGroup::n", {}, [CLUSTER]);
  test("a release with pods and CoreDNS must wait for a node group; CRD-only charts need none", () => {
    const head = [
      cluster,
      nodes,
      rec("kubernetes:helm.sh/v3:Release::reloader", { chart: "reloader" }),
      rec("kubernetes:helm.sh/v3:Release::istio-base", { chart: "base" }),
      rec("aws:eks/addon:Addon::coredns", { addonName: "coredns" }, [CLUSTER]),
      rec("aws:eks/addon:Addon::kube-proxy", { addonName: "kube-proxy" }, [CLUSTER]),
      rec("kubernetes:helm.sh/v3:Release::ok", { chart: "external-dns" }, [
        "eks:index:ManagedNodeGroup::n",
      ]),
    ];
    expect(subjects(r, input(head))).toEqual([
      "workloads-wait-for-compute kubernetes:helm.sh/v3:Release::reloader",
      "workloads-wait-for-compute aws:eks/addon:Addon::coredns",
    ]);
  });
});

describe("fargate-profiles-one-at-a-time", () => {
  const r = rule(eksOrderRules, "fargate-profiles-one-at-a-time");
  const p = (n: string, deps: string[] = []) =>
    rec(`aws:eks/fargateProfile:FargateProfile::${n}`, { clusterName: "c" }, [CLUSTER, ...deps]);
  test("two profiles of one cluster that may be created together are caught; a chain passes", () => {
    expect(subjects(r, input([cluster, p("a"), p("b")]))).toEqual([
      "fargate-profiles-one-at-a-time aws:eks/fargateProfile:FargateProfile::b",
    ]);
    expect(
      r.check(input([cluster, p("a"), p("b", ["aws:eks/fargateProfile:FargateProfile::a"])])),
    ).toEqual([]);
  });
});

describe("update rules", () => {
  const ng = (inputs: Record<string, unknown>) =>
    rec("eks:index:ManagedNodeGroup::general", inputs, [CLUSTER]);
  const fixed = rule(updateRules, "fixed-name-create-before-delete");
  test("blocker 5: new instance types on a fixed-name node group are caught", () => {
    const base = [cluster, ng({ nodeGroupName: "c-general", instanceTypes: ["m7i.large"] })];
    const head = [cluster, ng({ nodeGroupName: "c-general", instanceTypes: ["m7i.xlarge"] })];
    expect(fixed.check(input(head, { base }))).toEqual([
      {
        rule: "fixed-name-create-before-delete",
        subject: "eks:index:ManagedNodeGroup::general",
        message:
          'changing instanceTypes replaces it, and the replacement is created first under the same name "c-general", which AWS refuses; let the name change with it (a name prefix), replace it delete-first on purpose, or go blue/green',
      },
    ]);
  });
  test("a name prefix, or deleteBeforeReplace, makes the same change safe", () => {
    const prefixed = (t: string) => ng({ nodeGroupNamePrefix: "c-general-", instanceTypes: [t] });
    expect(
      fixed.check(input([cluster, prefixed("b")], { base: [cluster, prefixed("a")] })),
    ).toEqual([]);
    const dbr = (t: string) => ({
      ...ng({ nodeGroupName: "c-general", instanceTypes: [t] }),
      deleteBeforeReplace: true as const,
    });
    expect(fixed.check(input([cluster, dbr("b")], { base: [cluster, dbr("a")] }))).toEqual([]);
  });
  test("a Kubernetes object replaces delete-first, unless the program overrides that with false", () => {
    const sc = (type: string, extra: Partial<SynthRecord> = {}) =>
      rec(
        "kubernetes:storage.k8s.io/v1:StorageClass::gp3",
        { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com", parameters: { type } },
        [],
        extra,
      );
    expect(fixed.check(input([sc("gp3")], { base: [sc("gp2")] }))).toEqual([]);
    const createFirst = sc("gp3", { deleteBeforeReplace: false });
    expect(subjects(fixed, input([createFirst], { base: [sc("gp2")] }))).toEqual([
      "fixed-name-create-before-delete kubernetes:storage.k8s.io/v1:StorageClass::gp3",
    ]);
  });
  test("a renamed resource without an alias collides with the old one's physical name", () => {
    const role = (n: string) => rec(`aws:iam/role:Role::${n}`, { name: "c-api" });
    expect(subjects(fixed, input([role("new")], { base: [role("old")] }))).toEqual([
      "fixed-name-create-before-delete aws:iam/role:Role::new",
    ]);
  });
  test("a renamed resource with an alias to the old one is a rename in place and passes", () => {
    const ns = (n: string, aliases?: string[]) =>
      rec(
        `kubernetes:core/v1:Namespace::${n}`,
        { metadata: { name: "monitoring" } },
        [],
        aliases ? { aliases } : {},
      );
    const base = [ns("p-prometheus-ns")];
    expect(subjects(fixed, input([ns("p-prometheus-ns-monitoring")], { base }))).toEqual([
      "fixed-name-create-before-delete kubernetes:core/v1:Namespace::p-prometheus-ns-monitoring",
    ]);
    const aliased = ns("p-prometheus-ns-monitoring", [
      "kubernetes:core/v1:Namespace::p-prometheus-ns",
    ]);
    expect(fixed.check(input([aliased], { base }))).toEqual([]);
  });
  test("physical names: autonamed resources have none; Kubernetes objects are namespace/name", () => {
    expect(physicalName(rec("aws:iam/role:Role::r", {}))).toBeUndefined();
    expect(
      physicalName(rec("kubernetes:core/v1:Namespace::n", { metadata: { name: "api" } })),
    ).toBe("/api");
    expect(
      physicalName(rec("aws:eks/addon:Addon::a", { clusterName: "c", addonName: "coredns" })),
    ).toBe("c/coredns");
  });

  const moves = rule(updateRules, "kubernetes-version-moves-nodes");
  const at = (v: string, nodeVersion?: string) => [
    rec(CLUSTER, { name: "c", version: v }),
    ng({ nodeGroupNamePrefix: "c-general-", ...(nodeVersion ? { version: nodeVersion } : {}) }),
  ];
  test("blocker 6: a control-plane bump that leaves a node group behind is caught; one that moves it passes", () => {
    expect(subjects(moves, input(at("1.35"), { base: at("1.34") }))).toEqual([
      "kubernetes-version-moves-nodes eks:index:ManagedNodeGroup::general",
    ]);
    expect(moves.check(input(at("1.35", "1.35"), { base: at("1.34", "1.34") }))).toEqual([]);
  });

  const oneMinor = rule(updateRules, "eks-upgrade-one-minor");
  test.each([
    [
      "1.33",
      "1.35",
      "moves 1.33 → 1.35: upgrade one minor version per pulumi up; `npm run upgrade-plan -- prod2 1.35` lists the steps",
    ],
    ["1.35", "1.34", "moves 1.35 → 1.34: EKS cannot downgrade a cluster"],
  ])("%s → %s is refused", (from, to, message) => {
    expect(oneMinor.check(input(at(to), { base: at(from) })).map((f) => f.message)).toEqual([
      message,
    ]);
  });

  const follow = rule(updateRules, "nodes-follow-control-plane");
  test("a node group newer than the control plane is refused, naming the plan command", () => {
    expect(follow.check(input(at("1.35", "1.36"), { base: at("1.35", "1.35") }))).toEqual([
      {
        rule: "nodes-follow-control-plane",
        subject: "eks:index:ManagedNodeGroup::general",
        message:
          'runs "1.36", newer than the control plane\'s "1.35": EKS refuses it; upgrade the control plane first, one minor per pulumi up (`npm run upgrade-plan -- prod2 1.35` orders the steps)',
      },
    ]);
  });
  test("on a bump, a node group that does not wait for the cluster could move first", () => {
    const loose = (v: string) => [
      rec(CLUSTER, { name: "c", version: v }),
      rec("eks:index:ManagedNodeGroup::general", { version: v }),
    ];
    expect(subjects(follow, input(loose("1.36"), { base: loose("1.35") }))).toEqual([
      "nodes-follow-control-plane eks:index:ManagedNodeGroup::general",
    ]);
    // Ours wait for the cluster they reference: the same bump passes.
    expect(follow.check(input(at("1.36", "1.36"), { base: at("1.35", "1.35") }))).toEqual([]);
  });

  const tags = rule(updateRules, "tag-edit-rolls-nodes");
  const lt = (team: string, size = 50) =>
    rec("aws:ec2/launchTemplate:LaunchTemplate::general", {
      name: "c-general",
      blockDeviceMappings: [{ ebs: { volumeSize: size } }],
      tagSpecifications: [{ resourceType: "instance", tags: { team } }],
    });
  test("blocker 7: a launch template whose only change is its instance tags is caught", () => {
    expect(subjects(tags, input([lt("core")], { base: [lt("platform")] }))).toEqual([
      "tag-edit-rolls-nodes aws:ec2/launchTemplate:LaunchTemplate::general",
    ]);
  });
  test("a launch template change with a real node change rolls nodes on purpose and passes", () => {
    expect(tags.check(input([lt("core", 100)], { base: [lt("platform", 50)] }))).toEqual([]);
  });
});

describe("destroy rules", () => {
  test("a protected resource needs protect: false applied first", () => {
    const r = rule(destroyRules, "destroy-protected-first");
    expect(subjects(r, input([{ ...cluster, protect: true }], { destroy: true }))).toEqual([
      "destroy-protected-first eks:index:Cluster::c",
    ]);
  });
  test("a gateway that does not wait for the load balancer controller and ExternalDNS is caught", () => {
    const r = rule(destroyRules, "controllers-outlive-their-objects");
    const alb = rec("kubernetes:helm.sh/v3:Release::alb", {
      chart: "aws-load-balancer-controller",
    });
    const dns = rec("kubernetes:helm.sh/v3:Release::dns", { chart: "external-dns" });
    const gw = (deps: string[]) =>
      rec("kubernetes:helm.sh/v3:Release::gw", { chart: "gateway" }, deps);
    expect(r.check(input([alb, dns, gw([])])).map((f) => f.message)).toEqual([
      "does not wait for kubernetes:helm.sh/v3:Release::alb, so a destroy can remove the AWS Load Balancer Controller first and orphan the gateway's Network Load Balancer and its security groups; make it wait for the controller",
      "does not wait for kubernetes:helm.sh/v3:Release::dns, so a destroy can remove ExternalDNS first and orphan the gateway's Route 53 records and their TXT ownership records; make it wait for the controller",
    ]);
    expect(r.check(input([alb, dns, gw([keyOfRelease("alb"), keyOfRelease("dns")])]))).toEqual([]);
  });
  test("a StorageClass without a reclaim policy is caught, and every class's fate is stated", () => {
    const r = rule(destroyRules, "volume-reclaim-policy-stated");
    const sc = (name: string, reclaimPolicy?: string) =>
      rec(`kubernetes:storage.k8s.io/v1:StorageClass::${name}`, {
        metadata: { name },
        ...(reclaimPolicy ? { reclaimPolicy } : {}),
      });
    expect(subjects(r, input([sc("gp3", "Delete"), sc("efs")]))).toEqual([
      "volume-reclaim-policy-stated kubernetes:storage.k8s.io/v1:StorageClass::efs",
    ]);
    expect(volumeFates([sc("gp3", "Delete"), sc("keep", "Retain")])).toEqual([
      "StorageClass gp3: reclaimPolicy Delete, its volumes are deleted with their claims: back up first",
      "StorageClass keep: reclaimPolicy Retain, its EBS volumes stay after the destroy (delete them by hand once backed up)",
    ]);
  });
});
const keyOfRelease = (n: string) => `kubernetes:helm.sh/v3:Release::${n}`;

describe("rules-target-node-security-group", () => {
  const r = rule(securityGroupRules, "rules-target-node-security-group");
  // Ids the mocks never produce: the rule reads where a value came from, not what it looks like.
  const dnsRule = (output: string) => ({
    ...rec("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::dns", {
      referencedSecurityGroupId: "sg-1234567890abcdef0",
    }),
    provenance: { referencedSecurityGroupId: [{ resource: CLUSTER, output }] },
  });
  test("blocker 4: a rule on pulumi-eks's own group is caught, naming the group nodes carry", () => {
    expect(
      r.check(input([cluster, dnsRule("clusterSecurityGroupId")])).map((f) => f.message),
    ).toEqual([
      `referencedSecurityGroupId is pulumi-eks's own cluster security group (${CLUSTER} output clusterSecurityGroupId), which managed nodes and CoreDNS do not carry; use the cluster security group EKS creates (output eksCluster.vpcConfig.clusterSecurityGroupId)`,
    ]);
  });
  test("a rule on the EKS-created group passes, and so does pulumi-eks's output when it skips its own groups", () => {
    expect(
      r.check(input([cluster, dnsRule("eksCluster.vpcConfig.clusterSecurityGroupId")])),
    ).toEqual([]);
    const skipping = rec(CLUSTER, { name: "c", skipDefaultSecurityGroups: true });
    expect(r.check(input([skipping, dnsRule("nodeSecurityGroupId")]))).toEqual([]);
  });
  test("a synth without provenance cannot be judged, and says so instead of passing", () => {
    const old = rec("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::dns", {
      referencedSecurityGroupId: "sg-1234567890abcdef0",
    });
    expect(r.check(input([cluster, old])).map((f) => f.message)).toEqual([
      "the synth records no provenance, so which group an input names cannot be read; synthesize it again with this version (npm run synth)",
    ]);
  });
  test("node-group discovery tags on pulumi-eks's group are caught", () => {
    const tagged = rec(CLUSTER, {
      name: "c",
      nodeSecurityGroupTags: { "karpenter.sh/discovery": "c" },
    });
    const ok = dnsRule("eksCluster.vpcConfig.clusterSecurityGroupId");
    expect(subjects(r, input([tagged, ok]))).toEqual([
      "rules-target-node-security-group eks:index:Cluster::c",
    ]);
  });
});

describe("Pulumi CLI config rules", () => {
  const project = {
    name: "eks-blueprint",
    config: {
      kubernetesVersion: { type: "string" },
      protect: { type: "boolean" },
      grafanaAdminPassword: { type: "string", secret: true },
      region: { type: "string", default: "us-west-2" },
    },
  };
  test("blocker 1: a declared key without a default that the stack does not set is caught", () => {
    const r = rule(pulumiConfigRules, "declared-keys-are-set");
    expect(
      subjects(
        r,
        input([], { project, stackConfig: { "eks-blueprint:kubernetesVersion": "1.35" } }),
      ),
    ).toEqual([
      "declared-keys-are-set eks-blueprint:protect",
      "declared-keys-are-set eks-blueprint:grafanaAdminPassword",
    ]);
  });
  test("a secret key in plain text is caught; an encrypted one passes", () => {
    const r = rule(pulumiConfigRules, "secret-keys-are-encrypted");
    const plain = { "eks-blueprint:grafanaAdminPassword": "hunter2" };
    expect(subjects(r, input([], { project, stackConfig: plain }))).toEqual([
      "secret-keys-are-encrypted eks-blueprint:grafanaAdminPassword",
    ]);
    const secure = { "eks-blueprint:grafanaAdminPassword": { secure: "v1:abc" } };
    expect(r.check(input([], { project, stackConfig: secure }))).toEqual([]);
  });
  test("blocker 11: a misspelt key is named with the closest valid key; other namespaces are not ours", () => {
    const r = rule(pulumiConfigRules, "config-keys-are-known");
    const stackConfig = {
      "eks-blueprint:endpointPublicAcessCidrs": ["198.51.100.0/24"],
      "eks-blueprint:protected": false,
      "aws:profile": "prod",
    };
    expect(r.check(input([], { stackConfig })).map((f) => f.message)).toEqual([
      "is not a key this program reads, so it would be ignored; did you mean eks-blueprint:endpointPublicAccessCidrs?",
      "is not a key this program reads, so it would be ignored; did you mean eks-blueprint:protect?",
    ]);
  });
});

describe("config-is-valid", () => {
  const r = rule(pulumiConfigRules, "config-is-valid");
  const valid = {
    "aws:region": "us-west-2",
    "eks-blueprint:kubernetesVersion": "1.35",
    "eks-blueprint:vpcCidr": "10.30.0.0/16",
    "eks-blueprint:nodeGroups": {
      general: { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 },
    },
  };
  test("a config the program accepts passes", () => {
    expect(r.check(input([], { stackConfig: valid }))).toEqual([]);
  });
  test("the program's own error is the finding; unknown keys are left to config-keys-are-known", () => {
    const stackConfig = {
      ...valid,
      "eks-blueprint:vpcCidr": "10.30.0.0/8",
      "eks-blueprint:tagz": {},
    };
    expect(r.check(input([], { stackConfig })).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      expect.stringMatching(/^config-is-valid: eks-blueprint:vpcCidr: /),
    ]);
  });
});

describe("updateSummary", () => {
  test("a managed object read from now on is let go of when the ids match, else deleted", () => {
    const svc = (name: string) =>
      rec(`kubernetes:core/v1:Service::${name}`, {
        metadata: { name: "istio-ingressgateway", namespace: "istio-ingress" },
      });
    const base = [svc("kept"), svc("moved")];
    const head = [
      { ...svc("kept"), inputs: {}, read: "istio-ingress/istio-ingressgateway" },
      { ...svc("moved"), inputs: {}, read: "istio-ingress/another" },
    ];
    expect(updateSummary("s", base, head)).toMatchObject({
      created: [],
      updated: ["kubernetes:core/v1:Service::kept"],
      replaced: ["kubernetes:core/v1:Service::moved"],
      deleted: [],
    });
  });

  const role = (name: string, path = "/", aliases?: string[]) =>
    rec(`aws:iam/role:Role::${name}`, { path }, [], aliases ? { aliases } : {});
  test("sorts each resource by what an update does to it; an alias makes a rename an update", () => {
    const base = [role("kept"), role("moved"), role("renamed"), role("gone"), role("repathed")];
    const head = [
      role("kept"),
      role("moved-here", "/", ["aws:iam/role:Role::moved"]),
      role("renamed-without-alias"),
      role("new"),
      role("repathed", "/team/"),
      { ...role("adopted"), import: "adopted" },
      // A read is the cloud's: never created, updated or deleted by the stack.
      { ...role("looked-up"), read: "looked-up" },
    ];
    expect(updateSummary("s", [...base, { ...role("looked-up"), read: "x" }], head)).toEqual({
      created: ["aws:iam/role:Role::new", "aws:iam/role:Role::renamed-without-alias"],
      imported: ["aws:iam/role:Role::adopted"],
      updated: [],
      replaced: ["aws:iam/role:Role::repathed"],
      deleted: ["aws:iam/role:Role::gone", "aws:iam/role:Role::renamed"],
    });
  });
});

describe("identity across a move (aliases, inherited by children)", () => {
  const comp = (key: string, parent: string | null, aliases?: string[]) => ({
    ...rec(key, {}, [], aliases ? { aliases } : {}),
    parent,
  });
  const base = [
    comp("eks-blueprint:index:Platform::p", null),
    comp("eks-blueprint:index:MetricsServer::p-ms", "eks-blueprint:index:Platform::p"),
    comp("kubernetes:helm.sh/v3:Release::p-ms", "eks-blueprint:index:MetricsServer::p-ms"),
    comp("kubernetes:helm.sh/v3:Release::p-ms-extra", "eks-blueprint:index:MetricsServer::p-ms"),
  ];
  const moved = (releaseAlias?: string[]) => [
    comp("eks-blueprint:index:Platform::p", null),
    comp("eks-blueprint:index:AddonBundle::p-addons", "eks-blueprint:index:Platform::p"),
    comp(
      "eks-blueprint:index:MetricsServer::p-addons-ms",
      "eks-blueprint:index:AddonBundle::p-addons",
      ["eks-blueprint:index:MetricsServer::p-ms@eks-blueprint:index:Platform::p"],
    ),
    comp(
      "kubernetes:helm.sh/v3:Release::p-addons-ms",
      "eks-blueprint:index:MetricsServer::p-addons-ms",
      releaseAlias,
    ),
    // No alias of its own: it answers to its parent's old identity, as the engine's inherited aliases do.
    comp(
      "kubernetes:helm.sh/v3:Release::p-ms-extra",
      "eks-blueprint:index:MetricsServer::p-addons-ms",
    ),
  ];
  test("a component moved under a new parent with an alias naming the old one is the same resource", () => {
    const head = moved([
      "kubernetes:helm.sh/v3:Release::p-ms@eks-blueprint:index:MetricsServer::p-ms",
    ]);
    expect(updateSummary("s", base, head)).toEqual({
      created: ["eks-blueprint:index:AddonBundle::p-addons"],
      imported: [],
      updated: [],
      replaced: [],
      deleted: [],
    });
  });
  test("a renamed child without an alias is deleted and created, even under an aliased parent", () => {
    expect(updateSummary("s", base, moved())).toEqual({
      imported: [],
      created: [
        "eks-blueprint:index:AddonBundle::p-addons",
        "kubernetes:helm.sh/v3:Release::p-addons-ms",
      ],
      updated: [],
      replaced: [],
      deleted: ["kubernetes:helm.sh/v3:Release::p-ms"],
    });
  });
});

describe("the report", () => {
  const failing: Rule = {
    id: "always-fails",
    phase: "create",
    title: "a rule that finds something",
    source: "https://example.invalid/doc",
    smokeCheck: "nodes-ready",
    check: () => [{ rule: "always-fails", subject: "aws:x/a:A::a", message: "is wrong" }],
  };
  const throwing: Rule = {
    ...failing,
    id: "throws",
    check: () => {
      throw new Error("boom");
    },
  };
  const updateOnly: Rule = { ...failing, id: "update-only", phase: "update" };
  test("runs the rules of the rehearsed phases; a rule that throws is a blocker, never a pass", () => {
    const report = rehearse(input([rec("aws:x/a:A::a")]), [failing, throwing, updateOnly]);
    expect(report.phases).toEqual(["config", "create"]);
    expect(report.findings.map((f) => `${f.rule}: ${f.message}`)).toEqual([
      "always-fails: is wrong",
      "throws: the rule could not run: boom",
    ]);
    expect(formatReport(report)).toBe(
      [
        "rehearsal of prod2: config, create",
        "",
        "create order (1 resources):",
        "   1. aws:x/a:A::a",
        "",
        "[error] always-fails: a rule that finds something",
        "  source: https://example.invalid/doc",
        "  smoke check: nodes-ready",
        "  - aws:x/a:A::a: is wrong",
        "",
        "[error] throws: a rule that finds something",
        "  source: https://example.invalid/doc",
        "  smoke check: nodes-ready",
        "  - the rule could not run: boom",
        "",
        "2 blockers (2 rules: 0 passed)",
      ].join("\n"),
    );
  });
});
