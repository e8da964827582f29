import { isInstanceTypeName } from "../components/compute/instance-types";
import { parseStackConfig } from "../stacks/config";
import { editDistance } from "../components/problems";
import { closestKey, knownConfigKeys, unknownKeyProblems } from "../stacks/config-keys";
import { blueprintNamespaceProblems } from "../components/blueprint/blueprint-problems";
import { formatCidr, hasHostBits, parseCidr } from "../components/network/cidr";
import { endpointCidrProblems } from "../components/cluster/cluster-settings";
import { fargatePatternMatches as matchesPattern } from "../components/compute/fargate";
import { configKeyOf } from "../stacks/config-keys";
import { flattenConfig } from "../synth/stack-files";
import { committedConfig, RawConfig } from "./stack-harness";

describe("known keys and the closest one", () => {
  test("knownConfigKeys lists our namespaces' keys, qualified and sorted, and not aws:region", () => {
    const keys = knownConfigKeys();
    expect(keys).toContain("eks-blueprint:protect");
    expect(keys).toContain("eks-blueprint:grafanaAdminPassword");
    expect(keys).toContain("eks-blueprint:workloadNamespaces");
    expect(keys.filter((k) => k.startsWith("migration:"))).toEqual([
      "migration:externalPeers",
      "migration:hostedZoneId",
      "migration:hostnames",
      "migration:importRecords",
      "migration:peers",
      "migration:singletons",
      "migration:weight",
    ]);
    expect(keys).not.toContain("aws:region");
    expect(keys).toHaveLength(28);
    expect([...keys].sort()).toEqual(keys);
  });

  test.each([
    ["kitten", "sitting", 3],
    ["protect", "protected", 2],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("edit distance of %s and %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  test.each([
    ["eks-blueprint:protected", "eks-blueprint:protect"],
    ["eks-blueprint:endpointPublicAcessCidrs", "eks-blueprint:endpointPublicAccessCidrs"],
    ["eks-blueprint:nodegroups", "eks-blueprint:nodeGroups"],
    ["eks-blueprint:workloadNamespace", "eks-blueprint:workloadNamespaces"],
    ["migration:wieght", "migration:weight"],
    ["migration:singleton", "migration:singletons"],
  ])("closestKey(%s) is %s", (typo, want) => {
    expect(closestKey(typo)).toBe(want);
  });

  test("closestKey has no suggestion for another provider's key", () => {
    expect(closestKey("aws:regoin")).toBeUndefined();
  });

  test("unknownKeyProblems leaves aws:, other providers' and known keys alone", () => {
    expect(
      unknownKeyProblems({
        "aws:region": "us-west-2",
        "aws:profile": "prod",
        "kubernetes:context": "x",
        "eks-blueprint:protect": "true",
        "migration:weight": "10",
      }),
    ).toEqual([]);
  });
});

describe("Fargate namespace patterns", () => {
  test.each([
    ["batch-*", "batch-jobs", true],
    ["batch-*", "batch-", true],
    ["batch-?", "batch-a", true],
    ["batch-?", "batch-jobs", false],
    ["*dev", "team-dev", true],
    ["*", "kube-system", true],
    ["kube-*", "kube-public", true],
    ["prod*", "staging", false],
  ])("%s matches %s: %s", (pattern, namespace, want) => {
    expect(matchesPattern(pattern, namespace)).toBe(want);
  });

  test("a declared, an EKS and a pattern namespace pass; an undeclared one is named by its config key", () => {
    const role = (namespace: string) => ({ namespace, serviceAccount: "sa" });
    expect(
      blueprintNamespaceProblems(
        {
          workloadNamespaces: ["batch-jobs"],
          irsaRoles: { a: role("batch-jobs"), b: role("kube-system"), d: role("orders") },
          fargateProfiles: { c: { selectors: [{ namespace: "batch-*" }] } },
        },
        configKeyOf,
      ),
    ).toEqual([
      'eks-blueprint:irsaRoles.d.namespace: a namespace this program does not create (got "orders"); declare it in eks-blueprint:workloadNamespaces (now ["batch-jobs"]) or use one EKS has: default, kube-node-lease, kube-public, kube-system',
    ]);
  });
});

describe("endpoint CIDRs", () => {
  test.each([
    ["198.51.100.0/24", false],
    ["198.51.100.7/24", true],
    ["198.51.100.7/32", false],
    ["10.0.0.0/8", false],
    ["10.1.0.0/8", true],
  ])("%s has host bits set: %s", (cidr, want) => {
    expect(hasHostBits(cidr)).toBe(want);
  });

  test("formatCidr writes the network address back", () => {
    const parsed = parseCidr("203.0.113.77/20")!;
    expect(formatCidr(parsed.network, parsed.prefix)).toBe("203.0.112.0/20");
  });

  test.each(["10.0.0.0/8", "198.51.100.0/24", "203.0.113.9/32"])(
    "%s is accepted for the public endpoint",
    (cidr) => {
      expect(endpointCidrProblems([cidr], "endpointPublicAccessCidrs")).toEqual([]);
    },
  );
});

describe("instance types", () => {
  test.each([
    ["m7i.large", true],
    ["m7g.xlarge", true],
    ["c7i.48xlarge", true],
    ["m7i-flex.large", true],
    ["m7i.hyperlarge", false],
    ["m99.large", false],
    ["M7i.large", false],
  ])("EC2 offers %s: %s", (type, want) => {
    expect(isInstanceTypeName(type)).toBe(want);
  });
});

describe("configs that are valid", () => {
  const accepts = (mutate: (c: RawConfig) => void) => {
    const config = committedConfig("prod2");
    mutate(config);
    return () => parseStackConfig("prod2", flattenConfig(config).config);
  };

  test("a Fargate pattern that matches a declared namespace is accepted", () => {
    expect(
      accepts((c) => {
        c["eks-blueprint:fargateProfiles"] = { batch: { selectors: [{ namespace: "batch-*" }] } };
      }),
    ).not.toThrow();
  });

  test("a Fargate selector naming kube-system explicitly is accepted (Fargate-only CoreDNS)", () => {
    expect(
      accepts((c) => {
        c["eks-blueprint:fargateProfiles"] = {
          system: { selectors: [{ namespace: "kube-system" }] },
        };
      }),
    ).not.toThrow();
  });
});
