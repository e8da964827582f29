import { composition } from "./outputs";

/** prod: the cluster in service. During a migration it keeps serving until prod2 has all traffic. */
export const prod = composition("prod");
