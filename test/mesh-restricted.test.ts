import { istiodValues } from "../components/addons/istio/istio";
import {
  injectedContainers,
  ISTIO_CNI,
  istioCniValues,
  meshLabels,
} from "../components/addons/istio/istio-cni";
import { charts } from "../components/addons/registry";
import { mergeValues } from "../components/addons/values";
import type { SynthResult } from "../synth/record";
import { byType as byTypeOf, committedSynth, one } from "./stack-harness";
import { chartFixture, upstreamYaml } from "./upstream";

interface SecurityContext {
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string };
}
type Container = { name: string; securityContext: SecurityContext };

/**
 * The container checks of the Pod Security Standards' `restricted` profile
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted, with the
 * baseline ones it includes): no privileged, no privilege escalation, non-root, not UID 0, the
 * RuntimeDefault or Localhost seccomp profile, drop ALL and add at most NET_BIND_SERVICE. Written
 * here from the standard, not from the code under test.
 */
function restrictedViolations(containers: Container[]): string[] {
  return containers.flatMap(({ name, securityContext: s }) => [
    ...(s.privileged ? [`${name}: privileged`] : []),
    ...(s.allowPrivilegeEscalation !== false ? [`${name}: allowPrivilegeEscalation`] : []),
    ...(s.runAsNonRoot !== true ? [`${name}: runAsNonRoot`] : []),
    ...(s.runAsUser === 0 ? [`${name}: runAsUser 0`] : []),
    ...(!["RuntimeDefault", "Localhost"].includes(s.seccompProfile?.type ?? "")
      ? [`${name}: seccompProfile`]
      : []),
    ...(!(s.capabilities?.drop ?? []).includes("ALL") ? [`${name}: drop ALL`] : []),
    ...(s.capabilities?.add ?? [])
      .filter((c) => c !== "NET_BIND_SERVICE")
      .map((c) => `${name}: adds ${c}`),
  ]);
}

test("with CNI, the injected istio-validation and istio-proxy pass restricted", () => {
  const pod = injectedContainers({ type: "RuntimeDefault" });
  expect(pod.initContainers.map((c) => c.name)).toEqual(["istio-validation"]);
  expect(restrictedViolations([...pod.initContainers, ...pod.containers])).toEqual([]);
});

test("the control: istio-init without CNI, as the injection template renders it, fails", () => {
  // injection-template.yaml at 1.30.3, `{{- if not .Values.pilot.cni.enabled }}` branch.
  const istioInit: Container = {
    name: "istio-init",
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] },
      runAsNonRoot: false,
      runAsUser: 0,
    },
  };
  expect(restrictedViolations([istioInit])).toEqual([
    "istio-init: runAsNonRoot",
    "istio-init: runAsUser 0",
    "istio-init: seccompProfile",
    "istio-init: adds NET_ADMIN",
    "istio-init: adds NET_RAW",
  ]);
});

test("without the seccomp profile istiod sets, even CNI sidecars would fail restricted", () => {
  const pod = injectedContainers();
  expect(restrictedViolations(pod.containers)).toEqual(["istio-proxy: seccompProfile"]);
});

test("istiod with CNI: injection without istio-init, sidecars with RuntimeDefault", () => {
  const values = mergeValues(istiodValues({ clusterName: "c", cni: true }), {});
  expect(values.cni).toEqual({ enabled: true });
  expect((values.global as { proxy: Record<string, unknown> }).proxy.seccompProfile).toEqual({
    type: "RuntimeDefault",
  });
  // Both keys are the chart's own (istio-discovery values.yaml at 1.30.3).
  const upstream = upstreamYaml<{
    _internal_defaults_do_not_set: {
      cni: { enabled: boolean };
      global: { proxy: Record<string, unknown> };
    };
  }>(chartFixture(charts.istiod, "values.yaml"))._internal_defaults_do_not_set;
  expect(upstream.cni.enabled).toBe(false);
  expect(upstream.global.proxy.seccompProfile).toEqual({});
});

test("istiod without CNI keeps its values as before", () => {
  const values = mergeValues(istiodValues({ clusterName: "c" }), {});
  expect(values.cni).toBeUndefined();
  expect(
    (values.global as { proxy: Record<string, unknown> }).proxy.seccompProfile,
  ).toBeUndefined();
});

test("the CNI chart's values we own exist in it, and it shares Istio's version", () => {
  const upstream = upstreamYaml<{
    _internal_defaults_do_not_set: { ambient: { enabled: boolean }; repair: { enabled: boolean } };
  }>(chartFixture(charts.istioCni, "values.yaml"))._internal_defaults_do_not_set;
  expect(upstream.ambient.enabled).toBe(false);
  expect(upstream.repair.enabled).toBe(true);
  expect(mergeValues(istioCniValues(), {})).toEqual({
    ambient: { enabled: false },
    repair: { enabled: true },
  });
  expect(charts.istioCni.version).toBe(charts.istiod.version);
});

test.each([
  [true, { "istio-injection": "enabled" }],
  [false, {}],
])("meshLabels(%s) is %j", (inMesh, expected) => {
  expect(meshLabels(inMesh)).toEqual(expected);
});

describe("prod2", () => {
  let prod2: SynthResult;
  beforeAll(async () => {
    prod2 = committedSynth("prod2");
  });

  test("runs the CNI agent in kube-system and istiod in CNI mode", () => {
    const cni = one(prod2, "kubernetes:helm.sh/v3:Release", "prod2-platform-addons-istio-cni");
    expect(cni.inputs).toMatchObject({
      chart: "cni",
      version: "1.30.3",
      namespace: ISTIO_CNI.namespace,
      name: "istio-cni",
    });
    const istiod = one(
      prod2,
      "kubernetes:helm.sh/v3:Release",
      "prod2-platform-addons-istio-istiod",
    );
    expect((istiod.inputs.values as { cni: unknown }).cni).toEqual({ enabled: true });
  });
});

test("prod2: every meshed namespace has a namespace-wide PeerAuthentication in STRICT mode, after istiod's release", () => {
  const r = committedSynth("prod2");
  const meshed = byTypeOf(r, "kubernetes:core/v1:Namespace")
    .filter(
      (n) =>
        (n.inputs.metadata as { labels: Record<string, string> }).labels["istio-injection"] ===
        "enabled",
    )
    .map((n) => (n.inputs.metadata as { name: string }).name)
    .sort();
  expect(meshed).toEqual(["api", "game", "notifications"]);
  const strict = byTypeOf(r, "kubernetes:security.istio.io/v1:PeerAuthentication");
  expect(
    strict
      .map((p) => [(p.inputs.metadata as { namespace: string }).namespace, p.inputs.spec])
      .sort(),
  ).toEqual(meshed.map((ns) => [ns, { mtls: { mode: "STRICT" } }]));
  for (const p of strict) {
    expect((p.inputs.metadata as { name: string }).name).toBe("default");
    expect(p.dependsOn).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kubernetes:helm\.sh\/v3:Release::prod2-platform-addons-istio/),
      ]),
    );
  }
});

test("prod2: meshed namespaces' sidecars may send spans to the trace collector; others may not", () => {
  const r = committedSynth("prod2");
  const collector = byTypeOf(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .filter((p) => (p.inputs.metadata as { name: string }).name === "allow-trace-collector")
    .map((p) => {
      const spec = p.inputs.spec as {
        egress: {
          to: { namespaceSelector: { matchLabels: Record<string, string> } }[];
          ports: unknown[];
        }[];
      };
      return [
        (p.inputs.metadata as { namespace: string }).namespace,
        spec.egress[0].to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"],
        spec.egress[0].ports,
      ];
    })
    .sort();
  expect(collector).toEqual(
    ["api", "game", "notifications"].map((ns) => [
      ns,
      "tracing",
      [{ protocol: "TCP", port: 4317 }],
    ]),
  );
});
