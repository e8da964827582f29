import { loadStackConfig } from "./config";
import type { Composition, StackOutputs } from "./outputs";
import { prod } from "./prod";
import { prod2 } from "./prod2";

export const compositions: Record<string, Composition> = { prod, prod2 };

/** Builds the stack's composition from validated config; bad input throws before any resource. */
export function composeStack(stack: string): StackOutputs {
  const compose = compositions[stack];
  if (!compose) {
    throw new Error(
      `stack ${JSON.stringify(stack)} has no composition; use one of ${Object.keys(compositions).join(", ")} (stacks/index.ts)`,
    );
  }
  return compose(loadStackConfig(stack));
}
