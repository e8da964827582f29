import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  albControllerIamPolicy,
  ChartPin,
  clusterAutoscalerImageTags,
  eksAddonVersionSources,
  eksAddonVersions,
  pinnedReleaseArgs,
} from "../components/addons/catalog";
import { clusterAutoscalerImageTag } from "../components/addons/cluster-autoscaler";
import { charts } from "../components/addons/registry";
import { stableJson } from "../components/access/irsa-policy";
import { SUPPORTED_KUBERNETES_MINORS } from "../components/cluster/kubernetes-versions";
import { chartFixture, expectUpToDate, upstreamJson, upstreamYaml } from "./upstream";

const policyCopy = path.resolve(__dirname, "../components/addons", albControllerIamPolicy.file);

describe("chart pins", () => {
  test.each(Object.entries(charts))(
    "%s is an exact version from an https or OCI registry",
    (_k, pin) => {
      expect(pin.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(new URL("repo" in pin ? pin.repo : pin.chart).protocol).toBe(
        "repo" in pin ? "https:" : "oci:",
      );
      // The Chart.yaml the pin was checked against, at a tag or (eks-charts has none) a commit.
      expect(pin.source).toMatch(/^https:\/\/github\.com\/.+\/Chart\.yaml$/);
    },
  );

  test("the three Istio charts share one version", () => {
    expect(
      new Set(
        [charts.istioBase, charts.istiod, charts.istioGateway, charts.istioCni].map(
          (c) => c.version,
        ),
      ),
    ).toEqual(new Set(["1.30.3"]));
  });

  /** Istio publishes its releases from Chart.yaml files that say 1.0.0 (tested below). */
  const isIstio = (pin: { chart: string }) =>
    chartFixture(pin, "Chart.yaml").startsWith("charts/istio/");

  test.each(Object.entries(charts).filter(([, pin]) => !isIstio(pin)))(
    "%s is the chart and version of the Chart.yaml vendored at its source",
    (_key, pin) => {
      const fixture = chartFixture(pin, "Chart.yaml");
      const meta = upstreamYaml<{ name: string; version: string }>(fixture);
      const name = pin.chart.split("/").pop();
      expectUpToDate([
        ...(name === meta.name ? [] : [`${fixture}: chart ${meta.name}, the pin says ${name}`]),
        ...(pin.version === meta.version
          ? []
          : [`${fixture}: version ${meta.version}, the pin says ${pin.version}`]),
      ]);
    },
  );

  test("Istio charts carry the placeholder 1.0.0 in git, so we pin the release tag", () => {
    const istio = Object.values(charts).filter(isIstio);
    expect(istio.map((pin) => upstreamYaml(chartFixture(pin, "Chart.yaml")).version)).toEqual([
      "1.0.0",
      "1.0.0",
      "1.0.0",
      "1.0.0",
    ]);
  });

  test("a pin becomes a Release with exactly its chart, version and repo", () => {
    const args = pinnedReleaseArgs(charts.externalDns as ChartPin, {
      name: "external-dns",
      namespace: "external-dns",
      values: { txtOwnerId: "c" },
    });
    expect(args).toMatchObject({
      name: "external-dns",
      chart: "external-dns",
      version: "1.21.1",
      repositoryOpts: { repo: "https://kubernetes-sigs.github.io/external-dns/" },
      createNamespace: false,
      timeout: 600,
    });
    expect(args.skipAwait).toBeUndefined();
  });
});

describe("cluster-autoscaler image follows the cluster's Kubernetes minor", () => {
  test.each(SUPPORTED_KUBERNETES_MINORS)("a %s cluster runs a v%s.x autoscaler", (minor) => {
    expect(clusterAutoscalerImageTag(minor)).toMatch(
      new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`),
    );
  });

  test("every supported minor has a tag, and no other", () => {
    expect(Object.keys(clusterAutoscalerImageTags).sort()).toEqual([
      ...SUPPORTED_KUBERNETES_MINORS,
    ]);
  });

  test("an unpinned minor fails with the context key and what is valid", () => {
    expect(() => clusterAutoscalerImageTag("1.29")).toThrow(
      'context.kubernetesVersion: no cluster-autoscaler image pinned for the cluster\'s Kubernetes minor (got "1.29"); use one of 1.33, 1.34, 1.35, 1.36 or add it to clusterAutoscalerImageTags in components/addons/catalog.ts',
    );
  });
});

describe("EKS add-on versions are traced to public AWS sources", () => {
  test("every add-on pinned for a minor names the page its versions were read from", () => {
    // An AWS user guide page, or a file at a fixed commit: a source that cannot move under the pin.
    for (const url of Object.values(eksAddonVersionSources)) {
      expect(url).toMatch(
        /^https:\/\/(docs\.aws\.amazon\.com|docs\.amazonaws\.cn)\/.*eks\/latest\/userguide\/|^https:\/\/github\.com\/awslabs\/[\w-]+\/blob\/[0-9a-f]{40}\//,
      );
    }
    for (const pinned of Object.values(eksAddonVersions)) {
      expect(Object.keys(pinned).sort()).toEqual(Object.keys(eksAddonVersionSources).sort());
    }
  });

  // Read by hand from the sources above; the weekly addon-versions workflow asks EKS itself.
  test("1.35 pins the versions the user guide tables and the AWS Labs version maps give", () => {
    expect(eksAddonVersions["1.35"]).toEqual({
      vpcCni: "v1.21.1-eksbuild.7",
      coredns: "v1.14.3-eksbuild.3",
      kubeProxy: "v1.35.3-eksbuild.13",
      podIdentityAgent: "v1.3.10-eksbuild.2",
      ebsCsiDriver: "v1.57.1-eksbuild.1",
      cloudwatchObservability: "v5.3.1-eksbuild.1",
    });
  });
});

/** What is out of step between the ALB chart pin, the IAM pin and our copy of the policy. */
function iamPinDrift(
  chart: Pick<ChartPin, "version">,
  pin: typeof albControllerIamPolicy,
  copy: string,
): string[] {
  const drift: string[] = [];
  if (pin.chartVersion !== chart.version) {
    drift.push(`policy checked at chart ${pin.chartVersion}, chart pinned at ${chart.version}`);
  }
  if (!pin.upstream.includes(`/v${chart.version}/`)) {
    drift.push(`upstream ${pin.upstream} is not the policy of v${chart.version}`);
  }
  const sha = createHash("sha256")
    .update(stableJson(JSON.parse(copy)))
    .digest("hex");
  if (sha !== pin.sha256) drift.push(`policy copy changed (sha256 ${sha})`);
  return drift;
}

describe("the ALB controller's IAM policy moves with its chart version", () => {
  const copy = fs.readFileSync(policyCopy, "utf8");

  test("chart version, policy pin and our copy agree", () => {
    expect(iamPinDrift(charts.awsLoadBalancerController, albControllerIamPolicy, copy)).toEqual([]);
  });

  test("bumping the chart alone fails", () => {
    const bumped = { ...charts.awsLoadBalancerController, version: "3.6.0" };
    expect(iamPinDrift(bumped, albControllerIamPolicy, copy)).toEqual([
      "policy checked at chart 3.5.0, chart pinned at 3.6.0",
      `upstream ${albControllerIamPolicy.upstream} is not the policy of v3.6.0`,
    ]);
  });

  test("editing the policy copy alone fails", () => {
    const edited = JSON.parse(copy);
    edited.Statement[0].Action.push("iam:PassRole");
    const drift = iamPinDrift(
      charts.awsLoadBalancerController,
      albControllerIamPolicy,
      JSON.stringify(edited),
    );
    expect(drift).toEqual([expect.stringMatching(/^policy copy changed \(sha256 [0-9a-f]{64}\)$/)]);
  });

  test("our copy is the vendored upstream file (same JSON)", () => {
    expect(JSON.parse(copy)).toEqual(upstreamJson("iam/aws-load-balancer-controller.json"));
  });
});
