import { loadStackConfig } from "./config";
import type { StackOutputs } from "./outputs";
import { prod } from "./prod";
import { prod2 } from "./prod2";

export const compositions: Record<
  string,
  (args: ReturnType<typeof loadStackConfig>) => StackOutputs
> = {
  prod,
  prod2,
};

/** Validates the stack's config, then builds what that stack composes. Throws before any resource on bad input. */
export function composeStack(stack: string): StackOutputs {
  const compose = compositions[stack];
  if (!compose) {
    throw new Error(
      `stack ${JSON.stringify(stack)} has no composition; use one of ${Object.keys(compositions).join(", ")} (stacks/index.ts)`,
    );
  }
  return compose(loadStackConfig(stack));
}
