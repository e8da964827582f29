// The registry is the one list of add-ons: everything else derives from it, and what must stay
// literal (the README's add-on table) is checked here against it.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AddonBundle, type AddonBundleArgs } from "../components/addons/bundle";
import { renames } from "../components/renames";
import {
  ADDON_KEYS,
  AddonKey,
  addonCharts,
  charts,
  installEdges,
  installOrder,
  specOf,
  suffixOf,
} from "../components/addons/registry";
import { addonSelectionProblems, installedAddons } from "../components/addons/selection";
import { EksBlueprint } from "../components/blueprint/blueprint";
import {
  addonTable,
  normalizeTable,
  readmeAddonTable,
  withAddonTable,
} from "../tools/docs/addon-table";
import type { SynthResult } from "../synth/record";
import { fakeContext, one, synthProgram } from "./day2-context";
import type { KubernetesMinor } from "../components/cluster/kubernetes-versions";

const README = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const REGISTRY = path.join(__dirname, "../components/addons/registry.ts");

test("the README's add-on table is the registry's (npm run docs:addons rewrites it)", () => {
  expect(readmeAddonTable(README)).toBe(normalizeTable(addonTable()));
});

test("the table writer replaces exactly the table under the heading", () => {
  const readme = "# x\n\n### Add-ons\n\nintro\n\n| a |\n| - |\n| old |\n\n## Next\n| keep |\n";
  expect(withAddonTable(readme, "| a |\n| - |\n| new |")).toBe(
    "# x\n\n### Add-ons\n\nintro\n\n| a |\n| - |\n| new |\n\n## Next\n| keep |\n",
  );
});

/** Each registry key with the file registry.ts imports its entry from. */
const entries = [
  ...readFileSync(REGISTRY, "utf8").matchAll(/^import \{ (\w+) \} from "(\.\.?\/[\w/-]+)";$/gm),
].map(([, key, from]) => [key, path.resolve(path.dirname(REGISTRY), `${from}.ts`)] as const);

test("registry.ts imports one entry per key, and every entry it imports is registered", () => {
  expect(entries.map(([key]) => key).sort()).toEqual([...ADDON_KEYS].sort());
});

const pascal = (key: string) => key[0].toUpperCase() + key.slice(1);

test.each(entries)("%s: one name from config key to component and settings type", (key, file) => {
  const component = pascal(key);
  expect(specOf(key as AddonKey).component).toBe(component);
  expect(readFileSync(file, "utf8")).toMatch(
    new RegExp(`^export const ${key}: AddonSpec<\\s*${component}Settings[,>]`, "m"),
  );
});

test("logical names: the component in kebab-case, or the name it had before the registry", () => {
  expect(suffixOf({ component: "MetricsServer" })).toBe("metrics-server");
  expect(
    Object.fromEntries(
      ADDON_KEYS.filter((k) => specOf(k).suffix !== undefined).map((k) => [k, specOf(k).suffix]),
    ),
  ).toEqual({ awsLoadBalancerController: "alb-controller", ebsCsiDriver: "ebs-csi" });
});

test("every chart is under a key that starts with its add-on's, and is in the one chart map", () => {
  for (const k of ADDON_KEYS) {
    for (const [chartKey] of addonCharts([k])) expect(chartKey.startsWith(k)).toBe(true);
  }
  expect(Object.keys(charts).sort()).toEqual(
    addonCharts()
      .map(([key]) => key)
      .sort(),
  );
});

test.each(ADDON_KEYS)("%s: every edge, requirement and implication names a registry key", (k) => {
  const s = specOf(k);
  const named = [
    ...Object.keys(s.installAfter ?? {}),
    ...Object.keys(s.requires ?? {}),
    ...Object.keys(s.implies ?? {}),
  ];
  expect(named.filter((n) => !(ADDON_KEYS as string[]).includes(n))).toEqual([]);
});

test("the install order puts every add-on after what it installs after", () => {
  const order = installOrder();
  for (const [from, to] of installEdges(ADDON_KEYS)) {
    expect(order.indexOf(from)).toBeGreaterThan(order.indexOf(to));
  }
  expect(order.slice(0, 2)).toEqual(["ebsCsiDriver", "prometheus"]);
});

describe("one meaning of on", () => {
  test.each<[string, Record<string, unknown>, AddonKey[]]>([
    ["nothing selected", {}, ["clusterAutoscaler", "metricsServer"]],
    ["a key present", { reloader: {} }, ["clusterAutoscaler", "metricsServer", "reloader"]],
    [
      "enabled: false",
      { reloader: { enabled: false }, metricsServer: { enabled: false } },
      ["clusterAutoscaler"],
    ],
    ["the autoscaler off", { clusterAutoscaler: { enabled: false } }, ["metricsServer"]],
    [
      "karpenter chosen: cluster-autoscaler stays off",
      { karpenter: { nodePools: {} } },
      ["karpenter", "metricsServer"],
    ],
    [
      "Prometheus brings its storage",
      { prometheus: {} },
      ["ebsCsiDriver", "prometheus", "clusterAutoscaler", "metricsServer"],
    ],
  ])("%s", (_what, selection, installed) => {
    expect(installedAddons(selection)).toEqual(installed);
  });
});

describe("a library user's mistakes, each named by its arg path", () => {
  test.each<[string, object, string[]]>([
    [
      "karpenter without node pools",
      { karpenter: {} },
      [
        "addons.karpenter.nodePools: no NodePools (got undefined); declare at least one, or Karpenter launches nothing",
      ],
    ],
    [
      "cluster-autoscaler on beside karpenter",
      {
        clusterAutoscaler: {},
        karpenter: { nodePools: { general: { limits: { cpu: "10", memory: "40Gi" } } } },
      },
      [
        'addons.karpenter: on together with clusterAutoscaler (got {"nodePools":{"general":{"limits":{"cpu":"10","memory":"40Gi"}}}}); both would manage the same nodes; keep one of them (enabled: false on the other)',
      ],
    ],
    [
      "a retention in words",
      { prometheus: { retention: "15 days" } },
      [
        'addons.prometheus.retention: not a Prometheus retention (got "15 days"); use a duration such as 15d or 720h',
      ],
    ],
    [
      "an unknown add-on",
      { kedaa: {} },
      [`addons.kedaa: unknown add-on (got "kedaa"); use one of ${ADDON_KEYS.join(", ")}`],
    ],
    [
      "an unknown setting",
      { reloader: { replicas: 2 } },
      ['addons.reloader.replicas: unknown setting (got "replicas"); use enabled, values'],
    ],
  ])("%s", (_what, selection, problems) => {
    expect(addonSelectionProblems(selection)).toEqual(problems);
  });

  test("AddonBundle refuses a bad selection before registering anything", async () => {
    await expect(
      synthProgram(
        () =>
          new AddonBundle("b", {
            context: fakeContext(),
            addons: { prometheus: { retention: "15 days" } },
          }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        'addons.prometheus.retention: not a Prometheus retention (got "15 days")',
      ),
      resources: [expect.objectContaining({ type: "pulumi:providers:kubernetes" })],
    });
  });

  test("AddonBundle refuses a minor it pins nothing for, naming the context", async () => {
    await expect(
      synthProgram(
        () =>
          new AddonBundle("b", {
            context: fakeContext({ kubernetesVersion: "1.29" as KubernetesMinor }),
          }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        "context.kubernetesVersion: no cluster-autoscaler image pinned",
      ),
      resources: [expect.objectContaining({ type: "pulumi:providers:kubernetes" })],
    });
  });

  test("EksBlueprint refuses two autoscalers and registers nothing", async () => {
    await expect(
      synthProgram(
        () =>
          new EksBlueprint("bp", {
            clusterName: "bp",
            kubernetesVersion: "1.35",
            region: "us-west-2",
            network: { cidrBlock: "10.50.0.0/16" },
            nodeGroups: { general: { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 } },
            addons: {
              clusterAutoscaler: {},
              karpenter: { nodePools: { general: { limits: { cpu: "10", memory: "40Gi" } } } },
            },
          }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining("addons.karpenter: on together with clusterAutoscaler"),
      resources: [],
    });
  });
});

/** The aliases a record carries; the record must exist. */
const aliasesOf = (r: SynthResult, type: string, name: string) => one(r, type, name).aliases;

/** An AddonBundle under a Platform component, where earlier versions put the add-ons. */
const underPlatform = (args: Omit<AddonBundleArgs, "context">, context = fakeContext) =>
  synthProgram(() => {
    const platform = new pulumi.ComponentResource(
      "eks-blueprint:index:Platform",
      "p",
      {},
      { transforms: [renames("Platform", "p")] },
    );
    new AddonBundle("p-addons", { ...args, context: context() }, { parent: platform });
  });

test("a moved add-on carries an alias to its old name under its old parent", async () => {
  const r = await underPlatform({});
  expect(aliasesOf(r, "eks-blueprint:index:MetricsServer", "p-addons-metrics-server")).toEqual([
    "eks-blueprint:index:MetricsServer::p-metrics-server@eks-blueprint:index:Platform::p",
  ]);
  expect(aliasesOf(r, "kubernetes:helm.sh/v3:Release", "p-addons-metrics-server")).toEqual([
    "kubernetes:helm.sh/v3:Release::p-metrics-server@eks-blueprint:index:MetricsServer::p-metrics-server",
  ]);
  // cluster-autoscaler was always the bundle's: no alias.
  expect(
    aliasesOf(r, "kubernetes:helm.sh/v3:Release", "p-addons-cluster-autoscaler"),
  ).toBeUndefined();
});

test("a renamed component (EfsCsiDriver → Efs) carries an alias to its old type, and so do its children", async () => {
  const r = await underPlatform({ addons: { efs: {} } }, () =>
    fakeContext({ privateSubnetIds: ["subnet-a"], clusterSecurityGroupId: "sg-1" }),
  );
  expect(aliasesOf(r, "eks-blueprint:index:Efs", "p-addons-efs")).toEqual([
    "eks-blueprint:index:EfsCsiDriver::p-efs@eks-blueprint:index:Platform::p",
  ]);
  expect(aliasesOf(r, "aws:efs/fileSystem:FileSystem", "p-addons-efs")).toEqual([
    "aws:efs/fileSystem:FileSystem::p-efs@eks-blueprint:index:EfsCsiDriver::p-efs",
  ]);
});

test("outside a Platform, the renamed Efs component keeps its old type in place, and its children follow", async () => {
  const r = await synthProgram(() => {
    new AddonBundle("b", {
      context: fakeContext({ privateSubnetIds: ["subnet-a"], clusterSecurityGroupId: "sg-1" }),
      addons: { efs: {} },
    });
  });
  expect(aliasesOf(r, "eks-blueprint:index:Efs", "b-efs")).toEqual([
    "eks-blueprint:index:EfsCsiDriver::b-efs",
  ]);
  expect(aliasesOf(r, "aws:efs/fileSystem:FileSystem", "b-efs")).toEqual([
    "aws:efs/fileSystem:FileSystem::b-efs@eks-blueprint:index:EfsCsiDriver::b-efs",
  ]);
});
