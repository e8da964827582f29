import * as fs from "node:fs";
import * as path from "node:path";
import {
  clusterAutoscalerImageTags,
  eksAddonNames,
  eksAddonVersions,
  type ChartPin,
  type OciChartPin,
} from "../components/addons/catalog";
import { charts } from "../components/addons/registry";
import {
  autoReplace,
  compileTemplate,
  extractDeps,
  filePattern,
  re2Problems,
  type ExtractedDep,
  type RegexManager,
} from "./renovate-extract";
import { chartFixture, upstreamYaml } from "./upstream";

const ROOT = path.resolve(__dirname, "..");
const config = JSON.parse(fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8")) as {
  customManagers: RegexManager[];
};

/** Repository-relative paths of every file under components/, as Renovate lists them. */
function repoFiles(dir = "components"): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? repoFiles(rel) : [rel];
  });
}

const deps: ExtractedDep[] = config.customManagers.flatMap((m) =>
  repoFiles()
    .filter((f) => m.managerFilePatterns.some((p) => filePattern(p).test(f)))
    .flatMap((f) => extractDeps(m, f, fs.readFileSync(path.join(ROOT, f), "utf8"))),
);

/** What Renovate looks up for a dependency: datasource, registry, package, current version. */
const lookup = (d: {
  datasource?: string;
  registryUrl?: string;
  packageName?: string;
  depName?: string;
  currentValue?: string;
}) => `${d.datasource} ${d.registryUrl ?? "-"} ${d.packageName ?? d.depName} ${d.currentValue}`;

const found = (datasource: string) =>
  deps
    .filter((d) => d.datasource === datasource)
    .map(lookup)
    .sort();

/**
 * Charts that share one version constant because upstream releases them together: Renovate
 * looks up the first package and the bump moves all of them.
 */
const ONE_LOOKUP_FOR: Record<string, string[]> = {
  istiod: ["base", "istiod", "gateway"],
  "public.ecr.aws/karpenter/karpenter": [
    "public.ecr.aws/karpenter/karpenter",
    "public.ecr.aws/karpenter/karpenter-crd",
  ],
};
const leadOf = (pkg: string) =>
  Object.entries(ONE_LOOKUP_FOR).find(([, members]) => members.includes(pkg))?.[0] ?? pkg;

/** How Renovate's helmv3 manager looks a chart up: helm for https, docker for oci:// charts. */
function chartLookup(pin: ChartPin | OciChartPin): string {
  return "repo" in pin
    ? lookup({
        datasource: "helm",
        registryUrl: new URL(pin.repo).toString(),
        packageName: leadOf(pin.chart),
        currentValue: pin.version,
      })
    : lookup({
        datasource: "docker",
        packageName: leadOf(pin.chart.replace("oci://", "")),
        currentValue: pin.version,
      });
}

describe("Renovate's custom managers find exactly the pins the code exports", () => {
  test("Helm charts in https repositories: chart, repo and version of every pin", () => {
    const expected = Object.values(charts).filter((p) => "repo" in p);
    expect(found("helm")).toEqual([...new Set(expected.map(chartLookup))].sort());
  });

  test("OCI charts and the cluster-autoscaler image, on the docker datasource", () => {
    const image = upstreamYaml<{ image: { repository: string } }>(
      chartFixture(charts.clusterAutoscaler, "values.yaml"),
    ).image.repository;
    const oci = Object.values(charts).filter((p) => !("repo" in p));
    const tags = Object.values(clusterAutoscalerImageTags).map((tag) =>
      lookup({ datasource: "docker", packageName: image, currentValue: tag }),
    );
    expect(found("docker")).toEqual([...new Set(oci.map(chartLookup)), ...tags].sort());
  });

  test("EKS add-on versions: one aws-eks-addon lookup per add-on and Kubernetes minor", () => {
    const expected = Object.entries(eksAddonVersions).flatMap(([minor, pinned]) =>
      Object.entries(pinned).map(([key, version]) =>
        lookup({
          datasource: "aws-eks-addon",
          packageName: JSON.stringify({
            kubernetesVersion: minor,
            addonName: eksAddonNames[key as keyof typeof eksAddonNames],
          }),
          currentValue: version,
        }),
      ),
    );
    expect(found("aws-eks-addon")).toEqual(expected.sort());
  });

  test("nothing else: every extracted dependency is one of the three kinds above", () => {
    expect(
      deps.filter((d) => !["helm", "docker", "aws-eks-addon"].includes(d.datasource!)),
    ).toEqual([]);
  });
});

describe("a Renovate bump", () => {
  const file = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

  test("of Reloader rewrites its version and the tag in its source URL, nothing else", () => {
    const dep = deps.find((d) => d.depName === "reloader")!;
    const before = file(dep.file);
    const after = autoReplace(before, dep, "2.3.0");
    const changed = after.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed.map((l) => l.trim())).toEqual([
      'version: "2.3.0",',
      '"https://github.com/stakater/Reloader/blob/chart-v2.3.0/deployments/kubernetes/chart/reloader/Chart.yaml",',
    ]);
  });

  /** Dependencies found in a pin literal, as opposed to a shared version constant. */
  const literal = deps.filter((d) => d.replaceString.startsWith("chart:"));

  test.each(literal.map((d) => [d.depName, d] as const))(
    "of %s rewrites its whole pin, the source URL's tag included",
    (_name, dep) => {
      const pin = Object.values(charts).find((p) => p.chart.replace("oci://", "") === dep.depName)!;
      expect(dep.replaceString).toContain(JSON.stringify(pin.source));
    },
  );
});

describe("the config is what Renovate accepts", () => {
  test.each(config.customManagers.flatMap((m) => m.matchStrings))(
    "%s uses no syntax RE2 lacks",
    (s) => {
      expect(re2Problems(s)).toEqual([]);
    },
  );

  test("RE2 problems are caught: lookahead, lookbehind and backreferences", () => {
    expect(re2Problems(String.raw`(?=a)(?<!b)(x)\1`)).toEqual([
      String.raw`lookahead in (?=a)(?<!b)(x)\1`,
      String.raw`lookbehind in (?=a)(?<!b)(x)\1`,
      String.raw`backreference in (?=a)(?<!b)(x)\1`,
    ]);
  });

  test("a template wins over a captured group, as in Renovate's createDependency", () => {
    const manager: RegexManager = {
      customType: "regex",
      managerFilePatterns: ["/x/"],
      matchStrings: [String.raw`(?<depName>\w+)@(?<currentValue>[\d.]+)`],
      depNameTemplate: "fixed-{{{depName}}}",
      datasourceTemplate: "helm",
    };
    expect(extractDeps(manager, "x", "chart@1.2.3")).toEqual([
      {
        file: "x",
        depName: "fixed-chart",
        currentValue: "1.2.3",
        datasource: "helm",
        replaceString: "chart@1.2.3",
      },
    ]);
  });

  test("templates other than {{{group}}} are refused, not half-rendered", () => {
    expect(() => compileTemplate("{{#if a}}b{{/if}}", { a: "1" })).toThrow(
      'template: only {{{group}}} is supported here (got "{{#if a}}b{{/if}}")',
    );
  });
});
