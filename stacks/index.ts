import { loadStackConfig } from "./config";
import { composition, type StackOutputs } from "./outputs";
import { noStackFile, stackNames } from "./stack-names";

/**
 * Builds the stack's composition from validated config; bad input throws before any resource.
 * Every stack is one EksBlueprint named after it (`prod`), so its URNs follow from its name alone.
 * `stacks`: the project's stacks (its `Pulumi.<stack>.yaml` files), which `migration:peers` names.
 */
export function composeStack(
  stack: string,
  stacks: readonly string[] = stackNames(),
): StackOutputs {
  if (!stacks.includes(stack)) throw new Error(noStackFile(stack, stacks));
  return composition(stack, loadStackConfig(stack, stacks));
}
