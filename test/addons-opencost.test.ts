import { openCostValues } from "../components/addons/opencost";
import { addonSelectionProblems } from "../components/addons/selection";
import { addonOf, one, synthProgram } from "./day2-context";

describe("OpenCost reads our Prometheus", () => {
  const v = openCostValues({ clusterName: "eks-blueprint-prod2" });

  test("its queries go to kube-prometheus-stack's Prometheus Service, never a Prometheus of its own", () => {
    expect(v.owned.opencost).toMatchObject({
      prometheus: {
        internal: {
          enabled: true,
          scheme: "http",
          serviceName: "kube-prometheus-stack-prometheus",
          namespaceName: "monitoring",
          port: 9090,
        },
        external: { enabled: false },
      },
      metrics: { serviceMonitor: { enabled: true } },
    });
  });

  test("its Prometheus URL ends in the cluster's DNS domain, never its name; costs carry the name", () => {
    // The chart joins `<svc>.<ns>.svc.<clusterName>` (templates/_helpers.tpl at opencost-2.5.17):
    // with the cluster's name there, the exporter queries a host that does not resolve.
    expect(v.owned.clusterName).toBe("cluster.local");
    expect(v.owned.opencost).toMatchObject({
      exporter: { defaultClusterId: "eks-blueprint-prod2" },
    });
  });

  test("both containers meet `restricted`: non-root, no escalation, no capabilities, RuntimeDefault", () => {
    const container = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      runAsUser: 1000,
    };
    expect(v.owned.podSecurityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    expect(v.owned.opencost).toMatchObject({
      exporter: { securityContext: container },
      ui: { securityContext: container },
    });
  });

  test("requests: exporter 50m/256Mi, UI 10m/64Mi; the MCP server is off", () => {
    expect(v.defaults).toEqual({
      opencost: {
        exporter: {
          resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "1Gi" } },
        },
        ui: {
          resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
        },
        mcp: { enabled: false },
      },
    });
  });
});

test("OpenCost without Prometheus is refused, naming the requirement", () => {
  expect(addonSelectionProblems({ openCost: {} })).toEqual([
    "addons.prometheus: off, but openCost needs it: it reads our Prometheus instead of bringing its own (got undefined); turn prometheus on or openCost off",
  ]);
});

test("the pinned chart in `opencost`, a restricted namespace, no IAM role", async () => {
  const r = await synthProgram(() => addonOf("c", "openCost", {}, undefined, ["prometheus"]));
  expect(one(r, "kubernetes:helm.sh/v3:Release", "c").inputs).toMatchObject({
    chart: "opencost",
    version: "2.5.17",
    repositoryOpts: { repo: "https://opencost.github.io/opencost-helm-chart" },
    name: "opencost",
    namespace: "opencost",
  });
  const ns = one(r, "kubernetes:core/v1:Namespace", "c-ns-opencost");
  expect((ns.inputs.metadata as { labels: Record<string, string> }).labels).toMatchObject({
    "pod-security.kubernetes.io/enforce": "restricted",
  });
  expect(r.resources.filter((x) => x.type.startsWith("aws:iam"))).toEqual([]);
});
