import { composition } from "./outputs";

/** prod2: the replacement cluster, built beside prod and taking traffic from it step by step. */
export const prod2 = composition("prod2");
