// The package's public API, read with the TypeScript compiler: a curated list of runtime names
// (adding one is a deliberate edit below), every component a consumer can construct, every type
// its Args use nameable, and every field of the public Args documented with its default.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "../synth/stack-files";

const COMPONENTS = path.join(ROOT, "components");
const INDEX = path.join(COMPONENTS, "index.ts");
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")
        ? [path.join(dir, e.name)]
        : [],
  );
const componentFiles = sourceFiles(COMPONENTS).filter((f) => f !== INDEX);

// noResolve: only our own files are parsed (about a second); @pulumi types stay unresolved, which
// is all that export lists and doc comments need.
const program = ts.createProgram([INDEX, ...componentFiles], {
  noResolve: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  types: [],
});
const checker = program.getTypeChecker();
const resolved = (s: ts.Symbol) =>
  s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;

/** Every export of the entry point, namespaces flattened (`addons.addonRegistry`). */
function publicExports(): Map<string, ts.Symbol> {
  const out = new Map<string, ts.Symbol>();
  const walk = (module: ts.Symbol, prefix: string) => {
    for (const s of checker.getExportsOfModule(module)) {
      const target = resolved(s);
      if (target.flags & ts.SymbolFlags.ValueModule) walk(target, `${prefix}${s.name}.`);
      else out.set(`${prefix}${s.name}`, target);
    }
  };
  walk(checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!, "");
  return out;
}
const publicApi = publicExports();
const RUNTIME = ts.SymbolFlags.Value & ~ts.SymbolFlags.ValueModule;

test("the entry point exports exactly these runtime names (adding one is a decision: add it here)", () => {
  const runtime = [...publicApi].filter(([, s]) => s.flags & RUNTIME).map(([name]) => name);
  expect(runtime.sort()).toEqual([
    "AddonBundle",
    "Cluster",
    "CoreAddons",
    "Drills",
    "EksBlueprint",
    "FargateLogging",
    "FargateProfiles",
    "InterruptionQueue",
    "IrsaRole",
    "Network",
    "NetworkPolicyBaseline",
    "NodeGroups",
    "PodIdentityRole",
    "PodSecurityGroup",
    "SUPPORTED_KUBERNETES_MINORS",
    "Teams",
    "TrafficRecords",
    "WorkloadAccess",
    "addons.ADDON_KEYS",
    "addons.addonRegistry",
    "addons.addonSelectionProblems",
    "addons.charts",
    "addons.installedAddons",
    "blueprintProblems",
    "drillsProblems",
    "irsaAnnotation",
    "irsaTrustPolicy",
    "managedPolicyArn",
    "partitionOf",
    "podIdentityTrustPolicy",
    "serviceTrustPolicy",
    "stableJson",
    "statementsPolicy",
    "subnetTags",
  ]);
});

/** The building blocks of the one way to install add-ons (AddonBundle), not ways of their own. */
const INTERNAL_COMPONENTS = ["Addon", "Platform"];

test("every other component under components/ is public, with its Args", () => {
  const components = componentFiles
    .flatMap((f) =>
      [
        ...readFileSync(f, "utf8").matchAll(
          /^export class (\w+)[^{]*extends pulumi\.ComponentResource/gm,
        ),
      ].map((m) => m[1]),
    )
    .filter((c) => !INTERNAL_COMPONENTS.includes(c));
  expect(components.length).toBeGreaterThan(10);
  expect(
    components.filter((c) => !((publicApi.get(c)?.flags ?? 0) & ts.SymbolFlags.Class)),
  ).toEqual([]);
  expect(components.filter((c) => !publicApi.has(`${c}Args`))).toEqual(
    // EksBlueprint's Args are BlueprintArgs, after the package.
    ["EksBlueprint"],
  );
});

/**
 * Every field of every interface reachable from an exported `*Args` (its own fields, nested type
 * literals, and the interfaces its fields use, such as NodeGroupSpec), with what its docs lack.
 * TypeDoc reads the same JSDoc, so a field this misses is a field `npm run docs` leaves blank.
 */
function walkArgs(): { problems: string[]; seen: Set<ts.Symbol> } {
  const problems: string[] = [];
  const seen = new Set<ts.Symbol>();
  const visitType = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      const symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol) visitNamed(resolved(symbol));
    }
    if (!ts.isTypeLiteralNode(node)) ts.forEachChild(node, visitType); // literals: see visitField
  };
  // A type alias (`PodSgEnforcingMode`, `PodSgEgressRule`) is named in Args as an interface is;
  // what it is made of is walked too, its literals' fields included.
  const visitNamed = (symbol: ts.Symbol): void => {
    const alias = (symbol.declarations ?? []).find(ts.isTypeAliasDeclaration);
    if (!alias) return visitInterface(symbol);
    if (seen.has(symbol) || !alias.getSourceFile().fileName.startsWith(COMPONENTS)) return;
    seen.add(symbol);
    const literals = (node: ts.Node): void => {
      if (ts.isTypeLiteralNode(node)) {
        for (const m of node.members) if (ts.isPropertySignature(m) && m.type) literals(m.type);
      }
      visitType(node);
      ts.forEachChild(node, literals);
    };
    literals(alias.type);
  };
  const visitField = (owner: string, member: ts.TypeElement): void => {
    if (!ts.isPropertySignature(member)) return;
    const field = `${owner}.${member.name.getText()}`;
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const tags = ts.getJSDocTags(member).map((t) => t.tagName.text);
    if (!docs.some((d) => (d.comment?.length ?? 0) > 0 || (d.tags?.length ?? 0) > 0)) {
      problems.push(`${field}: no doc comment`);
    } else if (member.questionToken && !tags.includes("default")) {
      problems.push(`${field}: optional, but no @default`);
    }
    if (member.type && ts.isTypeLiteralNode(member.type)) {
      for (const m of member.type.members) visitField(field, m);
    }
    if (member.type) visitType(member.type);
  };
  const visitInterface = (symbol: ts.Symbol): void => {
    const decls = (symbol.declarations ?? []).filter(ts.isInterfaceDeclaration);
    if (seen.has(symbol) || decls.length === 0) return;
    if (!decls[0].getSourceFile().fileName.startsWith(COMPONENTS)) return;
    seen.add(symbol);
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      for (const decl of property.declarations ?? []) {
        if (ts.isPropertySignature(decl)) visitField(symbol.name, decl);
      }
    }
  };
  for (const [name, symbol] of publicApi) if (name.endsWith("Args")) visitNamed(symbol);
  for (const symbol of addonSettings()) visitNamed(symbol);
  return { problems, seen };
}

/**
 * Each add-on's settings type (`AwsLoadBalancerControllerSettings`), read off its registry entry's
 * `AddonSpec<Settings, …>` annotation: `AddonSelection` maps keys to them, so no field names them.
 */
function addonSettings(): ts.Symbol[] {
  const registry = program.getSourceFile(path.join(COMPONENTS, "addons", "registry.ts"))!;
  const found: ts.Symbol[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const entry = resolved(checker.getShorthandAssignmentValueSymbol(node)!);
      const type = entry.declarations?.find(ts.isVariableDeclaration)?.type;
      const settings = type && ts.isTypeReferenceNode(type) && type.typeArguments?.[0];
      const symbol = settings && ts.isTypeReferenceNode(settings) && settings.typeName;
      if (!symbol) throw new Error(`registry entry ${node.name.text}: no AddonSpec<Settings> type`);
      found.push(resolved(checker.getSymbolAtLocation(symbol)!));
    }
    ts.forEachChild(node, visit);
  };
  visit(registry);
  return found;
}

test("every public Args field (and every field of the types it uses) is documented, optional ones with @default", () => {
  expect(walkArgs().problems).toEqual([]);
});

test("every type a public Args or an add-on's settings use (interfaces, aliases, unions) can be named by a consumer", () => {
  const exported = new Set(publicApi.values());
  const unnamed = [...walkArgs().seen].filter((s) => !exported.has(s)).map((s) => s.name);
  expect(unnamed.sort()).toEqual([]);
});
