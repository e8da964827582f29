// The objects a `helm template` prints, and what changes between two renders of a release: pure,
// so the diff is tested on manifests a test writes.
import { parseAllDocuments } from "yaml";
import { isRecord } from "../../components/problems";
import { flattenInputs } from "../../synth/diff";

/** One rendered object, identified by kind, namespace and name. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  /** "" for a cluster-scoped object. */
  namespace: string;
  name: string;
  /** The whole object as rendered. */
  body: Record<string, unknown>;
}

/** Whether objects of `kind` have no namespace (Namespace, CRD, ClusterRole, cluster-scoped CRs). */
export type ClusterScoped = (apiVersion: string, kind: string) => boolean;

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export const objectKey = (o: Pick<KubeObject, "kind" | "namespace" | "name">): string =>
  `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;

/**
 * The objects in a multi-document YAML stream. A namespaced object without metadata.namespace is
 * installed in the release's namespace, as Helm installs it; comment-only documents are skipped.
 */
export function parseManifests(
  text: string,
  releaseNamespace: string,
  clusterScoped: ClusterScoped,
): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) throw new Error(`not YAML: ${error.message}`);
    const body: unknown = doc.toJS();
    if (!isRecord(body)) continue;
    const metadata = isRecord(body.metadata) ? body.metadata : {};
    const [apiVersion, kind, name] = [body.apiVersion, body.kind, metadata.name];
    if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string")
      throw new Error(
        `an object without apiVersion, kind or metadata.name: ${JSON.stringify(body)}`,
      );
    const namespace = clusterScoped(apiVersion, kind)
      ? ""
      : typeof metadata.namespace === "string"
        ? metadata.namespace
        : releaseNamespace;
    objects.push({ apiVersion, kind, namespace, name, body });
  }
  return objects;
}

/** An object in both renders whose body differs, with the leaf paths that differ. */
interface ObjectChange {
  before: KubeObject;
  after: KubeObject;
  paths: string[];
}

export interface ManifestDiff {
  added: KubeObject[];
  removed: KubeObject[];
  changed: ObjectChange[];
}

const byKey = (a: KubeObject, b: KubeObject) => objectKey(a).localeCompare(objectKey(b));

/** The leaf paths (`spec.template.spec.containers[0].image`) where two objects differ. */
function changedPaths(before: KubeObject, after: KubeObject): string[] {
  const [b, a] = [flattenInputs(before.body), flattenInputs(after.body)];
  return [...new Set([...b.keys(), ...a.keys()])]
    .filter((p) => JSON.stringify(b.get(p)) !== JSON.stringify(a.get(p)))
    .sort();
}

/** Added, removed and changed objects between two renders, by kind, namespace and name. */
export function diffManifests(base: KubeObject[], head: KubeObject[]): ManifestDiff {
  const before = new Map(base.map((o) => [objectKey(o), o]));
  const after = new Map(head.map((o) => [objectKey(o), o]));
  const changed: ObjectChange[] = [];
  for (const [key, o] of after) {
    const old = before.get(key);
    const paths = old ? changedPaths(old, o) : [];
    if (old && paths.length > 0) changed.push({ before: old, after: o, paths });
  }
  return {
    added: head.filter((o) => !before.has(objectKey(o))).sort(byKey),
    removed: base.filter((o) => !after.has(objectKey(o))).sort(byKey),
    changed: changed.sort((x, y) => byKey(x.after, y.after)),
  };
}
