import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { albControllerIamPolicy } from "../components/addons/catalog";
import { charts } from "../components/addons/registry";
import {
  chartFiles,
  fetchNamed,
  gitBlobId,
  parseBlobUrl,
  rawUrl,
  sourcesMarkdown,
  upstreamFiles,
} from "../tools/upstream/files";
import { expectUpToDate, UPSTREAM_DIR, upstreamIndex, upstreamStore } from "./upstream";

const reloader = {
  chart: "reloader",
  version: "2.2.12",
  repo: "https://stakater.github.io/stakater-charts",
  source:
    "https://github.com/stakater/Reloader/blob/chart-v2.2.12/deployments/kubernetes/chart/reloader/Chart.yaml",
} as const;

describe("which files a pin names, and where they are downloaded from", () => {
  test("a chart's Chart.yaml, values.yaml and (if upstream has one) schema, at its source's tag", () => {
    expect(chartFiles(reloader)).toEqual([
      {
        file: "charts/reloader/Chart.yaml",
        repo: "stakater/Reloader",
        ref: "chart-v2.2.12",
        path: "deployments/kubernetes/chart/reloader/Chart.yaml",
        required: true,
      },
      {
        file: "charts/reloader/values.yaml",
        repo: "stakater/Reloader",
        ref: "chart-v2.2.12",
        path: "deployments/kubernetes/chart/reloader/values.yaml",
        required: true,
      },
      {
        file: "charts/reloader/values.schema.json",
        repo: "stakater/Reloader",
        ref: "chart-v2.2.12",
        path: "deployments/kubernetes/chart/reloader/values.schema.json",
        required: false,
      },
    ]);
  });

  test("the raw URL is the file at the resolved commit", () => {
    expect(rawUrl(chartFiles(reloader)[1], "ba9d19453fe5c22f23778d499e021b8d0939ca50")).toBe(
      "https://raw.githubusercontent.com/stakater/Reloader/ba9d19453fe5c22f23778d499e021b8d0939ca50/deployments/kubernetes/chart/reloader/values.yaml",
    );
  });

  test.each([
    ["oci://public.ecr.aws/karpenter/karpenter-crd", "charts/karpenter-crd/Chart.yaml"],
    ["base", "charts/istio/base/Chart.yaml"],
    ["gateway", "charts/istio/gateway/Chart.yaml"],
  ])("chart %s is vendored as %s", (chart, file) => {
    expect(chartFiles({ ...reloader, chart })[0].file).toBe(file);
  });

  test("Karpenter's CloudFormation template follows the Karpenter chart's release tag", () => {
    const files = upstreamFiles({
      charts: {
        karpenter: {
          chart: "oci://public.ecr.aws/karpenter/karpenter",
          version: "1.15.0",
          source:
            "https://github.com/aws/karpenter-provider-aws/blob/release-v1.15.0/charts/karpenter/Chart.yaml",
        },
      },
      albPolicyUrl:
        "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.6.0/docs/install/iam_policy.json",
    });
    expect(files.filter((f) => f.file.startsWith("iam/"))).toEqual([
      {
        file: "iam/aws-load-balancer-controller.json",
        repo: "kubernetes-sigs/aws-load-balancer-controller",
        ref: "v3.6.0",
        path: "docs/install/iam_policy.json",
        required: true,
      },
      {
        file: "iam/karpenter-cloudformation.yaml",
        repo: "aws/karpenter-provider-aws",
        ref: "v1.15.0",
        path: "website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml",
        required: true,
      },
    ]);
  });

  test.each([
    [
      "https://example.com/reloader/Chart.yaml",
      'source: not a GitHub file URL (got "https://example.com/reloader/Chart.yaml"); use https://github.com/<owner>/<name>/blob/<tag or commit>/<path>',
    ],
    [
      "https://github.com/stakater/Reloader/releases/tag/chart-v2.2.12",
      'source: not a GitHub file URL (got "https://github.com/stakater/Reloader/releases/tag/chart-v2.2.12"); use https://github.com/<owner>/<name>/blob/<tag or commit>/<path>',
    ],
  ])("a source that is no GitHub file fails: %s", (url, message) => {
    expect(() => parseBlobUrl(url)).toThrow(message);
  });

  test("a source that is not a Chart.yaml fails with the chart and what is valid", () => {
    const source = "https://github.com/stakater/Reloader/blob/chart-v2.2.12/README.md";
    expect(() => chartFiles({ ...reloader, source })).toThrow(
      `reloader: source is not a Chart.yaml (got "${source}"); point it at the chart's Chart.yaml at the pinned tag or commit`,
    );
  });

  test("a download that fails names the URL and the reason fetch keeps in its cause", async () => {
    const url = "https://api.github.com/repos/stakater/Reloader/commits/chart-v2.2.12";
    const offline = () =>
      Promise.reject(
        new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND api.github.com") }),
      );
    await expect(fetchNamed(url, undefined, offline)).rejects.toThrow(
      `could not fetch ${url} (fetch failed: getaddrinfo ENOTFOUND api.github.com); npm run upstream:refresh downloads from api.github.com and raw.githubusercontent.com`,
    );
  });

  test("git's blob id of the bytes, as `git hash-object` prints it", () => {
    expect(gitBlobId(Buffer.from("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });
});

describe("the vendored files are the ones our pins name", () => {
  const named = upstreamFiles({ charts, albPolicyUrl: albControllerIamPolicy.upstream });
  const vendored = [...upstreamIndex().values()];
  const where = (f: { file: string; repo: string; ref: string; path: string }) =>
    `${f.file} <- ${f.repo}@${f.ref}:${f.path}`;

  test("every vendored file is one a pin names, at the pin's ref", () => {
    const expected = new Set(named.map(where));
    const stale = vendored.map(where).filter((w) => !expected.has(w));
    expectUpToDate(stale.map((w) => `${w}: vendored, but no pin names it at this ref`));
  });

  test("every file a pin requires is vendored", () => {
    const have = new Set(vendored.map(where));
    const missing = named.filter((f) => f.required && !have.has(where(f))).map(where);
    expectUpToDate(missing.map((w) => `${w}: a pin names it, but it is not vendored`));
  });

  test("a check that finds the files behind the pins names the fix", () => {
    expect(() => expectUpToDate(["charts/x/Chart.yaml: version 1, the pin says 2"])).toThrow(
      "charts/x/Chart.yaml: version 1, the pin says 2\nThe files in test/fixtures/upstream/ follow the pins in components/addons/: run `npm run upstream:refresh`",
    );
  });

  test("SOURCES.md is rendered from sources.json", () => {
    const written = fs.readFileSync(path.join(UPSTREAM_DIR, "SOURCES.md"), "utf8");
    expectUpToDate(written === sourcesMarkdown(vendored) ? [] : ["SOURCES.md: not sources.json's"]);
  });
});

describe("the loader fails loudly, never skips", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "upstream-"));
  const entry = (file: string, content: string) => ({
    file,
    repo: "o/r",
    ref: "v1",
    path: file,
    commit: "c0ffee",
    gitBlob: gitBlobId(Buffer.from(content)),
  });
  fs.writeFileSync(
    path.join(dir, "sources.json"),
    JSON.stringify([entry("a.yaml", "a: 1\n"), entry("gone.yaml", "x\n")]),
  );
  fs.writeFileSync(path.join(dir, "a.yaml"), "a: 2\n");
  const store = upstreamStore(dir);
  const shown = path.relative(path.resolve(__dirname, ".."), dir);
  const refresh = "run `npm run upstream:refresh` to download it again";

  test("a listed file that is missing names its upstream and how to refresh", () => {
    expect(() => store.bytes("gone.yaml")).toThrow(
      `${shown}/gone.yaml: missing (upstream https://github.com/o/r/blob/c0ffee/gone.yaml); ${refresh}`,
    );
  });

  test("an edited file is refused: vendored files stay byte-for-byte", () => {
    expect(() => store.bytes("a.yaml")).toThrow(
      `${shown}/a.yaml: not the upstream file (git blob 9dfc208dffa85f841e9202337485b96367a625ee, sources.json says a8926a52d8dcba5c4386945476ab6a2ad008afd4); vendored files stay byte-for-byte, ${refresh}`,
    );
  });

  test("a file sources.json does not list is refused", () => {
    expect(() => store.bytes("b.yaml")).toThrow(
      `${shown}/b.yaml: not listed in ${shown}/sources.json; add it to upstreamFiles() in tools/upstream/files.ts and ${refresh}`,
    );
  });
});
