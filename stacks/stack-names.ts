// The stacks are the `Pulumi.<stack>.yaml` files at the project's root: adding a stack is adding
// one file. The synth, the rehearsal, `npm test` and the workflows (`npm run stacks`) read this list.
import { readdirSync } from "node:fs";
import * as path from "node:path";

/** The project's root, where `Pulumi.yaml` and the stack files are, also when run from dist/. */
export const ROOT = path.resolve(
  __dirname,
  "..",
  __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "",
);

/** A stack name as a stack file spells it (and smoke.yml accepts): letters, digits, `-`, `_`. */
export const STACK_NAME = /^[A-Za-z0-9_-]+$/;

/** The settings file of `stack`, as the Pulumi CLI names it; `Pulumi.yaml` is the project's. */
export const stackFile = (stack: string): string => `Pulumi.${stack}.yaml`;

/** The stacks of the project in `dir`: one per `Pulumi.<stack>.yaml`, sorted. */
export function stackNames(dir: string = ROOT): string[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const stack = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
      return stack !== undefined && STACK_NAME.test(stack) ? [stack] : [];
    })
    .sort();
}

/** Why `stack` is not one: no such file among `stacks`, and how to make it one. */
export const noStackFile = (stack: string, stacks: readonly string[]): string =>
  `stack ${JSON.stringify(stack)} has no ${stackFile(stack)}; use one of ${stacks.join(", ")}, or add that file to make it a stack (README.md, "Adding a stack")`;
