import { loadStackConfig } from "./config";
import { type Composition, composition, type StackOutputs } from "./outputs";

// prod is the cluster in service; prod2 its replacement, taking traffic step by step. Each stack
// is one EksBlueprint named after it.
export const compositions: Record<string, Composition> = {
  prod: composition("prod"),
  prod2: composition("prod2"),
};

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
