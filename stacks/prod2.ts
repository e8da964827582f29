import { BlueprintArgs, EksBlueprint } from "../components/blueprint/blueprint";
import { blueprintOutputs, StackOutputs } from "./outputs";

/** prod2: the replacement cluster, built beside prod and taking traffic from it step by step. */
export function prod2(args: BlueprintArgs): StackOutputs {
  const blueprint = new EksBlueprint("prod2", args);
  return blueprintOutputs(args, blueprint);
}
