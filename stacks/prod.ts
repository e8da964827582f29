import { BlueprintArgs, EksBlueprint } from "../components/blueprint/blueprint";
import { blueprintOutputs, StackOutputs } from "./outputs";

/** prod: the cluster in service. During a migration it keeps serving until prod2 has all traffic. */
export function prod(args: BlueprintArgs): StackOutputs {
  const blueprint = new EksBlueprint("prod", args);
  return blueprintOutputs(args, blueprint);
}
