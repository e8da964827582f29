// Deploy rehearsal, `npm run rehearse -- <stack> [--base <synth.json>] [--destroy]`: applies what
// Pulumi, AWS and Kubernetes enforce (rules/) to the offline synth; prints the create (or delete)
// order and blockers, exit 1 on any.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runCli } from "../run/fast-load";

const USAGE = "usage: npm run rehearse -- <stack> [--base <synth.json>] [--destroy] [--no-order]";

/** The arguments, or a usage error. */
export function parseArgs(argv: string[]) {
  const rest = [...argv];
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 && rest.splice(i, 1).length > 0;
  };
  const destroy = flag("--destroy");
  const order = !flag("--no-order");
  const b = rest.indexOf("--base");
  const base = b >= 0 ? rest.splice(b, 2)[1] : undefined;
  if ((b >= 0 && !base) || rest.length !== 1 || rest[0].startsWith("--")) throw new Error(USAGE);
  return { stack: rest[0], base, destroy, order };
}

async function main(argv: string[]): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports -- after enableFastLoad, as in synth.ts */
  const { rehearseStack } = require("./stack") as typeof import("./stack");
  const { formatReport } =
    require("../../policy/rehearse/rehearse") as typeof import("../../policy/rehearse/rehearse");
  const { volumeFates } =
    require("../../policy/rehearse/rules/destroy") as typeof import("../../policy/rehearse/rules/destroy");
  /* eslint-enable @typescript-eslint/no-require-imports */
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const base = args.base
    ? (JSON.parse(readFileSync(path.resolve(args.base), "utf8")) as { resources: unknown[] })
    : undefined;
  const report = await rehearseStack(args.stack, { base: base?.resources, destroy: args.destroy });
  console.log(formatReport(report, { order: args.order }));
  if (args.destroy) {
    console.log(
      ["", "volumes:", ...volumeFates(report.input.head).map((l) => `  ${l}`)].join("\n"),
    );
  }
  return report.findings.length > 0 ? 1 : 0;
}

if (require.main === module) runCli(main);
