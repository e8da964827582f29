import { isRecord, problem } from "./problems";

// Kubernetes' name and label rules, once:
// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ and
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set

/** DNS-1123 label (namespaces, most object names): at most 63 of a-z 0-9 '-', alphanumeric ends. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_LABEL_HINT = "use at most 63 lowercase letters, digits and '-'";

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters (object names, label prefixes). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const isDnsSubdomain = (s: string): boolean => s.length <= 253 && DNS_SUBDOMAIN.test(s);

/** A label name, and a label value when not empty: at most 63 of A-Z a-z 0-9 - _ . with alphanumeric ends. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** `[prefix/]name`, where the prefix is a DNS subdomain. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  return (
    LABEL_NAME.test(key.slice(slash + 1)) && (slash < 0 || isDnsSubdomain(key.slice(0, slash)))
  );
}

/** Empty, or a label name: `x y` is not a label value. */
export const isLabelValue = (value: unknown): boolean =>
  value === "" || (typeof value === "string" && LABEL_NAME.test(value));

export const LABEL_HINT =
  "use a label key and value of at most 63 letters, digits, '-', '_' and '.'";

/** Every entry of a label map that Kubernetes would refuse, keyed `<at>.<key>`. */
export function labelProblems(labels: Record<string, unknown> | undefined, at: string): string[] {
  if (labels !== undefined && !isRecord(labels)) {
    return [problem(at, "not a map of labels", labels, `give key: value pairs; ${LABEL_HINT}`)];
  }
  return Object.entries(labels ?? {})
    .filter(([k, v]) => !isLabelKey(k) || !isLabelValue(v))
    .map(([k, v]) => problem(`${at}.${k}`, "not a Kubernetes label", { [k]: v }, LABEL_HINT));
}

/** A problem when `name` is not a DNS label, worded for what it names (`namespace name`). */
export function dnsLabelProblems(name: unknown, at: string, what = "namespace name"): string[] {
  return typeof name === "string" && DNS_LABEL.test(name)
    ? []
    : [problem(at, `not a ${what}`, name, DNS_LABEL_HINT)];
}
