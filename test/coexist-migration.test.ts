// The `migration:*` config (schema, errors, builders) and the rules about the move itself:
// weighted records, weights, singletons.
import { ConfigValidationError } from "../stacks/errors";
import {
  ownsSingleton,
  parseMigrationConfig,
  readMigrationConfig,
  singletonReferenceProblems,
  trafficArgs,
} from "../stacks/migration-config";
import { structuralFindings } from "../policy/coexist/rules";
import { goodPair, patchValues, rec, without } from "./coexist-fixtures";

const committedLike = {
  "aws:region": "us-west-2",
  "eks-blueprint:clusterName": "eks-blueprint-prod",
  "migration:weight": "100",
  "migration:hostnames": '["www.example.com","api.example.com"]',
  "migration:hostedZoneId": "Z0123456789EXAMPLE",
  "migration:singletons": '{"match-server":{"namespace":"game","owned":true}}',
};

describe("migration config", () => {
  test("reads weight, hostnames and singletons from Pulumi's flat strings, ignoring other namespaces", () => {
    expect(parseMigrationConfig(committedLike)).toEqual({
      weight: 100,
      hostnames: ["www.example.com", "api.example.com"],
      hostedZoneId: "Z0123456789EXAMPLE",
      externalPeers: {},
      singletons: { "match-server": { namespace: "game", owned: true } },
    });
  });

  test("a stack without migration keys serves no shared hostname and owns no singleton", () => {
    expect(parseMigrationConfig({ "aws:region": "us-west-2" })).toEqual({
      weight: 0,
      hostnames: [],
      externalPeers: {},
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
      { "migration:hostnames": '["www.example.com"]', "migration:hostedZoneId": "Z1" },
      "migration:weight: missing while migration:hostnames is set (got undefined); set this stack's share with `pulumi config set migration:weight <0-255>`",
    ],
    [
      { "migration:hostnames": '["www.example.com"]', "migration:weight": "1" },
      "migration:hostedZoneId: missing while migration:hostnames is set (got undefined); set the Route 53 zone of the hostnames with `pulumi config set migration:hostedZoneId <id>`",
    ],
    [
      { "migration:hostedZoneId": "z1" },
      'migration:hostedZoneId: not a hosted zone id (got "z1"); use the bare id such as Z0123456789ABCDEFGHIJ',
    ],
    [
      {
        "migration:externalPeers":
          '{"legacy":{"weight":100,"alias":{"name":"old.elb.amazonaws.com","zoneId":"Z1"}}}',
      },
      'migration:externalPeers: set without migration:hostnames (got ["legacy"]); list the shared hostnames whose weighted records the peers join',
    ],
    [
      {
        "migration:weight": "0",
        "migration:hostnames": '["www.example.com"]',
        "migration:hostedZoneId": "Z1",
        "migration:externalPeers": '{"legacy":{"weight":100,"cname":"old.example.net"}}',
      },
      'migration:externalPeers.legacy.cname: a weighted set has one record type, and ours are alias A records (got "old.example.net"); declare the load balancer it points to as alias: {name, zoneId}',
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
      'migration:wieght: unknown key (got "wieght"); use migration:weight, migration:hostnames, migration:hostedZoneId, migration:externalPeers, migration:singletons, migration:importRecords or migration:peers',
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
  test("the traffic args: the zone, every hostname, the cluster name as set identifier, the weight, the peers", () => {
    const peers = {
      legacy: {
        weight: 100,
        alias: { name: "old-lb.elb.amazonaws.com", zoneId: "Z18D5FSROUN65G" },
      },
    };
    expect(
      trafficArgs("eks-blueprint-prod2", {
        ...parseMigrationConfig(committedLike),
        weight: 0,
        externalPeers: peers,
      }),
    ).toEqual({
      zoneId: "Z0123456789EXAMPLE",
      hostnames: ["www.example.com", "api.example.com"],
      setIdentifier: "eks-blueprint-prod2",
      weight: 0,
      externalPeers: peers,
    });
    expect(trafficArgs("c", parseMigrationConfig({}))).toBeUndefined();
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

  test("weighted-record: a record still carrying an old weight is reported with the one it should have", () => {
    const p = goodPair();
    p.b = { ...p.b, migration: { ...p.b.migration, weight: 10 } };
    expect(structuralFindings(p.a, p.b)).toEqual([
      {
        rule: "weighted-record",
        subject: "",
        other: "aws:route53/record:Record::prod2-traffic-www.example.com",
        message: "prod2's record www.example.com (eks-blueprint-prod2) has weight 0, not 10",
      },
    ]);
  });

  test("weighted-record: every hostname needs its record; a record nobody asks for is stale", () => {
    const p = goodPair({ migration: { hostnames: ["www.example.com", "api.example.com"] } });
    p.a = without(p.a, (r) => r.name === "prod-traffic-api.example.com");
    p.b = { ...p.b, migration: { ...p.b.migration, hostnames: [] } };
    expect(rule(p, "weighted-record")).toEqual([
      {
        rule: "weighted-record",
        subject: "no record api.example.com (eks-blueprint-prod)",
        other: "",
        message:
          "prod lists api.example.com in migration:hostnames but owns no weighted record for it with set identifier eks-blueprint-prod",
      },
      {
        rule: "weighted-record",
        subject: "",
        other: "aws:route53/record:Record::prod2-traffic-www.example.com",
        message:
          "prod2 owns a weighted record www.example.com (eks-blueprint-prod2) its migration config does not ask for",
      },
    ]);
  });

  test("weighted-record: an alias without target health, and an ExternalDNS claiming a shared hostname", () => {
    const p = goodPair();
    p.b = {
      ...p.b,
      synth: {
        ...p.b.synth,
        resources: p.b.synth.resources.map((r) =>
          r.type === "aws:route53/record:Record"
            ? {
                ...r,
                inputs: {
                  ...r.inputs,
                  aliases: [
                    {
                      name: "x.elb.amazonaws.com",
                      zoneId: "Z18D5FSROUN65G",
                      evaluateTargetHealth: false,
                    },
                  ],
                },
              }
            : r,
        ),
      },
    };
    p.b = patchValues(p.b, "external-dns", (v) => ({ ...v, domainFilters: ["example.com"] }));
    expect(rule(p, "weighted-record")).toEqual([
      {
        rule: "weighted-record",
        subject: "",
        other: "aws:route53/record:Record::prod2-traffic-www.example.com",
        message:
          "prod2's record www.example.com (eks-blueprint-prod2) has evaluateTargetHealth false, not true",
      },
      {
        rule: "weighted-record",
        subject: "",
        other: "kubernetes:helm.sh/v3:Release::prod2-dns",
        message:
          "prod2's ExternalDNS domainFilters (example.com) cover the shared www.example.com, which the stacks' records own",
      },
    ]);
  });

  test("set-identifier: a peer declared in both stacks is one record with two owners", () => {
    const legacy = {
      weight: 0,
      alias: { name: "old-lb.elb.us-west-2.amazonaws.com", zoneId: "Z18D5FSROUN65G" },
    };
    const p = goodPair(
      { migration: { externalPeers: { legacy } } },
      { migration: { externalPeers: { legacy } } },
    );
    expect(rule(p, "set-identifier")).toEqual([
      {
        rule: "set-identifier",
        subject:
          "aws:route53/record:Record::prod-traffic-legacy-www.example.com set-identifier=legacy",
        other:
          "aws:route53/record:Record::prod2-traffic-legacy-www.example.com set-identifier=legacy",
        message:
          'both stacks own www.example.com\'s weighted record "legacy": one record with two owners, not two members of the set',
      },
    ]);
  });

  test("weights-zero: 0 and 0 is an even split, not a stop", () => {
    expect(rule(goodPair({ migration: { weight: 0 } }), "weights-zero")).toEqual([
      {
        rule: "weights-zero",
        subject: "eks-blueprint-prod=0",
        other: "eks-blueprint-prod2=0",
        message:
          "the weights sum to 0: Route 53 then splits traffic evenly between the clusters; give the cluster that should serve a weight above 0",
      },
    ]);
    expect(
      rule(goodPair({ migration: { weight: 0 } }, { migration: { weight: 1 } }), "weights-zero"),
    ).toEqual([]);
  });

  /** The pair after a change from (prod, prod2) weights `from` to `to`, with `before` known. */
  const moved = (from: [number, number], to: [number, number]) => {
    const p = goodPair({ migration: { weight: to[0] } }, { migration: { weight: to[1] } });
    p.a = { ...p.a, before: { ...p.a.migration, weight: from[0] } };
    p.b = { ...p.b, before: { ...p.b.migration, weight: from[1] } };
    return p;
  };

  test.each([
    ["the forward move", [100, 0], [0, 100]],
    ["the rollback", [0, 100], [100, 0]],
    ["a canary stage", [99, 1], [90, 10]],
  ] as const)(
    "weights-zero: %s in deploy order (the rising stack first) never passes 0/0",
    (_, from, to) => {
      expect(rule(moved([...from], [...to]), "weights-zero")).toEqual([]);
    },
  );

  test("weights-zero: a rollback through 0/0 is refused, naming the state it passes through", () => {
    // An external peer makes both of prod2's records change in one update, in any order.
    const legacy = (weight: number) => ({
      legacy: {
        weight,
        alias: { name: "old-lb.elb.us-west-2.amazonaws.com", zoneId: "Z18D5FSROUN65G" },
      },
    });
    const p = goodPair(
      { migration: { hostnames: [] } },
      { migration: { weight: 0, externalPeers: legacy(100) } },
    );
    p.a = { ...p.a, before: p.a.migration };
    p.b = { ...p.b, before: { ...p.b.migration, weight: 100, externalPeers: legacy(0) } };
    expect(rule(p, "weights-zero")).toEqual([
      {
        rule: "weights-zero",
        subject: "no records",
        other: "eks-blueprint-prod2=0, legacy=100",
        message:
          "updating prod2 then prod passes through eks-blueprint-prod2=0, legacy=0, an even split: raise the serving side in one change and lower the other in the next",
      },
    ]);
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
    expect(rule(p, "singleton-owner")).toEqual([
      { rule: "singleton-owner", subject: a, other: b, message: detail },
    ]);
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
        subject: "",
        other: "aws:ec2/securityGroup:SecurityGroup::match",
        message:
          "prod2 does not own singleton match-server but creates aws:ec2/securityGroup:SecurityGroup::match for it",
      },
    ]);
  });
});
