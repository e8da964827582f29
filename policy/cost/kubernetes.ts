// What a stack's Kubernetes objects buy from AWS: the load balancers of LoadBalancer Services and
// ALB Ingresses, and the EBS volumes of persistent volume claims. They are read where the synth has
// them: Kubernetes records, and Helm values (a chart renders its Service from `service.type`).
import { valueAt } from "../../components/addons/values";
import { isObj, type Obj, obj, str } from "../values";
import { type CostRecord, num } from "./line-items";

interface Kube {
  records: readonly CostRecord[];
  releases: readonly CostRecord[];
}

const LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const GROUP = "alb.ingress.kubernetes.io/group.name";
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

/** Every object inside `value` (itself included), with its path and the object holding it. */
function objectsIn(
  value: unknown,
  at: string,
  parent?: Obj,
): { o: Obj; at: string; parent?: Obj }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsIn(v, `${at}[${i}]`, parent));
  if (!isObj(value)) return [];
  return [
    { o: value, at, parent },
    ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, at ? `${at}.${k}` : k, value)),
  ];
}

/**
 * NLB or Classic, and whether it faces the internet. The AWS Load Balancer Controller makes an NLB
 * for `external`/`nlb-ip` and for every Service once installed (its webhook sets
 * `loadBalancerClass`), internal unless its scheme says `internet-facing`; without it, EKS's cloud
 * provider makes a Classic Load Balancer unless the type is `nlb`, internet-facing unless marked
 * internal. https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#lb-scheme
 */
function serviceLoadBalancer(annotations: Obj, loadBalancerClass: unknown, controller: boolean) {
  const type = str(annotations[LB_TYPE]) ?? "";
  const byController =
    controller ||
    loadBalancerClass === "service.k8s.aws/nlb" ||
    ["external", "nlb-ip"].includes(type);
  const kind: "nlb" | "clb" = byController || type === "nlb" ? "nlb" : "clb";
  const internetFacing = byController
    ? annotations[SCHEME] === "internet-facing"
    : annotations[INTERNAL] !== "true";
  return { kind, internetFacing };
}

interface KubeItem {
  id: string;
  what: string;
  quantity: { min: number; desired: number; max: number };
  unit: string;
}

const one = { min: 1, desired: 1, max: 1 };

/** The load balancers: one per LoadBalancer Service, one ALB per Ingress group. */
export function loadBalancersOf(
  kube: Kube,
): (KubeItem & { kind: "nlb" | "clb" | "alb"; internetFacing: boolean })[] {
  const controller = kube.releases.some((r) => r.inputs.chart === "aws-load-balancer-controller");
  const fromValues = kube.releases.flatMap((r) =>
    objectsIn(r.inputs.values, "")
      .filter(({ o }) => o.type === "LoadBalancer")
      .map(({ o, at }) => {
        const lb = serviceLoadBalancer(obj(o.annotations), o.loadBalancerClass, controller);
        return {
          id: `lb:${r.name}:${at}`,
          what: `${lb.kind.toUpperCase()} of release ${str(r.inputs.name) ?? r.name} (values \`${at}\`)`,
          quantity: one,
          unit: "load balancer",
          ...lb,
        };
      }),
  );
  const services = kube.records
    .filter((r) => r.type === "kubernetes:core/v1:Service")
    .filter((r) => valueAt(r.inputs, "spec", "type") === "LoadBalancer")
    .map((r) => {
      const annotations = obj(valueAt(r.inputs, "metadata", "annotations"));
      const lbClass = valueAt(r.inputs, "spec", "loadBalancerClass");
      const lb = serviceLoadBalancer(annotations, lbClass, controller);
      const what = `${lb.kind.toUpperCase()} of Service ${r.name}`;
      return { id: `lb:${r.name}`, what, quantity: one, unit: "load balancer", ...lb };
    });
  // Ingresses of one IngressGroup share an ALB; an Ingress outside a group has its own. The
  // controller makes it internal unless the scheme says internet-facing.
  const groups = new Map<string, boolean>();
  for (const r of kube.records.filter(
    (x) => x.type === "kubernetes:networking.k8s.io/v1:Ingress",
  )) {
    const annotations = obj(valueAt(r.inputs, "metadata", "annotations"));
    const cls =
      valueAt(r.inputs, "spec", "ingressClassName") ?? annotations["kubernetes.io/ingress.class"];
    if (cls !== "alb") continue;
    const group = str(annotations[GROUP]);
    const key = group ? `group ${group}` : `Ingress ${r.name}`;
    const internetFacing = annotations["alb.ingress.kubernetes.io/scheme"] === "internet-facing";
    groups.set(key, (groups.get(key) ?? false) || internetFacing);
  }
  const albs = [...groups].map(([g, internetFacing]) => ({
    id: `lb:alb:${g}`,
    what: `ALB of ${g}`,
    quantity: one,
    unit: "load balancer",
    kind: "alb" as const,
    internetFacing,
  }));
  return [...fromValues, ...services, ...albs];
}

/** `100Gi` → 100, `1Ti` → 1024, `500Mi` → 0.48828125 (GiB); undefined for what is not a size. */
export function gibOf(size: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti|M|G|T)?$/.exec(String(size ?? ""));
  if (!m) return undefined;
  const factor = {
    Mi: 1 / 1024,
    Gi: 1,
    Ti: 1024,
    M: 1e6 / 2 ** 30,
    G: 1e9 / 2 ** 30,
    T: 1e12 / 2 ** 30,
  };
  return Number(m[1]) * (m[2] ? factor[m[2] as keyof typeof factor] : 1 / 2 ** 30);
}

/** The EBS volume type of a storage class: its `parameters.type`, the default class for none. */
function volumeType(records: readonly CostRecord[], className: string | undefined) {
  const classes = records.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
  const sc = className
    ? classes.find((r) => valueAt(r.inputs, "metadata", "name") === className)
    : classes.find(
        (r) =>
          valueAt(
            r.inputs,
            "metadata",
            "annotations",
            "storageclass.kubernetes.io/is-default-class",
          ) === "true",
      );
  return str(valueAt(sc?.inputs, "parameters", "type"));
}

/** The volumes of claims: PersistentVolumeClaim records and `volumeClaimTemplate`s in values. */
export function volumesOf(kube: Kube): (KubeItem & { priceKey: string })[] {
  const claim = (id: string, what: string, spec: unknown, replicas: number) => {
    const gib = gibOf(valueAt(spec, "resources", "requests", "storage")) ?? 0;
    const className = str(valueAt(spec, "storageClassName"));
    const type = volumeType(kube.records, className);
    return {
      id,
      what: `${what}: ${replicas} × ${gib} GiB ${type ?? `(class ${className ?? "default"})`}`,
      quantity: { min: gib * replicas, desired: gib * replicas, max: gib * replicas },
      unit: "GiB",
      priceKey: `ebs:${type ?? `unknown storage class ${className ?? "(default)"}`}`,
    };
  };
  const fromValues = kube.releases.flatMap((r) =>
    objectsIn(r.inputs.values, "")
      .filter(({ o }) => isObj(o.volumeClaimTemplate))
      // The claim template sits in a spec (prometheusSpec.storageSpec) whose `replicas` it follows.
      .map(({ o, at, parent }) =>
        claim(
          `volume:${r.name}:${at}`,
          `release ${str(r.inputs.name) ?? r.name} \`${at}\``,
          valueAt(o.volumeClaimTemplate, "spec"),
          num(parent?.replicas) ?? 1,
        ),
      ),
  );
  const claims = kube.records
    .filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")
    .map((r) => claim(`volume:${r.name}`, `claim ${r.name}`, valueAt(r.inputs, "spec"), 1));
  return [...fromValues, ...claims];
}
