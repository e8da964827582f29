// The README's pictures are committed SVGs rendered from docs/diagrams/*.mmd by
// scripts/render-diagrams.sh (mermaid-cli in Chromium, which npm test does not have). These tests
// keep them honest without a browser: every source has its SVG, stamped with the source's hash,
// the README shows each one, and what the pictures name is still true of the code and the stacks.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const DIAGRAMS = path.join(ROOT, "docs", "diagrams");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const RENDER = "run scripts/render-diagrams.sh and commit the SVG";

/** Why `svg` is not the current rendering of `source`, or undefined when it is. */
function staleness(source: string, svg: string | undefined): string | undefined {
  if (svg === undefined) return `missing; ${RENDER}`;
  const stamped = /<!-- source-sha256: ([0-9a-f]{64})\b/.exec(svg)?.[1];
  if (!stamped) return `has no source-sha256 stamp; ${RENDER}`;
  const actual = createHash("sha256").update(source).digest("hex");
  if (stamped !== actual) return `stale (stamped ${stamped}, source is ${actual}); ${RENDER}`;
  return undefined;
}

const sources = readdirSync(DIAGRAMS)
  .filter((f) => f.endsWith(".mmd"))
  .map((f) => f.replace(/\.mmd$/, ""))
  .sort();
const read = (file: string) => readFileSync(path.join(DIAGRAMS, file), "utf8");
const svgOf = (name: string) =>
  existsSync(path.join(DIAGRAMS, `${name}.svg`)) ? read(`${name}.svg`) : undefined;

describe("staleness", () => {
  const source = "flowchart TB\n  a --> b\n";
  const hash = "a12dce738abc7019f6764f665bde94b82ed2d28271240c4e71e472c5e0fc6462";

  test("an SVG stamped with its source's sha256 is current", () => {
    expect(staleness(source, `<!-- source-sha256: ${hash} (a.mmd) -->\n<svg/>`)).toBeUndefined();
  });

  test.each([
    ["missing", undefined, "missing; run scripts/render-diagrams.sh and commit the SVG"],
    [
      "unstamped",
      "<svg/>",
      "has no source-sha256 stamp; run scripts/render-diagrams.sh and commit the SVG",
    ],
    [
      "stale",
      `<!-- source-sha256: ${"0".repeat(64)} -->\n<svg/>`,
      `stale (stamped ${"0".repeat(64)}, source is ${hash}); run scripts/render-diagrams.sh and commit the SVG`,
    ],
  ])("an SVG that is %s is reported", (_, svg, expected) => {
    expect(staleness(source, svg)).toBe(expected);
  });
});

describe("docs/diagrams", () => {
  test("holds the two pictures: one cluster, and the two stacks side by side", () => {
    expect(sources).toEqual(["cluster", "side-by-side"]);
  });

  test.each(sources)("%s: the SVG is rendered from the .mmd as it is now", (name) => {
    expect(staleness(read(`${name}.mmd`), svgOf(name))).toBeUndefined();
  });

  test("every SVG has its source", () => {
    const svgs = readdirSync(DIAGRAMS).filter((f) => f.endsWith(".svg"));
    expect(svgs.filter((f) => !sources.includes(f.replace(/\.svg$/, "")))).toEqual([]);
  });

  test.each(sources)("the README shows %s.svg as an image", (name) => {
    expect(README).toMatch(new RegExp(`!\\[[^\\]]+\\]\\(docs/diagrams/${name}\\.svg\\)`));
  });

  test("the README has no Mermaid block left to render (npm shows none)", () => {
    expect(README).not.toMatch(/^```mermaid/m);
  });
});

describe("what the pictures say", () => {
  /** Class names exported anywhere under components/. */
  const classes = (dir = path.join(ROOT, "components")): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) return classes(file);
      const text = e.name.endsWith(".ts") ? readFileSync(file, "utf8") : "";
      return [...text.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
    });

  test("the cluster picture names components that exist", () => {
    const named = [
      "EksBlueprint",
      "Network",
      "Cluster",
      "CoreAddons",
      "NodeGroups",
      "FargateProfiles",
      "WorkloadAccess",
      "IrsaRole",
      "PodSecurityGroup",
    ];
    const source = read("cluster.mmd");
    expect(named.filter((c) => !source.includes(c))).toEqual([]);
    expect(named.filter((c) => !classes().includes(c))).toEqual([]);
  });

  test.each([
    ["prod", "eks-blueprint-prod", "10.10.0.0/16", 100],
    ["prod2", "eks-blueprint-prod2", "10.20.0.0/16", 0],
  ])(
    "the side-by-side picture shows %s's cluster name, VPC CIDR and weight as committed",
    (stack, clusterName, cidr, weight) => {
      const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
      const config = (parseYaml(readFileSync(file, "utf8")) as { config: Record<string, unknown> })
        .config;
      expect([
        config["eks-blueprint:clusterName"],
        config["eks-blueprint:vpcCidr"],
        config["migration:weight"],
      ]).toEqual([clusterName, cidr, weight]);
      const source = read("side-by-side.mmd");
      expect(source).toContain(`**EKS ${clusterName}**`);
      expect(source).toContain(`VPC ${cidr}`);
      expect(source).toContain(`migration:weight ${weight}`);
      expect(source).toContain(`record, weight ${weight}`);
    },
  );
});
