// The CrossGuard pack (`npm run build && pulumi preview --policy-pack policy`). Importing
// @pulumi/policy starts the analyzer's gRPC server: nothing else imports this.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack";

new PolicyPack(PACK_NAME, packArgs());
