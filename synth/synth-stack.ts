import { composeStack } from "../stacks";
import { stackNames } from "../stacks/stack-names";
import { readStackConfig } from "./stack-files";
import { synthesize } from "./synthesize";
import type { SynthResult } from "./record";

/** Synthesizes a stack of `dir`: its Pulumi.<stack>.yaml, the composition, the shared mocks. */
export async function synthStack(stack: string, dir?: string): Promise<SynthResult> {
  const file = readStackConfig(stack, dir);
  return synthesize(file, () => composeStack(stack, stackNames(dir)));
}

/** Stable JSON of a synth result: same config, same bytes. */
export const synthJson = (result: SynthResult): string =>
  `${JSON.stringify(
    {
      stack: result.stack,
      // Inputs last: the options (dependsOn, protect, aliases, …) read first in a diff.
      resources: result.resources.map(({ inputs, ...identityAndOptions }) => ({
        ...identityAndOptions,
        inputs,
      })),
    },
    null,
    2,
  )}\n`;
