import { prometheusProblems } from "../components/addons/prometheus";
import type { SynthResult, SynthRecord } from "../synth/record";
import { byType, committedSynth, one } from "./stack-harness";

const namespace = (r: SynthResult, name: string) =>
  byType(r, "kubernetes:core/v1:Namespace").find(
    (n) => (n.inputs.metadata as { name: string }).name === name,
  ) as SynthRecord;
const labels = (n: SynthRecord) => (n.inputs.metadata as { labels: Record<string, string> }).labels;
const release = (r: SynthResult, stack: string) =>
  one(r, "kubernetes:helm.sh/v3:Release", `${stack}-platform-addons-prometheus`);

describe("monitoring holds no privileged pod", () => {
  const prod2 = committedSynth("prod2");

  test("prod2: Prometheus, Alertmanager and Grafana run under `restricted`; node-exporter alone in a privileged namespace", () => {
    expect(labels(namespace(prod2, "monitoring"))).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    const host = namespace(prod2, "node-exporter");
    expect(labels(host)).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });
    expect((host.inputs.metadata as { annotations: object }).annotations).toEqual({
      "eks-blueprint/pod-security-reason":
        "node-exporter reads the host: hostNetwork, hostPID, hostPath",
    });
    const values = release(prod2, "prod2").inputs.values as Record<string, Record<string, unknown>>;
    expect(values["prometheus-node-exporter"]).toMatchObject({
      namespaceOverride: "node-exporter",
    });
    // The release waits for the namespace node-exporter goes into.
    expect(release(prod2, "prod2").dependsOn).toContain(
      "kubernetes:core/v1:Namespace::prod2-platform-addons-prometheus-host-node-exporter",
    );
  });

  test("Grafana: non-root 472, no escalation or capabilities, RuntimeDefault; no root init-chown-data, no test pod", () => {
    const grafana = (release(prod2, "prod2").inputs.values as Record<string, object>).grafana;
    expect(grafana).toMatchObject({
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 472,
        runAsGroup: 472,
        fsGroup: 472,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      initChownData: { enabled: false },
      testFramework: { enabled: false },
    });
    expect(grafana).not.toHaveProperty("persistence");
  });

  test("prod: node-exporter moves out while monitoring keeps enforcing `privileged`, warning and auditing `restricted`", () => {
    const prod = committedSynth("prod");
    expect(labels(namespace(prod, "monitoring"))).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    expect(labels(namespace(prod, "node-exporter"))).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
    });
  });

  test("a stage other than observe or enforce is refused", () => {
    expect(
      prometheusProblems(
        { retention: "15d", storageSize: "50Gi", podSecurityStage: "later" as never },
        "addons.prometheus",
      ),
    ).toEqual([
      'addons.prometheus.podSecurityStage: unknown stage (got "later"); use observe or enforce',
    ]);
  });
});
