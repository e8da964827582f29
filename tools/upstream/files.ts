// The upstream files our add-on tests check against, at the pins: a chart's at its `source` ref,
// the ALB controller's IAM policy at `albControllerIamPolicy.upstream`, Karpenter's CloudFormation
// template at its chart's tag. Pure, tested offline (fetchNamed takes the fetch); refresh.ts fetches.
import { createHash } from "node:crypto";
import type { ChartPin, OciChartPin } from "../../components/addons/catalog";

/** One vendored file: where it lives under test/fixtures/upstream/ and where it came from. */
export interface UpstreamFile {
  /** Path under test/fixtures/upstream/, e.g. `charts/reloader/values.yaml`. */
  file: string;
  /** GitHub `owner/name`. */
  repo: string;
  /** Tag, branch or commit the pin names. */
  ref: string;
  path: string;
  /** False where upstream may not have the file (values.schema.json): a 404 then means "none". */
  required: boolean;
}

/** One entry of test/fixtures/upstream/sources.json: an UpstreamFile as it was downloaded. */
export interface VendoredFile extends Omit<UpstreamFile, "required"> {
  /** The commit `ref` resolved to when the file was downloaded. */
  commit: string;
  /** `git hash-object` of the file: vendored files stay byte-for-byte, and the loader checks. */
  gitBlob: string;
}

/** Files kept for every chart; values.schema.json only where upstream has one. */
export const CHART_FILES = ["Chart.yaml", "values.yaml", "values.schema.json"] as const;

/** Istio's charts have generic names (`base`, `gateway`), so they sit together under `istio/`. */
const ISTIO_CHARTS = ["base", "istiod", "gateway", "cni"];

/** The fixture folder (under `charts/`) of a pinned chart. */
export function chartDir(pin: Pick<ChartPin | OciChartPin, "chart">): string {
  const name = pin.chart.split("/").pop()!;
  return ISTIO_CHARTS.includes(name) ? `istio/${name}` : name;
}

/** `https://github.com/<owner>/<name>/blob/<ref>/<path>` split into its parts. */
export function parseBlobUrl(url: string): { repo: string; ref: string; path: string } {
  const m = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\/blob\/([^/]+)\/(.+)$/.exec(url);
  if (!m) {
    throw new Error(
      `source: not a GitHub file URL (got ${JSON.stringify(url)}); use https://github.com/<owner>/<name>/blob/<tag or commit>/<path>`,
    );
  }
  return { repo: m[1], ref: m[2], path: m[3] };
}

/** The chart's files at the ref its pin was checked at (the folder of `source`'s Chart.yaml). */
export function chartFiles(pin: ChartPin | OciChartPin): UpstreamFile[] {
  const { repo, ref, path } = parseBlobUrl(pin.source);
  if (!path.endsWith("/Chart.yaml")) {
    throw new Error(
      `${pin.chart}: source is not a Chart.yaml (got ${JSON.stringify(pin.source)}); point it at the chart's Chart.yaml at the pinned tag or commit`,
    );
  }
  const folder = path.slice(0, -"/Chart.yaml".length);
  return CHART_FILES.map((name) => ({
    file: `charts/${chartDir(pin)}/${name}`,
    repo,
    ref,
    path: `${folder}/${name}`,
    required: name !== "values.schema.json",
  }));
}

/** What the upstream files follow: the chart pins and the ALB controller's IAM policy pin. */
export interface UpstreamPins {
  /** The one chart map (`charts`, registry.ts). */
  charts: Readonly<Record<string, ChartPin | OciChartPin>>;
  /** `albControllerIamPolicy.upstream`: the policy file at the controller's tag. */
  albPolicyUrl: string;
}

const KARPENTER_CHART = "oci://public.ecr.aws/karpenter/karpenter";

/** Karpenter's getting-started template, which components/addons/karpenter/policy.ts follows. */
const KARPENTER_CFN =
  "website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml";

/** Every file the tests read, sorted by fixture path. */
export function upstreamFiles(pins: UpstreamPins): UpstreamFile[] {
  const alb = parseBlobUrl(pins.albPolicyUrl);
  const karpenter = Object.values(pins.charts).find((p) => p.chart === KARPENTER_CHART);
  if (!karpenter) {
    throw new Error(
      `charts: no pin of ${KARPENTER_CHART}; components/addons/karpenter/policy.ts follows its CloudFormation template, read at the chart's tag`,
    );
  }
  return [
    ...Object.values(pins.charts).flatMap(chartFiles),
    { file: "iam/aws-load-balancer-controller.json", ...alb, required: true },
    {
      file: "iam/karpenter-cloudformation.yaml",
      repo: "aws/karpenter-provider-aws",
      ref: `v${karpenter.version}`,
      path: KARPENTER_CFN,
      required: true,
    },
  ].sort((a, b) => a.file.localeCompare(b.file));
}

/** Raw download URL of a file at a ref or commit. */
export const rawUrl = (f: Pick<UpstreamFile, "repo" | "path">, at: string): string =>
  `https://raw.githubusercontent.com/${f.repo}/${at}/${f.path}`;

/** Browsable URL of a file at a commit: what SOURCES.md cites. */
export const blobUrl = (f: Pick<UpstreamFile, "repo" | "path">, at: string): string =>
  `https://github.com/${f.repo}/blob/${at}/${f.path}`;

/**
 * `fetch(url)`, or an error naming the URL and why it failed: offline, fetch says only "fetch
 * failed", and the reason (`getaddrinfo ENOTFOUND api.github.com`) is in its `cause`.
 */
export async function fetchNamed(
  url: string,
  init?: RequestInit,
  get: typeof fetch = fetch,
): Promise<Response> {
  try {
    return await get(url, init);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    throw new Error(
      `could not fetch ${url} (${why}${cause}); npm run upstream:refresh downloads from api.github.com and raw.githubusercontent.com, so it needs access to them`,
    );
  }
}

/** `git hash-object` of some bytes: the id git gives the file's content. */
export function gitBlobId(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** SOURCES.md: one row per vendored file, rendered from sources.json. */
export function sourcesMarkdown(files: VendoredFile[]): string {
  const rows = files.map(
    (f) =>
      `| \`${f.file}\` | [${f.repo}@${f.ref}](${blobUrl(f, f.commit)}) | \`${f.commit}\` | \`${f.gitBlob}\` |`,
  );
  return [
    "# Upstream files the tests check against",
    "",
    "Byte-for-byte copies of upstream data files (no chart templates, no code), each at the tag or",
    "commit our pin names. test/upstream.ts reads them and fails on a missing or edited file.",
    "Generated by `node dist/tools/upstream/refresh.js` from the pins in components/addons/;",
    "do not edit by hand.",
    "",
    "| File | Upstream (repository@ref) | Commit | git blob |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
