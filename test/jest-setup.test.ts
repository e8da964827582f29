// tools/jest: what jest-light-runner lacks and the setup adds (timeouts.cjs, setup.cjs).
import * as path from "node:path";
import { pathToFileURL } from "node:url";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bounded } = require("../tools/jest/timeouts.cjs") as {
  bounded: (fn: () => unknown, ms: number, what: string) => () => Promise<unknown>;
};

test("a test or hook that does not settle fails after its limit, naming itself", async () => {
  await expect(bounded(() => new Promise(() => undefined), 20, 'test "x"')()).rejects.toThrow(
    'test "x": not done after 20 ms',
  );
  await expect(bounded(() => 42, 20, "y")()).resolves.toBe(42);
  await expect(bounded(() => Promise.reject(new Error("z")), 20, "z")()).rejects.toThrow("z");
});

test("a .ts file imported with a query string loads as our TypeScript, through require", async () => {
  const file = path.join(__dirname, "..", "stacks", "stack-names.ts");
  const loaded = (await import(`${pathToFileURL(file).href}?1`)) as {
    default: { stackNames?: unknown };
  };
  expect(typeof loaded.default.stackNames).toBe("function");
});
