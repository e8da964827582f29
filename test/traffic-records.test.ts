// The weighted records a stack owns: the pure builders, and the committed prod2 under the mocks,
// where moving traffic (`migration:weight`) updates exactly its records in place.
import {
  recordImportId,
  trafficProblems,
  weightedRecordName,
  weightedRecordSpec,
} from "../components/traffic/weighted-records";
import { updateSummary } from "../policy/rehearse/rehearse";
import type { SynthResult } from "../synth/record";
import { byType, committedSynth, synthStackWith } from "./stack-harness";

const nlb = {
  name: "k8s-istioing-istioing-0a1b2c3d4e.elb.us-west-2.amazonaws.com",
  zoneId: "Z18D5FSROUN65G",
};

test("a weighted record: alias A to the load balancer, target health on, the set identifier and weight", () => {
  expect(
    weightedRecordSpec("Z0123456789EXAMPLE", "www.example.com", "eks-blueprint-prod2", 10, nlb),
  ).toEqual({
    zoneId: "Z0123456789EXAMPLE",
    name: "www.example.com",
    type: "A",
    setIdentifier: "eks-blueprint-prod2",
    weightedRoutingPolicies: [{ weight: 10 }],
    aliases: [
      {
        name: "k8s-istioing-istioing-0a1b2c3d4e.elb.us-west-2.amazonaws.com",
        zoneId: "Z18D5FSROUN65G",
        evaluateTargetHealth: true,
      },
    ],
  });
});

test("names from content: the hostname, and the peer for a peer's record; the import id as the provider reads it", () => {
  expect([
    weightedRecordName("prod2-traffic", "www.example.com"),
    weightedRecordName("prod2-traffic", "www.example.com", "legacy"),
    recordImportId({
      zoneId: "Z0123456789EXAMPLE",
      name: "www.example.com",
      setIdentifier: "legacy",
    }),
  ]).toEqual([
    "prod2-traffic-www.example.com",
    "prod2-traffic-legacy-www.example.com",
    "Z0123456789EXAMPLE_www.example.com_A_legacy",
  ]);
});

const base = {
  zoneId: "Z1",
  hostnames: ["www.example.com"],
  setIdentifier: "eks-blueprint-prod2",
  weight: 0,
};
const peer = (weight: number) => ({ weight, alias: nlb });
test.each([
  [
    { ...base, weight: 256 },
    "traffic.weight: not a Route 53 weight (got 256); use an integer from 0 to 255 (the Route 53 weight range)",
  ],
  [
    { ...base, externalPeers: { legacy: peer(0) } },
    "traffic.weight: 0 like every external peer's: Route 53 splits traffic evenly when all weights are 0 (got 0); give the side that should serve a weight above 0",
  ],
  [
    { ...base, externalPeers: { "eks-blueprint-prod2": peer(100) } },
    'traffic.externalPeers.eks-blueprint-prod2: the same set identifier as this cluster\'s records (got "eks-blueprint-prod2"); give the peer its own name: two records with one set identifier are one record',
  ],
  [
    { ...base, externalPeers: { Legacy: peer(100) } },
    'traffic.externalPeers.Legacy: not a set identifier (got "Legacy"); use a lowercase name such as legacy',
  ],
])("traffic problems: %j", (args, message) => {
  expect(trafficProblems(args, "traffic")).toEqual([message]);
});

test("a peer serving while this cluster waits is fine", () => {
  expect(trafficProblems({ ...base, externalPeers: { legacy: peer(100) } }, "traffic")).toEqual([]);
});

describe("the committed prod2 under the mocks", () => {
  let committed: SynthResult;
  beforeAll(async () => {
    committed = committedSynth("prod2");
  });

  test("its records alias the NLB of its gateway release's Service, read after the release, in us-west-2's canonical NLB zone", () => {
    const service = byType(committed, "kubernetes:core/v1:Service").find((r) =>
      r.name.endsWith("-istio-gateway-service"),
    );
    expect(service).toMatchObject({
      read: "istio-ingress/istio-ingressgateway",
      dependsOn: expect.arrayContaining([
        "kubernetes:helm.sh/v3:Release::prod2-platform-addons-istio-gateway",
      ]),
    });
    const records = byType(committed, "aws:route53/record:Record").sort((x, y) =>
      x.name.localeCompare(y.name),
    );
    expect(records.map((r) => [r.name, r.dependsOn, r.import])).toEqual([
      [
        "prod2-traffic-api.example.com",
        ["kubernetes:core/v1:Service::prod2-platform-addons-istio-gateway-service"],
        undefined,
      ],
      [
        "prod2-traffic-www.example.com",
        ["kubernetes:core/v1:Service::prod2-platform-addons-istio-gateway-service"],
        undefined,
      ],
    ]);
    const alias = (records[0].inputs.aliases as { name: string; zoneId: string }[])[0];
    expect(alias.zoneId).toBe("Z18D5FSROUN65G");
    expect(alias.name).toMatch(
      /^k8s-istioing-istioing-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-west-2\.amazonaws\.com$/,
    );
  });

  test("prod's records exist (its ExternalDNS published them): imported by their Route 53 id", () => {
    const records = byType(committedSynth("prod"), "aws:route53/record:Record");
    expect(records.map((r) => r.import).sort()).toEqual([
      "Z0123456789EXAMPLE_api.example.com_A_eks-blueprint-prod",
      "Z0123456789EXAMPLE_www.example.com_A_eks-blueprint-prod",
    ]);
  });

  test("the gateway chart renders the LoadBalancer Service, with the NLB annotations", () => {
    const gateway = byType(committed, "kubernetes:helm.sh/v3:Release").find(
      (r) => r.name === "prod2-platform-addons-istio-gateway",
    );
    expect((gateway?.inputs.values as { service: { type: string } }).service.type).toBe(
      "LoadBalancer",
    );
  });

  test("`migration:weight 10` updates exactly the weighted records (and the weight Argo CD's apps read), in place", async () => {
    const moved = await synthStackWith("prod2", (c) => (c["migration:weight"] = 10));
    const summary = updateSummary("prod2", committed.resources, moved.resources);
    expect({ ...summary, updated: [...summary.updated].sort() }).toEqual({
      created: [],
      imported: [],
      updated: [
        "aws:route53/record:Record::prod2-traffic-api.example.com",
        "aws:route53/record:Record::prod2-traffic-www.example.com",
        "kubernetes:core/v1:Secret::prod2-platform-addons-argocd-cluster",
      ],
      replaced: [],
      deleted: [],
    });
  });
});
