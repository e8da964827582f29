import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { workflowFiles } from "../tools/workflows/lint";

// One Node story (issue 15): library users get the range our dependencies require; contributors,
// CI and the workflows run the Node 24 LTS release that .nvmrc names.
const root = join(__dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  devEngines: { runtime: { name: string; version: string; onFail: string } };
  devDependencies: Record<string, string>;
};
const nvmrc = read(".nvmrc").trim();
const major = (version: string) => version.replace(/^v/, "").split(".")[0];

test(".nvmrc names the exact Node release the `node` dev dependency installs for npm scripts", () => {
  expect(nvmrc).toBe("24.21.0");
  expect(pkg.devDependencies.node).toBe(nvmrc);
});

test("devEngines asks for the same major and only warns, since npm itself may run on another Node", () => {
  // npm checks devEngines against the Node running npm before install, ci and run (npm help
  // package-json, "devEngines"); with onFail "error" a Node 20 npm could not even `npm ci` the
  // `node` dependency that runs every script on Node 24.
  expect(pkg.devEngines).toEqual({ runtime: { name: "node", version: "24.x", onFail: "warn" } });
  expect(major(pkg.devEngines.runtime.version)).toBe(major(nvmrc));
});

test("library users get what @pulumi/pulumi requires, no more and no less", () => {
  const pulumi = JSON.parse(read("node_modules/@pulumi/pulumi/package.json")) as {
    engines: { node: string };
  };
  expect(pkg.engines).toEqual({ node: ">=22" });
  expect(pulumi.engines.node).toBe(pkg.engines.node);
});

test("every workflow's setup-node reads .nvmrc", () => {
  const versions = workflowFiles(root).flatMap((f) => {
    const jobs = (parse(f.content) as { jobs: Record<string, { steps?: unknown[] }> }).jobs;
    return Object.values(jobs).flatMap((job) =>
      ((job.steps ?? []) as { uses?: string; with?: Record<string, string> }[])
        .filter((s) => s.uses?.startsWith("actions/setup-node@"))
        .map((s) => s.with?.["node-version-file"] ?? s.with?.["node-version"]),
    );
  });
  expect(versions.length).toBeGreaterThan(0);
  expect(new Set(versions.map((v) => v?.replace(/^head\//, "")))).toEqual(new Set([".nvmrc"]));
});

test("the README names the same major and how the pulumi CLI gets it", () => {
  const readme = read("README.md");
  expect(readme).toContain("Node.js 24");
  expect(readme).not.toMatch(/Node(\.js)? 20\b/);
  expect(readme).toContain("npm exec -- pulumi preview");
});

test(".ci/run prints the Node version npm scripts run with, after npm ci installs it", () => {
  const script = read(".ci/run");
  expect(script.indexOf("npm exec -- node --version")).toBeGreaterThan(script.indexOf("npm ci"));
});
