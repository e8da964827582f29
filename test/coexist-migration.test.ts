// The `migration:*` config (schema, errors, builders) and the rules about the move itself:
// weighted records, weights, singletons.
import { ConfigValidationError } from "../stacks/errors";
import {
  ownsSingleton,
  parseMigrationConfig,
  readMigrationConfig,
  singletonReferenceProblems,
  weightedRecordAnnotations,
} from "../stacks/migration-config";
import { structuralFindings } from "../policy/coexist/rules";
import { goodPair, patchValues, rec, without } from "./coexist-fixtures";

const committedLike = {
  "aws:region": "us-west-2",
  "eks-blueprint:clusterName": "eks-blueprint-prod",
  "migration:weight": "100",
  "migration:hostnames": '["www.example.com","api.example.com"]',
  "migration:singletons": '{"match-server":{"namespace":"game","owned":true}}',
};

describe("migration config", () => {
  test("reads weight, hostnames and singletons from Pulumi's flat strings, ignoring other namespaces", () => {
    expect(parseMigrationConfig(committedLike)).toEqual({
      weight: 100,
      hostnames: ["www.example.com", "api.example.com"],
      singletons: { "match-server": { namespace: "game", owned: true } },
    });
  });

  test("a stack without migration keys serves no shared hostname and owns no singleton", () => {
    expect(parseMigrationConfig({ "aws:region": "us-west-2" })).toEqual({
      weight: 0,
      hostnames: [],
      singletons: {},
    });
  });

  const HINT = "use an integer from 0 to 255 (the Route 53 weight range)";
  test.each([
    [{ "migration:weight": "256" }, `migration:weight: weight out of range (got 256); ${HINT}`],
    [{ "migration:weight": "-1" }, `migration:weight: weight out of range (got -1); ${HINT}`],
    [{ "migration:weight": "2.5" }, `migration:weight: not an integer (got 2.5); ${HINT}`],
    [{ "migration:weight": "ten" }, `migration:weight: not a number (got "ten"); ${HINT}`],
    [
      { "migration:weight": "1", "migration:hostnames": "www.example.com" },
      'migration:hostnames: not a list (got "www.example.com"); use a list of hostnames such as [www.example.com]',
    ],
    [
      { "migration:weight": "1", "migration:hostnames": '["WWW.example.com"]' },
      'migration:hostnames[0]: not a hostname (got "WWW.example.com"); use a lowercase fully qualified name such as www.example.com',
    ],
    [
      { "migration:weight": "1", "migration:hostnames": '["a.example.com","a.example.com"]' },
      'migration:hostnames: duplicate hostnames (got ["a.example.com","a.example.com"]); list each once',
    ],
    [
      { "migration:hostnames": '["www.example.com"]' },
      "migration:weight: missing while migration:hostnames is set (got undefined); set this stack's share with `pulumi config set migration:weight <0-255>`",
    ],
    [
      { "migration:singletons": '{"match-server":{"namespace":"game","owned":"yes"}}' },
      'migration:singletons.match-server.owned: not a boolean (got "yes"); use true in the one stack that runs it and false in the other (pulumi config set --path stores true/false as booleans)',
    ],
    [
      { "migration:singletons": '{"match-server":{"namespace":"game","owned":true,"replicas":1}}' },
      'migration:singletons.match-server: unknown key replicas (got ["replicas"]); remove it or check its spelling against the stack config table in README.md',
    ],
    [
      { "migration:wieght": "10" },
      'migration:wieght: unknown key (got "wieght"); use migration:weight, migration:hostnames or migration:singletons',
    ],
  ])("%j is rejected: %s", (config, message) => {
    expect(readMigrationConfig(config)).toEqual({ problems: [message] });
  });

  test("parseMigrationConfig throws every problem at once", () => {
    const parse = () =>
      parseMigrationConfig({ "migration:weight": "300", "migration:hostnames": '["Bad"]' });
    expect(parse).toThrow(ConfigValidationError);
    expect(parse).toThrow(
      `invalid stack configuration:\n  - migration:weight: weight out of range (got 300); ${HINT}\n  - migration:hostnames[0]: not a hostname (got "Bad"); use a lowercase fully qualified name such as www.example.com`,
    );
  });
});

describe("builders", () => {
  test("the weighted record: every hostname, the cluster name as set identifier, the weight as a string", () => {
    expect(
      weightedRecordAnnotations("eks-blueprint-prod2", ["www.example.com", "api.example.com"], 10),
    ).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "www.example.com,api.example.com",
      "external-dns.alpha.kubernetes.io/set-identifier": "eks-blueprint-prod2",
      "external-dns.alpha.kubernetes.io/aws-weight": "10",
    });
    expect(weightedRecordAnnotations("eks-blueprint-prod2", [], 10)).toEqual({});
    expect(() => weightedRecordAnnotations("c", ["www.example.com"], 256)).toThrow(
      "weight: out of range (got 256); use an integer from 0 to 255 (the Route 53 weight range)",
    );
  });

  const settings = parseMigrationConfig(committedLike);
  test("ownsSingleton answers for declared singletons and names the valid ones otherwise", () => {
    expect(ownsSingleton(settings, "match-server")).toBe(true);
    expect(
      ownsSingleton({ ...settings, singletons: { s: { namespace: "n", owned: false } } }, "s"),
    ).toBe(false);
    expect(() => ownsSingleton(settings, "push-sender")).toThrow(
      'migration:singletons.push-sender: not declared (got "push-sender"); use one of match-server or declare it under migration:singletons',
    );
  });

  test("config entries naming a singleton must name a declared one, in its namespace", () => {
    expect(
      singletonReferenceProblems(settings, {
        "eks-blueprint:irsaRoles.match": { singleton: "match-server", namespace: "game" },
        "eks-blueprint:irsaRoles.push": { singleton: "push-sender", namespace: "push" },
        "eks-blueprint:podSecurityGroups.match": { singleton: "match-server", namespace: "games" },
      }),
    ).toEqual([
      'eks-blueprint:irsaRoles.push.singleton: not declared (got "push-sender"); use one of match-server or declare it under migration:singletons',
      'eks-blueprint:podSecurityGroups.match.namespace: not the namespace of singleton match-server (got "games"); use game, as migration:singletons.match-server.namespace says',
    ]);
  });
});

describe("migration rules", () => {
  const rule = (p: ReturnType<typeof goodPair>, id: string) =>
    structuralFindings(p.a, p.b).filter((f) => f.rule === id);

  test("weighted-record: a gateway still carrying an old weight is reported with the one it should have", () => {
    const p = goodPair();
    p.b = { ...p.b, migration: { ...p.b.migration, weight: 10 } };
    expect(structuralFindings(p.a, p.b)).toEqual([
      {
        rule: "weighted-record",
        a: "",
        b: "kubernetes:helm.sh/v3:Release::prod2-gateway external-dns.alpha.kubernetes.io/aws-weight=0",
        detail: `prod2's gateway Service annotation external-dns.alpha.kubernetes.io/aws-weight should be "10" (from its cluster name and migration config)`,
      },
    ]);
  });

  test("weighted-record: hostnames need a gateway and an ExternalDNS whose filters cover them", () => {
    const p = goodPair({ migration: { hostnames: ["www.example.org"] } });
    p.b = without(p.b, (r) => r.inputs.chart === "gateway" || r.inputs.chart === "external-dns");
    expect(rule(p, "weighted-record")).toEqual([
      {
        rule: "weighted-record",
        a: "kubernetes:helm.sh/v3:Release::prod-dns",
        b: "",
        detail: "www.example.org not under prod's ExternalDNS domainFilters: never published",
      },
      {
        rule: "weighted-record",
        a: "",
        b: "no Istio gateway release",
        detail: "prod2 sets migration:hostnames but has no ingress gateway Service to publish them",
      },
      {
        rule: "weighted-record",
        a: "",
        b: "no ExternalDNS release",
        detail: "prod2 sets migration:hostnames but has no ExternalDNS to publish them",
      },
    ]);
  });

  test("set-identifier: two gateways publishing one hostname under one set identifier collide", () => {
    const p = goodPair();
    p.b = patchValues(p.b, "gateway", (v) => ({
      ...v,
      service: {
        annotations: {
          "external-dns.alpha.kubernetes.io/hostname": "www.example.com",
          "external-dns.alpha.kubernetes.io/set-identifier": "eks-blueprint-prod",
        },
      },
    }));
    expect(rule(p, "set-identifier")).toEqual([
      {
        rule: "set-identifier",
        a: "kubernetes:helm.sh/v3:Release::prod-gateway set-identifier=eks-blueprint-prod",
        b: "kubernetes:helm.sh/v3:Release::prod2-gateway set-identifier=eks-blueprint-prod",
        detail:
          'both clusters publish www.example.com with set identifier "eks-blueprint-prod": they would overwrite one record instead of sharing the weighted set',
      },
    ]);
  });

  test("weights-zero: 0 and 0 is an even split, not a stop", () => {
    expect(rule(goodPair({ migration: { weight: 0 } }), "weights-zero")).toEqual([
      {
        rule: "weights-zero",
        a: "migration:weight 0",
        b: "migration:weight 0",
        detail:
          "the weights sum to 0: Route 53 then splits traffic evenly between the clusters; give the cluster that should serve a weight above 0",
      },
    ]);
    expect(
      rule(goodPair({ migration: { weight: 0 } }, { migration: { weight: 1 } }), "weights-zero"),
    ).toEqual([]);
  });

  const s = (namespace: string, owned: boolean) => ({ "match-server": { namespace, owned } });
  test.each([
    [
      s("game", true),
      s("game", true),
      "owned (namespace game)",
      "owned (namespace game)",
      "singleton match-server is owned by both stacks: it would run twice",
    ],
    [
      s("game", false),
      s("game", false),
      "not owned (namespace game)",
      "not owned (namespace game)",
      "singleton match-server is owned by neither stack: it runs nowhere",
    ],
    [
      s("game", true),
      {},
      "owned (namespace game)",
      "not declared",
      "singleton match-server is declared in prod only: declare it in both, owned in exactly one",
    ],
    [
      s("game", true),
      s("games", false),
      "owned (namespace game)",
      "not owned (namespace games)",
      "singleton match-server has namespace game in prod and games in prod2",
    ],
  ])("singleton-owner: %j and %j", (sa, sb, a, b, detail) => {
    const p = goodPair({ migration: { singletons: sa } }, { migration: { singletons: sb } });
    expect(rule(p, "singleton-owner")).toEqual([{ rule: "singleton-owner", a, b, detail }]);
  });

  test("singleton-resources: the stack that does not own a singleton has nothing tagged for it", () => {
    const tags = { "eks-blueprint:singleton": "match-server" };
    const p = goodPair(
      {
        extra: [
          rec("aws:iam/role:Role", "prod-irsa-match", { name: "eks-blueprint-prod-match", tags }),
        ],
      },
      {
        extra: [
          rec("aws:ec2/securityGroup:SecurityGroup", "match", {
            name: "eks-blueprint-prod2-match",
            tags,
          }),
        ],
      },
    );
    expect(rule(p, "singleton-resources")).toEqual([
      {
        rule: "singleton-resources",
        a: "",
        b: "aws:ec2/securityGroup:SecurityGroup::match",
        detail:
          "prod2 does not own singleton match-server but creates aws:ec2/securityGroup:SecurityGroup::match for it",
      },
    ]);
  });
});
