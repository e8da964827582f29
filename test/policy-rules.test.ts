import { checkResource, rules } from "../policy/rules";
import { accessCases } from "./policy-cases-access";
import { infrastructureCases } from "./policy-cases-infrastructure";
import { prodContext, res } from "./policy-fixtures";

const cases = [...infrastructureCases, ...accessCases];

const ruleById = (id: string) => {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};

test.each(cases.filter((c) => c.violation).map((c) => [c.rule, c.label, c] as const))(
  "%s flags %s",
  (id, _label, c) => {
    const messages = checkResource(ruleById(id), c.resource, c.ctx ?? prodContext);
    expect(messages.join("\n")).toContain(c.violation);
  },
);

test.each(cases.filter((c) => !c.violation).map((c) => [c.rule, c.label, c] as const))(
  "%s passes %s",
  (id, _label, c) => {
    expect(checkResource(ruleById(id), c.resource, c.ctx ?? prodContext)).toEqual([]);
  },
);

test("every rule has at least one violating and one passing case", () => {
  const ids = rules.map((r) => r.id);
  expect(ids.filter((id) => !cases.some((c) => c.rule === id && c.violation))).toEqual([]);
  expect(ids.filter((id) => !cases.some((c) => c.rule === id && !c.violation))).toEqual([]);
  expect(ids.length).toBeGreaterThanOrEqual(15);
});

test("rules ignore resource types they do not judge", () => {
  const stranger = res("random:index/randomPet:RandomPet", "pet", { length: 2 });
  for (const rule of rules) expect(checkResource(rule, stranger, prodContext)).toEqual([]);
});

test("rules do not throw on inputs of an unexpected shape", () => {
  const odd = {
    name: 7,
    metadata: "x",
    subnetIds: "subnet-1",
    ingress: {},
    policy: "{not json",
    values: null,
  };
  const types = [...new Set(rules.flatMap((r) => r.types.filter((t) => t !== "*")))];
  for (const type of types) {
    for (const rule of rules)
      expect(() => checkResource(rule, res(type, "odd", odd), prodContext)).not.toThrow();
  }
});
