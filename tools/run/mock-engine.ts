// `node --require ./tools/run/register.cjs --require ./tools/run/mock-engine.ts
//   node_modules/@pulumi/pulumi/cmd/run --monitor mock --project <p> --stack <s> index.ts`:
// the program as the Pulumi CLI starts it (cli-start.ts), mocks as engine: installed before the run
// script connects, config from PULUMI_CONFIG; a clean exit prints the resource count.
import * as pulumi from "@pulumi/pulumi";
import { createMocks, DEFAULT_REGION, Registration } from "../../synth/mocks";
import { flagValue, reportLine } from "./mock-report";

const records: Registration[] = [];
const config = JSON.parse(process.env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
void pulumi.runtime
  .setMocks(
    createMocks(records, config["aws:region"] ?? DEFAULT_REGION),
    flagValue(process.argv, "project"),
    flagValue(process.argv, "stack"),
    process.argv.includes("--dry-run"),
  )
  .then(() => {
    // The run script's last engine call (runtime/settings.ts, signalAndWaitForShutdown: answered
    // once every delete hook ran); MockMonitor lacks it, and without an engine there is no hook.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      signalAndWaitForShutdown?: (request: unknown, done: (err: null) => void) => void;
    };
    monitor.signalAndWaitForShutdown ??= (_request, done) => done(null);
  });
process.on("exit", (code) => {
  if (code === 0) console.log(reportLine(records));
});
