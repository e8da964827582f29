import {
  addonPins,
  describeArgs,
  offeredVersions,
  pinProblem,
} from "../tools/workflows/check-addon-versions";
import {
  addonVersionDocumentedRule,
  eksAddonCatalog,
  eksAddonRules,
  type EksAddonCatalog,
} from "../policy/rehearse/rules/eks-addons";
import type { RehearsalInput } from "../policy/rehearse/types";
import type { SynthRecord } from "../synth/record";

const cluster = (name: string, version: string | undefined): SynthRecord => ({
  type: "eks:index:Cluster",
  name,
  parent: null,
  inputs: { name: `eks-blueprint-${name}`, ...(version ? { version } : {}) },
  dependsOn: [],
});

const addon = (name: string, inputs: Record<string, unknown>, dependsOn: string[] = []) =>
  ({ type: "aws:eks/addon:Addon", name, parent: null, inputs, dependsOn }) as SynthRecord;

const input = (head: SynthRecord[]): RehearsalInput => ({
  stack: "test",
  project: { name: "eks-blueprint" },
  stackConfig: {},
  head,
});

const rule = eksAddonRules.find((r) => r.id === "eks-addon-version-documented")!;

describe("eks-addon-version-documented", () => {
  test("blocker 8: an invented coredns version on a 1.35 cluster is refused with the documented one", () => {
    expect(
      rule.check(
        input([
          cluster("prod2", "1.35"),
          addon("prod2-core-coredns", {
            clusterName: "eks-blueprint-prod2",
            addonName: "coredns",
            addonVersion: "v1.13.1-eksbuild.1",
          }),
        ]),
      ),
    ).toEqual([
      {
        rule: "eks-addon-version-documented",
        subject: "aws:eks/addon:Addon::prod2-core-coredns",
        message:
          'addonVersion: not the version the catalog documents for coredns on Kubernetes 1.35 (got "v1.13.1-eksbuild.1"); use "v1.14.3-eksbuild.3"',
      },
    ]);
  });

  test.each([
    ["1.33", "kube-proxy", "v1.33.10-eksbuild.13"],
    ["1.34", "coredns", "v1.13.2-eksbuild.11"],
    ["1.35", "vpc-cni", "v1.21.1-eksbuild.7"],
    ["1.35", "aws-ebs-csi-driver", "v1.57.1-eksbuild.1"],
  ])("a %s cluster's %s at the documented %s passes", (minor, addonName, addonVersion) => {
    expect(
      rule.check(
        input([
          cluster("c", minor),
          addon("a", { clusterName: "eks-blueprint-c", addonName, addonVersion }),
        ]),
      ),
    ).toEqual([]);
  });

  test("a version documented for another minor is refused: kube-proxy 1.34 on a 1.35 cluster", () => {
    expect(
      rule
        .check(
          input([
            cluster("c", "1.35"),
            addon("a", {
              clusterName: "eks-blueprint-c",
              addonName: "kube-proxy",
              addonVersion: "v1.34.6-eksbuild.13",
            }),
          ]),
        )
        .map((f) => f.message),
    ).toEqual([
      'addonVersion: not the version the catalog documents for kube-proxy on Kubernetes 1.35 (got "v1.34.6-eksbuild.13"); use "v1.35.3-eksbuild.13"',
    ]);
  });

  test("an add-on without a version (EKS would pick its default) is refused", () => {
    expect(
      rule
        .check(
          input([
            cluster("c", "1.33"),
            addon("a", { clusterName: "eks-blueprint-c", addonName: "eks-pod-identity-agent" }),
          ]),
        )
        .map((f) => f.message),
    ).toEqual([
      'addonVersion: not the version the catalog documents for eks-pod-identity-agent on Kubernetes 1.33 (got null); use "v1.3.10-eksbuild.2"',
    ]);
  });

  test("the cluster is found by the dependency when the name is not a plain string", () => {
    const head = [
      cluster("old", "1.33"),
      cluster("new", "1.35"),
      addon(
        "a",
        { clusterName: "[unknown]", addonName: "coredns", addonVersion: "v1.14.3-eksbuild.3" },
        ["eks:index:Cluster::new"],
      ),
    ];
    expect(rule.check(input(head))).toEqual([]);
  });

  test.each([
    [
      "an add-on the catalog does not pin",
      [
        cluster("c", "1.35"),
        addon("a", {
          clusterName: "eks-blueprint-c",
          addonName: "metrics-server",
          addonVersion: "v0.8.1-eksbuild.1",
        }),
      ],
      'addonName: not an add-on the catalog pins (got "metrics-server"); use one of vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, amazon-cloudwatch-observability or add it to eksAddonNames and eksAddonVersions in components/addons/catalog.ts',
    ],
    [
      "a cluster minor the catalog has no pins for",
      [
        cluster("c", "1.32"),
        addon("a", {
          clusterName: "eks-blueprint-c",
          addonName: "coredns",
          addonVersion: "v1.11.4-eksbuild.40",
        }),
      ],
      'eks:index:Cluster::c version: not a minor the catalog pins add-on versions for (got "1.32"); use one of 1.33, 1.34, 1.35, 1.36',
    ],
    [
      "no cluster the add-on can be matched to",
      [
        cluster("x", "1.35"),
        cluster("y", "1.35"),
        addon("a", {
          clusterName: "other",
          addonName: "coredns",
          addonVersion: "v1.14.3-eksbuild.3",
        }),
      ],
      'clusterName: matches no eks:index:Cluster in the synth, so its Kubernetes minor is unknown (got "other"); take the cluster name from the cluster resource',
    ],
  ])("%s is refused", (_case, head, message) => {
    expect(rule.check(input(head)).map((f) => f.message)).toEqual([message]);
  });

  test("a pin without a source URL is refused even at the pinned version", () => {
    const unsourced: EksAddonCatalog = {
      ...eksAddonCatalog,
      sources: { ...eksAddonCatalog.sources, coredns: "" },
    };
    expect(
      addonVersionDocumentedRule(unsourced)
        .check(
          input([
            cluster("c", "1.35"),
            addon("a", {
              clusterName: "eks-blueprint-c",
              addonName: "coredns",
              addonVersion: "v1.14.3-eksbuild.3",
            }),
          ]),
        )
        .map((f) => f.message),
    ).toEqual([
      'eksAddonVersionSources.coredns: the pin has no source URL (got ""); give the public AWS page the version was read from',
    ]);
  });
});

describe("the weekly check against describe-addon-versions (tools/workflows/check-addon-versions.ts)", () => {
  const answer = {
    addons: [
      {
        addonName: "coredns",
        addonVersions: [
          {
            addonVersion: "v1.14.3-eksbuild.3",
            compatibilities: [{ clusterVersion: "1.35", defaultVersion: false }],
          },
          {
            addonVersion: "v1.13.2-eksbuild.11",
            compatibilities: [{ clusterVersion: "1.35", defaultVersion: true }],
          },
        ],
      },
    ],
  };
  const pin = {
    minor: "1.35",
    key: "coredns" as const,
    addonName: "coredns",
    version: "v1.14.3-eksbuild.3",
  };

  test("there is one pin per add-on and minor, 24 in all", () => {
    expect(addonPins().length).toBe(24);
    expect(addonPins()[0]).toEqual({
      minor: "1.33",
      key: "vpcCni",
      addonName: "vpc-cni",
      version: "v1.21.1-eksbuild.7",
    });
  });

  test("the CLI is asked for one add-on and one minor, as JSON", () => {
    expect(describeArgs(pin)).toEqual([
      "eks",
      "describe-addon-versions",
      "--kubernetes-version",
      "1.35",
      "--addon-name",
      "coredns",
      "--output",
      "json",
    ]);
  });

  test("an offered pin passes", () => {
    expect(offeredVersions(answer, "coredns", "1.35")).toEqual([
      "v1.14.3-eksbuild.3",
      "v1.13.2-eksbuild.11",
    ]);
    expect(pinProblem(pin, answer)).toBeUndefined();
  });

  test("a pin EKS no longer offers fails with what it does offer", () => {
    expect(pinProblem({ ...pin, version: "v1.14.2-eksbuild.4" }, answer)).toBe(
      'eksAddonVersions["1.35"].coredns: EKS does not offer coredns at this version for Kubernetes 1.35 (got "v1.14.2-eksbuild.4"); offered include "v1.14.3-eksbuild.3", "v1.13.2-eksbuild.11"',
    );
  });

  test("an empty answer says EKS offers nothing for the minor", () => {
    expect(pinProblem({ ...pin, minor: "1.36" }, answer)).toBe(
      'eksAddonVersions["1.36"].coredns: EKS does not offer coredns at this version for Kubernetes 1.36 (got "v1.14.3-eksbuild.3"); EKS offers no version of it for this minor',
    );
  });
});

describe("eks-addon-one-minor", () => {
  const oneMinor = eksAddonRules.find((r) => r.id === "eks-addon-one-minor")!;
  const at = (addonName: string, addonVersion: string) => [
    addon("core-x", { clusterName: "eks-blueprint-c", addonName, addonVersion }),
  ];
  test.each([
    ["vpc-cni", "v1.19.2-eksbuild.1", "v1.21.1-eksbuild.7", "pin v1.20.x"],
    ["eks-pod-identity-agent", "v1.1.0-eksbuild.1", "v1.3.10-eksbuild.2", "pin v1.2.x"],
  ])("%s %s → %s skips a minor and is refused", (name, from, to, fix) => {
    expect(
      oneMinor.check({ ...input(at(name, to)), base: at(name, from) }).map((f) => f.message),
    ).toEqual([
      `moves ${from} → ${to}, skipping a minor; ${fix} for one pulumi up first (eksAddonVersions in components/addons/catalog.ts)`,
    ]);
  });
  test("one minor, a patch, or an add-on without the rule passes", () => {
    const pass = (name: string, from: string, to: string) =>
      oneMinor.check({ ...input(at(name, to)), base: at(name, from) });
    expect(pass("vpc-cni", "v1.20.1-eksbuild.3", "v1.21.1-eksbuild.7")).toEqual([]);
    expect(pass("vpc-cni", "v1.21.1-eksbuild.1", "v1.21.1-eksbuild.7")).toEqual([]);
    expect(pass("coredns", "v1.11.4-eksbuild.2", "v1.14.3-eksbuild.3")).toEqual([]);
  });
});
