import { addonOrder } from "../components/addons/bundle";
import type { AddonKey } from "../components/addons/registry";
import { addonSelectionProblems } from "../components/addons/selection";
import {
  AddonSynth,
  labSelection,
  prod2Selection,
  RELEASE,
  synthAddons,
  unitKey,
} from "./addons-fixture";

let s: AddonSynth;
beforeAll(async () => {
  s = await synthAddons();
});

const find = (type: string, name: string) => s.find(type, name);
/** The `type::name` of everything a registered resource listed in its dependsOn. */
const depsOf = (k: string) => s.edges.get(k);
const releasesOf = (bundle: string) => s.releasesOf(bundle);

describe("order and teardown", () => {
  test.each(["prod2", "lab"])(
    "%s: every edge of the pure install order is a dependsOn on the registered resources",
    (bundle) => {
      const order = addonOrder(bundle === "prod2" ? prod2Selection() : labSelection);
      for (const [unit, after] of Object.entries(order) as [AddonKey, AddonKey[]][]) {
        expect(depsOf(unitKey(bundle, unit))).toEqual(
          expect.arrayContaining(after.map((a) => unitKey(bundle, a))),
        );
      }
    },
  );

  test("the pure order for prod2", () => {
    expect(addonOrder(prod2Selection())).toEqual({
      ebsCsiDriver: [],
      prometheus: ["ebsCsiDriver"],
      awsLoadBalancerController: ["prometheus"],
      clusterAutoscaler: ["prometheus"],
      externalDns: ["prometheus"],
      fluentBit: [],
      reloader: [],
      metricsServer: [],
      istio: ["awsLoadBalancerController", "externalDns"],
    });
  });

  test("teardown chain: LoadBalancer Service → ALB controller → its IRSA role, and the nodes", () => {
    // The gateway's LoadBalancer Service is its chart's; the Service record is a read of it.
    const lbReleases = releasesOf("prod2").filter(
      (r) => (r.inputs.values as { service?: { type?: string } }).service?.type === "LoadBalancer",
    );
    expect(lbReleases.map((r) => r.name)).toEqual(["prod2-istio-gateway"]);
    expect(depsOf(`${RELEASE}::prod2-istio-gateway`)).toContain(`${RELEASE}::prod2-alb-controller`);
    expect(depsOf(`${RELEASE}::prod2-alb-controller`)).toEqual(
      expect.arrayContaining([
        "eks-blueprint:index:IrsaRole::prod2-alb-controller-irsa",
        "aws:eks/nodeGroup:NodeGroup::eks-blueprint-prod2-nodes",
      ]),
    );
    // Depending on the IrsaRole component waits for its children: the role and its policy.
    expect(find("aws:iam/role:Role", "prod2-alb-controller-irsa").parent).toBe(
      "eks-blueprint:index:IrsaRole::prod2-alb-controller-irsa",
    );
    expect(
      find("aws:iam/rolePolicy:RolePolicy", "prod2-alb-controller-irsa-permissions").parent,
    ).toBe("eks-blueprint:index:IrsaRole::prod2-alb-controller-irsa");
    for (const t of ["kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:Ingress"]) {
      // A read (the gateway's Service) creates nothing: its release waits, checked above.
      for (const r of s.result.resources.filter((x) => x.type === t && !x.read)) {
        expect(depsOf(`${t}::${r.name}`)).toContain(`${RELEASE}::prod2-alb-controller`);
      }
    }
  });

  test("Istio without the ALB controller is a problem naming the missing add-on", () => {
    expect(addonSelectionProblems({ istio: {} })).toEqual([
      "addons.awsLoadBalancerController: off, but istio needs it: the ingress gateway's NLB is made by the controller (got undefined); turn awsLoadBalancerController on or istio off",
    ]);
  });
});
