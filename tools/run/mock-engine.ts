// `node --require ./tools/run/register.cjs --require ./tools/run/mock-engine.ts
//   node_modules/@pulumi/pulumi/cmd/run --monitor mock --project <p> --stack <s> index.ts`:
// the program started exactly as the Pulumi CLI starts it (test/pulumi-runtime.test.ts builds the
// command from Pulumi.yaml), with the shared mocks (synth/mocks.ts) standing in for the
// engine. Preloaded, it installs the mocks before @pulumi/pulumi's run script connects to any
// monitor, reads the config from PULUMI_CONFIG as the program will, and prints how many
// resources the program registered when the process exits cleanly.
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
    // The run script's last call to the engine, once the program is done (runtime/settings.ts,
    // signalAndWaitForShutdown: the engine answers when every delete hook has run). The mock
    // monitor lacks the method; with no engine there is no hook to wait for.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      signalAndWaitForShutdown?: (request: unknown, done: (err: null) => void) => void;
    };
    monitor.signalAndWaitForShutdown ??= (_request, done) => done(null);
  });
process.on("exit", (code) => {
  if (code === 0) console.log(reportLine(records));
});
