// jest's globalTeardown (package.json "jest"): removes the synths tools/jest/global-setup.ts wrote.
import { removeCommittedSynths } from "./committed";

export default function globalTeardown(): void {
  removeCommittedSynths();
}
