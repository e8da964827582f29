import type { Rule } from "../types";
import { crdRules } from "./crds";
import { deployPathRules } from "./deploy-path";
import { destroyRules } from "./destroy";
import { eksAddonRules } from "./eks-addons";
import { eksOrderRules } from "./eks-order";
import { gpuRules } from "./gpu";
import { iamRules } from "./iam";
import { kubernetesRules } from "./kubernetes";
import { liveRules } from "./live";
import { pulumiConfigRules } from "./pulumi-config";
import { securityGroupRules } from "./security-groups";
import { updateRules } from "./update";

/** Every rule of the rehearsal, by the system that enforces it. */
export const allRules: Rule[] = [
  ...pulumiConfigRules,
  ...deployPathRules,
  ...iamRules,
  ...eksAddonRules,
  ...eksOrderRules,
  ...gpuRules,
  ...securityGroupRules,
  ...kubernetesRules,
  ...crdRules,
  ...updateRules,
  ...liveRules,
  ...destroyRules,
];
