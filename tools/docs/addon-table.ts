// The README's add-on table, a row per registry key, held literally to read on GitHub and npm:
// `npm run docs:addons` rewrites it; test/addons-registry.test.ts fails when it is stale.
import { ADDON_KEYS, specOf } from "../../components/addons/registry";

/** The heading the table sits under; the table runs from the first `|` line to the next blank. */
export const ADDON_TABLE_HEADING = "### Add-ons";

/** The table, one row per add-on in registry order, unpadded (prettier aligns the columns). */
export function addonTable(): string {
  const rows = ADDON_KEYS.map((k) => {
    const s = specOf(k);
    const ns = s.namespace.podSecurity
      ? `${s.namespace.name} (${s.namespace.podSecurity})`
      : s.namespace.name;
    const iam = s.role ? `IRSA \`${s.role.serviceAccount}\`` : "none";
    const by = ADDON_KEYS.filter((o) => k in (specOf(o).implies ?? {}));
    const unless = ADDON_KEYS.filter((o) => k in (specOf(o).conflicts ?? {}));
    const on = s.onByDefault
      ? ["by default", ...unless.map((o) => `unless ${o} is selected`)].join(", ")
      : ["when selected", ...by.map((o) => `with ${o}`)].join(", or ");
    return `| \`${k}\` | ${s.summary} | ${ns} | ${iam} | ${on} |`;
  });
  return [
    "| Key | What | Namespace (Pod Security) | IAM | Installed |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** `readme` with the table under {@link ADDON_TABLE_HEADING} replaced by `table`. */
export function withAddonTable(readme: string, table: string): string {
  const lines = readme.split("\n");
  const heading = lines.indexOf(ADDON_TABLE_HEADING);
  if (heading < 0) throw new Error(`README.md: no "${ADDON_TABLE_HEADING}" heading`);
  const start = lines.findIndex((l, i) => i > heading && l.startsWith("|"));
  if (start < 0) throw new Error(`README.md: no table under "${ADDON_TABLE_HEADING}"`);
  let end = start;
  while (end < lines.length && lines[end].startsWith("|")) end++;
  return [...lines.slice(0, start), table, ...lines.slice(end)].join("\n");
}

/** Table rows with their padding collapsed, so prettier's column alignment does not matter. */
export const normalizeTable = (text: string): string =>
  text
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) => l.replace(/\s*\|\s*/g, "|").replace(/\|-+(?=\|)/g, "|---"))
    .join("\n");

/** The table the README holds now, normalized. */
export function readmeAddonTable(readme: string): string {
  const section = readme.split(/^### Add-ons\n/m)[1]?.split(/^## /m)[0] ?? "";
  return normalizeTable(section);
}
