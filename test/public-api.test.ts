// The package's public API, read with the TypeScript compiler: components/index.ts re-exports
// every export of every file under components/ (so the index cannot fall behind a new component),
// and every field of the public Args documents itself and, when optional, its default.
import { readdirSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "../tools/synth/stack-files";

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
function exportsOf(file: string): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  const symbols = module ? checker.getExportsOfModule(module) : [];
  return new Map(symbols.map((s) => [s.name, resolved(s)]));
}
const publicApi = exportsOf(INDEX);

test("components/index.ts re-exports every export of every file under components/", () => {
  expect(componentFiles.length).toBeGreaterThan(20);
  const missing = componentFiles.flatMap((file) =>
    [...exportsOf(file)]
      .filter(([name, symbol]) => publicApi.get(name) !== symbol)
      .map(([name]) => `${path.relative(COMPONENTS, file)}: ${name}`),
  );
  expect(missing).toEqual([]);
});

test("the entry point exports the blueprint, its args, the components and the pure builders", () => {
  const kinds = (name: string) => publicApi.get(name)?.flags ?? 0;
  const classes = ["EksBlueprint", "Network", "Cluster", "NodeGroups", "IrsaRole", "AddonBundle"];
  expect(classes.filter((c) => !(kinds(c) & ts.SymbolFlags.Class))).toEqual([]);
  expect(kinds("BlueprintArgs") & ts.SymbolFlags.Interface).toBeTruthy();
  const builders = ["irsaTrustPolicy", "subnetTags", "clusterAutoscalerPolicy", "stableJson"];
  expect(builders.filter((b) => !(kinds(b) & ts.SymbolFlags.Function))).toEqual([]);
});

/**
 * Every field of every interface reachable from an exported `*Args` (its own fields, nested type
 * literals, and the interfaces its fields use, such as NodeGroupSpec), with what its docs lack.
 * TypeDoc reads the same JSDoc, so a field this misses is a field `npm run docs` leaves blank.
 */
function argsDocProblems(): string[] {
  const problems: string[] = [];
  const seen = new Set<ts.Symbol>();
  const visitType = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      const symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol) visitInterface(resolved(symbol));
    }
    if (!ts.isTypeLiteralNode(node)) ts.forEachChild(node, visitType); // literals: see visitField
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
  for (const [name, symbol] of publicApi) if (name.endsWith("Args")) visitInterface(symbol);
  return problems;
}

test("every public Args field (and every field of the types it uses) is documented, optional ones with @default", () => {
  expect(argsDocProblems()).toEqual([]);
});
