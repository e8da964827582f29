import { composeStack } from "../stacks";
import { readStackConfig } from "./stack-files";
import { synthesize, SynthResult } from "./synthesize";

/** Synthesizes a committed stack: its Pulumi.<stack>.yaml, the real composition, the shared mocks. */
export async function synthStack(stack: string, dir?: string): Promise<SynthResult> {
  const file = readStackConfig(stack, dir);
  return synthesize(file, () => composeStack(stack));
}

/** Stable JSON of a synth result: same config, same bytes. */
export const synthJson = (result: SynthResult): string =>
  `${JSON.stringify(
    {
      stack: result.stack,
      resources: result.resources.map(
        ({
          type,
          name,
          parent,
          inputs,
          dependsOn,
          protect,
          deleteBeforeReplace,
          retainOnDelete,
        }) => ({
          type,
          name,
          parent,
          dependsOn,
          ...(protect ? { protect } : {}),
          ...(deleteBeforeReplace ? { deleteBeforeReplace } : {}),
          ...(retainOnDelete ? { retainOnDelete } : {}),
          inputs,
        }),
      ),
    },
    null,
    2,
  )}\n`;
