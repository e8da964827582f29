// jest's globalSetup (package.json "jest"): synthesizes the committed stacks once per run, before
// any test file starts. Thirty-odd tests read the committed prod or prod2 as it is; every test
// file has a fresh module registry, so each synthesized it again from cold code (about 0.45 s for
// prod2). A variant of a stack (a changed config) is still synthesized by the test that makes it.
//
// The workers start after this returns and inherit its environment, which is how the directory
// of synths reaches them: the way jest documents for passing what a globalSetup made to the tests
// (https://jestjs.io/docs/configuration#globalsetup-string).
import { writeCommittedSynths } from "./committed";

export default async function globalSetup(): Promise<void> {
  await writeCommittedSynths();
}
