/**
 * What Renovate's regex custom managers extract from our files, computed offline the way
 * Renovate does it (renovatebot/renovate lib/modules/manager/custom/regex/strategies.ts and
 * utils.ts): each matchString compiled with the `g` flag; strategy "any" takes every match,
 * "recursive" runs each next matchString inside the previous one's matches and merges their
 * groups; a `<field>Template` wins over a captured group of that name; `registryUrl` goes through
 * `new URL()`; the replaced text is the whole (innermost) match. Renovate compiles with RE2, which
 * has no lookaround or backreferences: re2Problems() flags those.
 */

/** The part of a Renovate regex custom manager this extraction reads. */
export interface RegexManager {
  customType: "regex";
  description?: string | string[];
  managerFilePatterns: string[];
  matchStrings: string[];
  matchStringsStrategy?: "any" | "recursive" | "combination";
  depNameTemplate?: string;
  packageNameTemplate?: string;
  currentValueTemplate?: string;
  datasourceTemplate?: string;
  versioningTemplate?: string;
  registryUrlTemplate?: string;
}

/** One dependency as Renovate would extract it. */
export interface ExtractedDep {
  file: string;
  depName?: string;
  packageName?: string;
  currentValue?: string;
  datasource?: string;
  versioning?: string;
  registryUrl?: string;
  /** The text Renovate replaces on a bump (every occurrence of currentValue in it changes). */
  replaceString: string;
}

const FIELDS = [
  "depName",
  "packageName",
  "currentValue",
  "datasource",
  "versioning",
  "registryUrl",
] as const;

/** A `/regex/flags` file pattern as a RegExp; globs are not used in our config. */
export function filePattern(p: string): RegExp {
  const m = /^\/(.+)\/([a-z]*)$/.exec(p);
  if (!m) {
    throw new Error(`managerFilePatterns: not a /regex/ pattern (got ${JSON.stringify(p)})`);
  }
  return new RegExp(m[1], m[2]);
}

/** Renovate's Handlebars templates, reduced to the one form we use: `{{{group}}}`. */
export function compileTemplate(template: string, groups: Record<string, string>): string {
  const out = template.replace(/\{\{\{(\w+)\}\}\}/g, (_m, g: string) => groups[g] ?? "");
  if (out.includes("{{")) {
    throw new Error(
      `template: only {{{group}}} is supported here (got ${JSON.stringify(template)})`,
    );
  }
  return out;
}

function createDependency(
  manager: RegexManager,
  file: string,
  groups: Record<string, string>,
  replaceString: string,
): ExtractedDep | undefined {
  const dep: ExtractedDep = { file, replaceString };
  for (const field of FIELDS) {
    const template = manager[`${field}Template` as keyof RegexManager] as string | undefined;
    const value = template !== undefined ? compileTemplate(template, groups) : groups[field];
    if (value) dep[field] = field === "registryUrl" ? new URL(value).toString() : value;
  }
  // Renovate drops a dependency without a name or a current value (utils.ts isValidDependency).
  return (dep.depName || dep.packageName) && dep.currentValue ? dep : undefined;
}

function matches(source: string, content: string): RegExpMatchArray[] {
  return [...content.matchAll(new RegExp(source, "g"))];
}

function recursive(
  manager: RegexManager,
  file: string,
  content: string,
  index: number,
  groups: Record<string, string>,
): ExtractedDep[] {
  if (index === manager.matchStrings.length) {
    const dep = createDependency(manager, file, groups, content);
    return dep ? [dep] : [];
  }
  return matches(manager.matchStrings[index], content).flatMap((m) =>
    recursive(manager, file, m[0], index + 1, { ...groups, ...m.groups }),
  );
}

/** Every dependency one manager extracts from one file's content. */
export function extractDeps(manager: RegexManager, file: string, content: string): ExtractedDep[] {
  const strategy = manager.matchStringsStrategy ?? "any";
  if (strategy === "recursive") return recursive(manager, file, content, 0, {});
  if (strategy === "combination") {
    throw new Error(
      `matchStringsStrategy: "combination" is not emulated here; use "any" or "recursive"`,
    );
  }
  return manager.matchStrings.flatMap((s) =>
    matches(s, content).flatMap((m) => {
      const dep = createDependency(manager, file, { ...m.groups }, m[0]);
      return dep ? [dep] : [];
    }),
  );
}

/** The file after Renovate's default auto-replace of one dependency with `newValue`. */
export function autoReplace(content: string, dep: ExtractedDep, newValue: string): string {
  const at = content.indexOf(dep.replaceString);
  if (at < 0) throw new Error(`replaceString not found in ${dep.file}`);
  const replaced = dep.replaceString.split(dep.currentValue!).join(newValue);
  return content.slice(0, at) + replaced + content.slice(at + dep.replaceString.length);
}

/** Syntax JavaScript accepts and RE2 (Renovate's engine) rejects. */
export function re2Problems(pattern: string): string[] {
  const rules: [RegExp, string][] = [
    [/\(\?[=!]/, "lookahead"],
    [/\(\?<[=!]/, "lookbehind"],
    [/\\[1-9]|\\k</, "backreference"],
  ];
  return rules.filter(([re]) => re.test(pattern)).map(([, what]) => `${what} in ${pattern}`);
}
