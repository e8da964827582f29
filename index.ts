// Pulumi entry point: builds the composition of the selected stack and exports its outputs.
import * as pulumi from "@pulumi/pulumi";
import { composeStack } from "./stacks";

export = composeStack(pulumi.getStack());
