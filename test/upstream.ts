/**
 * The upstream files the tests check against, vendored in test/fixtures/upstream/ with their
 * source in sources.json. A file that is missing, unlisted or edited is an error that says how to
 * refresh it, never a skip: a test that compares with nothing proves nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, parseDocument } from "yaml";
import type { ChartPin, OciChartPin } from "../components/addons/catalog";
import { blobUrl, chartDir, gitBlobId, type VendoredFile } from "../tools/upstream/files";

export const UPSTREAM_DIR = path.join(__dirname, "fixtures/upstream");
const REFRESH = "run `npm run upstream:refresh` to download it again";

/** Reads vendored files from one folder (its sources.json lists them), checking each byte. */
export function upstreamStore(dir: string) {
  const shown = path.relative(path.join(__dirname, ".."), dir);
  let index: Map<string, VendoredFile> | undefined;
  const sources = (): Map<string, VendoredFile> => {
    if (!index) {
      const file = path.join(dir, "sources.json");
      if (!fs.existsSync(file)) throw new Error(`${shown}/sources.json: missing; ${REFRESH}`);
      const list = JSON.parse(fs.readFileSync(file, "utf8")) as VendoredFile[];
      index = new Map(list.map((f) => [f.file, f]));
    }
    return index;
  };
  return {
    /** sources.json, by fixture path. */
    sources,
    /** Whether upstream has the file at the pinned ref (e.g. a chart's values.schema.json). */
    has: (file: string): boolean => sources().has(file),
    /** The bytes of a vendored file, exactly as upstream has them. */
    bytes(file: string): Buffer {
      const at = `${shown}/${file}`;
      const source = sources().get(file);
      if (!source) {
        throw new Error(
          `${at}: not listed in ${shown}/sources.json; add it to upstreamFiles() in tools/upstream/files.ts and ${REFRESH}`,
        );
      }
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) {
        throw new Error(`${at}: missing (upstream ${blobUrl(source, source.commit)}); ${REFRESH}`);
      }
      const bytes = fs.readFileSync(full);
      const blob = gitBlobId(bytes);
      if (blob !== source.gitBlob) {
        throw new Error(
          `${at}: not the upstream file (git blob ${blob}, sources.json says ${source.gitBlob}); vendored files stay byte-for-byte, ${REFRESH}`,
        );
      }
      return bytes;
    },
  };
}

/**
 * Fails listing `problems` and the fix, for checks of the vendored files against the pins: a chart
 * bump fails them until the files are downloaded again at the new pin.
 */
export function expectUpToDate(problems: string[]): void {
  if (problems.length === 0) return;
  throw new Error(
    `${problems.join("\n")}\nThe files in test/fixtures/upstream/ follow the pins in components/addons/: run \`npm run upstream:refresh\` (it needs github.com) and commit what it writes.`,
  );
}

const store = upstreamStore(UPSTREAM_DIR);
export const upstreamIndex = store.sources;
export const hasUpstream = store.has;
export const upstreamBytes = store.bytes;
export const upstreamText = (file: string): string => upstreamBytes(file).toString("utf8");

/** A vendored YAML file, parsed. */
const yamls = new Map<string, unknown>();
export const upstreamYaml = <T = Record<string, unknown>>(file: string): T => {
  if (!yamls.has(file)) yamls.set(file, parse(upstreamText(file)));
  return structuredClone(yamls.get(file)) as T;
};

/** A vendored JSON file, parsed. */
export const upstreamJson = <T = unknown>(file: string): T => JSON.parse(upstreamText(file)) as T;

/**
 * A vendored CloudFormation template: short-form tags (!Sub, !GetAtt, !Ref) are kept as the plain
 * strings they tag, which is all the tests compare.
 */
export function upstreamCloudFormation<T>(file: string): T {
  return parseDocument(upstreamText(file), {
    customTags: ["!Sub", "!GetAtt", "!Ref"].map((tag) => ({
      tag,
      resolve: (s: string) => s,
    })),
  }).toJS() as T;
}

/** Path under test/fixtures/upstream/ of one of a pinned chart's files. */
export const chartFixture = (
  pin: Pick<ChartPin | OciChartPin, "chart">,
  name: "Chart.yaml" | "values.yaml" | "values.schema.json",
): string => `charts/${chartDir(pin)}/${name}`;
