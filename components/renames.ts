import * as pulumi from "@pulumi/pulumi";
import { isRecord } from "./problems";

// Every rename since prod's deployed state, in one table. Without an alias to its old identity
// Pulumi creates the new resource, then deletes the old: for a named Kubernetes object, the object
// just created (pulumi/pulumi-kubernetes#2948). Transforms reach all below a component, packaged
// ones' children included (https://www.pulumi.com/docs/iac/concepts/options/transforms/).

/** The components that own renames: each passes `renames(<kind>, name)` as a transform. */
type RenameOwner =
  "Addon" | "Cluster" | "EksBlueprint" | "IrsaRole" | "Platform" | "PodSecurityGroup";

/** A resource as a rename rule sees it, below (or as) the owner named `owner`. */
interface Seen {
  type: string;
  name: string;
  /** URN of its parent. */
  parent: string;
  props: Record<string, unknown>;
  owner: string;
  ownerType: string;
  /** URNs of the owner and of its parent, as the engine gave them. */
  ownerUrn: string;
  ownerParent: string;
  /** The resource's place in the owner's list, for children once named by position. */
  position?: number;
}

type Rule = (r: Seen) => pulumi.Alias[] | undefined;

const T = "eks-blueprint:index:";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

/** Children once named by their position in a list (`<owner>-<what>-<i>`), now by content. */
const byPosition =
  (type: string, old: (owner: string, i: number) => string): Rule =>
  (r) =>
    r.type === type && r.position !== undefined ? [{ name: old(r.owner, r.position) }] : undefined;

/** Add-ons that joined the bundle from the Platform component, and types since renamed. */
const MOVED_UNDER_BUNDLE = ["MetricsServer", "Efs", "ContainerInsights", "Karpenter"];
const FORMER_TYPE: Record<string, string> = { Efs: "EfsCsiDriver" };

const RENAMES: Record<RenameOwner, Rule[]> = {
  IrsaRole: [
    byPosition("aws:iam/rolePolicyAttachment:RolePolicyAttachment", (o, i) => `${o}-managed-${i}`),
  ],
  PodSecurityGroup: ["Ingress", "Egress"].map((d) =>
    byPosition(
      `aws:vpc/securityGroup${d}Rule:SecurityGroup${d}Rule`,
      (o, i) => `${o}-${d.toLowerCase()}-${i}`,
    ),
  ),
  // pulumi-eks names admins' entries `<cluster>-<key>` (nodejs/eks/cluster/authenticationMode.ts).
  Cluster: [
    byPosition("aws:eks/accessEntry:AccessEntry", (o, i) => `${o}-admin-${i}`),
    byPosition(
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      (o, i) => `${o}-admin-${i}-clusterAdmin`,
    ),
  ],
  Addon: [
    // An add-on's namespace was `<prefix>`; it is `<prefix>-<namespace>`.
    (r) => {
      const ns = isRecord(r.props.metadata) ? r.props.metadata.name : undefined;
      return r.type === NAMESPACE && r.parent === r.ownerUrn && r.name.endsWith(`-${String(ns)}`)
        ? [{ name: r.name.slice(0, -String(ns).length - 1) }]
        : undefined;
    },
    // A component type renamed in place (a moved one: the Platform's rule); its children follow.
    (r) => {
      const own = r.ownerType.slice(T.length);
      const old = FORMER_TYPE[own];
      if (!old || (MOVED_UNDER_BUNDLE.includes(own) && underPlatform(r.ownerParent))) return;
      if (r.name === r.owner && r.type === `${T}${own}`) return [{ type: `${T}${old}` }];
      return r.parent === r.ownerUrn
        ? [{ parent: pulumi.createUrn(r.owner, `${T}${old}`, r.ownerParent) }]
        : undefined;
    },
  ],
  // Add-ons that were the Platform's own children (`<platform>-<suffix>`) are the bundle's
  // (`<platform>-addons-<suffix>`); each, and each of its children, keeps its identity.
  Platform: [
    (r) => {
      const bundle = `${r.owner}-addons-`;
      const own = r.type.slice(T.length);
      if (r.type.startsWith(T) && MOVED_UNDER_BUNDLE.includes(own) && r.name.startsWith(bundle)) {
        const name = `${r.owner}-${r.name.slice(bundle.length)}`;
        return [{ name, type: `${T}${FORMER_TYPE[own] ?? own}`, parent: r.ownerUrn }];
      }
      const parentType = typeOf(r.parent).slice(T.length);
      const parentName = nameOf(r.parent);
      if (!MOVED_UNDER_BUNDLE.includes(parentType) || !parentName.startsWith(bundle)) return;
      const was = `${r.owner}-${parentName.slice(bundle.length)}`;
      return [
        {
          name: `${was}${r.name.slice(parentName.length)}`,
          parent: pulumi.createUrn(was, `${T}${FORMER_TYPE[parentType] ?? parentType}`, r.ownerUrn),
        },
      ];
    },
  ],
  // Workload namespaces were the Platform's (`<blueprint>-platform-ns-<namespace>`), then the
  // blueprint's (`<blueprint>-ns-<namespace>`); a team's namespace may have been either.
  EksBlueprint: [
    (r) => {
      if (r.type !== NAMESPACE) return;
      const platform = pulumi.createUrn(`${r.owner}-platform`, `${T}Platform`, r.ownerUrn);
      const fromPlatform = (ns: string) => ({
        name: `${r.owner}-platform-ns-${ns}`,
        parent: platform,
      });
      if (r.parent === r.ownerUrn && r.name.startsWith(`${r.owner}-ns-`)) {
        return [fromPlatform(r.name.slice(`${r.owner}-ns-`.length))];
      }
      const teams = `${r.owner}-teams-ns-`;
      if (typeOf(r.parent) !== `${T}Teams` || !r.name.startsWith(teams)) return;
      const ns = r.name.slice(teams.length);
      return [{ name: `${r.owner}-ns-${ns}`, parent: r.ownerUrn }, fromPlatform(ns)];
    },
  ],
};

/** Whether a URN's resource sits directly under a Platform component. */
const underPlatform = (urn: string) => {
  const chain = (urn.split("::")[2] ?? "").split("$");
  return chain[chain.length - 2] === `${T}Platform`;
};

const urnOfParent = (parent: pulumi.Input<pulumi.Resource> | undefined) =>
  parent === undefined
    ? Promise.resolve("")
    : new Promise<string>((resolve) => pulumi.output(parent).apply((p) => p.urn.apply(resolve)));

/** The owner's rename transform; `positions` maps a child's name to its place in the list. */
export function renames(
  kind: RenameOwner,
  name: string,
  positions: ReadonlyMap<string, number> = new Map(),
): pulumi.ResourceTransform {
  let ownerType = "";
  let ownerUrn = "";
  let ownerParent = "";
  return async ({ type, name: resourceName, props, opts }) => {
    const parent = await urnOfParent(opts.parent);
    if (!ownerType) [ownerType, ownerParent] = [type, parent];
    // The owner's URN is its children's parent.
    else if (!ownerUrn && typeOf(parent) === ownerType && nameOf(parent) === name)
      ownerUrn = parent;
    const seen: Seen = {
      type,
      name: resourceName,
      parent,
      props,
      owner: name,
      ownerType,
      ownerUrn,
      ownerParent,
      position: positions.get(resourceName),
    };
    const found = RENAMES[kind].flatMap((rule) => rule(seen) ?? []);
    if (found.length === 0) return undefined;
    // The SDK passes unset flags as `false`, and a returned false `deleteBeforeReplace` overrides
    // the provider's delete-first for fixed names (pulumi/pulumi step_generator.go): only true.
    const { deleteBeforeReplace, protect, retainOnDelete, ...rest }: pulumi.CustomResourceOptions =
      opts;
    const out: pulumi.CustomResourceOptions = {
      ...rest,
      aliases: [...(opts.aliases ?? []), ...found],
      ...(deleteBeforeReplace === true ? { deleteBeforeReplace } : {}),
      ...(protect === true ? { protect } : {}),
      ...(retainOnDelete === true ? { retainOnDelete } : {}),
    };
    return { props, opts: out };
  };
}

export const withRenames = (
  opts: pulumi.ComponentResourceOptions | undefined,
  kind: RenameOwner,
  name: string,
  positions?: ReadonlyMap<string, number>,
): pulumi.ComponentResourceOptions => ({
  ...opts,
  transforms: [...(opts?.transforms ?? []), renames(kind, name, positions)],
});
