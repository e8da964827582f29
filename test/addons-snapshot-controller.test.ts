import { snapshotControllerValues } from "../components/addons/snapshot-controller";
import { addonOf, one, synthProgram } from "./day2-context";

test("CRDs from the chart's templates, the seccomp profile `restricted` needs, no conversion webhook", () => {
  expect(snapshotControllerValues()).toEqual({
    defaults: {
      controller: {
        resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
      },
    },
    owned: {
      installCRDs: true,
      controller: { podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } } },
      webhook: { enabled: false },
    },
  });
});

test("synth: the pinned chart in its own restricted namespace", async () => {
  const r = await synthProgram(() => addonOf("sc", "snapshotController", {}));
  expect(one(r, "kubernetes:helm.sh/v3:Release", "sc").inputs).toMatchObject({
    chart: "snapshot-controller",
    version: "5.2.0",
    repositoryOpts: { repo: "https://piraeus.io/helm-charts/" },
    namespace: "snapshot-controller",
  });
  expect(
    one(r, "kubernetes:core/v1:Namespace", "sc-ns-snapshot-controller").inputs.metadata,
  ).toMatchObject({ labels: { "pod-security.kubernetes.io/enforce": "restricted" } });
});
