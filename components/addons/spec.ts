import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../access/irsa-policy";
import type { PodSecurityLevel } from "../teams/namespace";
import type { IrsaRole } from "../access/irsa";
import type { ChartPin, OciChartPin } from "./catalog";
import type { AddonContext } from "./context";
import type { ChartCrds } from "./crds";
import type { ValueLayers, Values } from "./values";

/** Settings every add-on takes, whatever else it has. */
export interface CommonSettings {
  /** `false` keeps the settings but installs nothing (switch back on as is). @default true */
  enabled?: boolean;
  /** Chart values merged over ours (keys we own still win). @default {} */
  values?: Values;
}

/** Account and VPC ids and whatever the add-on's `prepare` resolves, as plain strings. */
export interface Resolved {
  /** The AWS account the cluster is in. */
  accountId: string;
  /** The cluster's VPC. */
  vpcId: string;
  /** The add-on's IRSA role. @default none: the add-on has no role */
  roleArn?: string;
  /** What `prepare` resolved, by the name it gave. */
  [input: string]: string | undefined;
}

/** What a values builder gets: the cluster, the settings with defaults filled in, resolved ids. */
export interface ValuesInput<S> {
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** The add-on's settings, defaults filled in. */
  settings: S;
  /** `accountId`, `vpcId`, `roleArn` (when the add-on has a role) and `prepare`'s inputs. */
  resolved: Resolved;
  /** Whether kube-prometheus-stack is installed too, so a ServiceMonitor has its CRD. */
  serviceMonitor: boolean;
}

/** Settings whose fields `D`, the ones with a registry default, are known to be set. */
export type WithDefaults<S, D extends keyof S> = S & { [F in D]-?: Exclude<S[F], undefined> };

/** Options of a child of the add-on's component. */
export type ChildOptions = pulumi.CustomResourceOptions & { parent: pulumi.Resource };

/** Where an add-on's hooks create resources, and what they may read. */
export interface AddonScope<S> {
  /** The component's logical name; children are `<name>-<suffix>`. */
  name: string;
  /** The cluster the add-on goes on. */
  context: AddonContext;
  /** The add-on's settings, defaults filled in. */
  settings: S;
  /** Releases of the add-ons this one installs after (`installAfter`), that are installed. */
  after: pulumi.Resource[];
  /** Keys of every add-on the bundle installs. */
  installed: ReadonlySet<string>;
  /** Options of a child: the component as its parent. */
  child: ChildOptions;
  /** The same with the cluster's Kubernetes provider. */
  k8s: ChildOptions;
}

/** The IRSA role of an add-on that calls AWS. */
export interface AddonIrsaSpec<S> {
  /** The service account the chart or EKS add-on runs as (in the add-on's namespace). */
  serviceAccount: string;
  /** The IAM role is named `<clusterName>-<roleSuffix>`. */
  roleSuffix: string;
  /** Inline permissions, from the resolved ids. @default none */
  policy?: (context: AddonContext, resolved: Resolved, settings: S) => PolicyDocument;
  /** AWS managed policy ARNs. @default none */
  managedPolicyArns?: (partition: string) => string[];
  /** Role tags besides the cluster's (principal tags a managed policy may compare with). @default none */
  tags?: (context: AddonContext) => Record<string, string>;
}

/**
 * An object a chart renders that carries traffic or data: a Helm upgrade deletes what its manifest
 * no longer holds (helm/helm pkg/kube/client.go, Update), so values that stop rendering it, or a
 * release deleted or replaced, delete the load balancer or the volume behind it.
 */
export interface ChartCarrier {
  /** `kind` of the rendered object. */
  kind: string;
  /** Its `apiVersion`. */
  apiVersion: string;
  /** Its `namespace/name`, from the release's. */
  id: (release: { name: string; namespace: string; values: Values }) => string;
  /** What is lost with it, for the finding. */
  carries: string;
  /** Whether the chart renders it, as a carrier, with these values. */
  renderedWith: (values: Values) => boolean;
  /** The values that make it a new object when they change (a new NLB). @default none */
  identity?: (values: Values) => unknown;
  /** The chart template (and controller doc) it is read in, at the pin. */
  source: string;
}

/** A chart an add-on installs: its pin, written here once, and what the chart does with CRDs. */
export interface AddonChart {
  /** One literal `{ chart, version, repo, source }` (OCI: no repo), the shape Renovate reads. */
  pin: ChartPin | OciChartPin;
  /** CRDs and upgrade path, read at the pin. @default none: the chart installs no CRDs */
  crds?: ChartCrds;
  /** Objects it renders that carry traffic or data. @default none */
  carries?: ChartCarrier[];
}

/** The Helm release an add-on installs; its pin is `charts.<add-on key>`. */
export interface AddonChartSpec<S> extends AddonChart {
  /** Helm release name; fixed, so chart resource names never get a random suffix. */
  release: string;
  /** Our values; merged as defaults → `settings.values` → owned (values.ts `mergeValues`). */
  values: (i: ValuesInput<S>) => ValueLayers;
  /** Skip the chart's crds/ folder (when we apply the CRDs ourselves, or do not need them). @default false */
  skipCrds?: boolean;
  /** @default 600 */
  timeoutSeconds?: number;
}

/** What `prepare` makes before the role and the release. */
export interface Prepared {
  /** What the release waits for. @default [] */
  dependsOn?: pulumi.Resource[];
  /** Outputs the role's policy and the values need, resolved into `Resolved` by name. @default {} */
  inputs?: Record<string, pulumi.Input<string>>;
}

/** What the plumbing hands `finish`. */
export interface Plumbed<P> {
  /** What `prepare` returned. @default none: the add-on has no `prepare` */
  prepared?: P;
  /** The namespace we created. @default none: the namespace exists */
  namespace?: k8s.core.v1.Namespace;
  /** The IRSA role. @default none: the add-on calls no AWS API */
  role?: IrsaRole;
  /** The Helm release as a list, empty without a chart: what later resources wait for. */
  released: pulumi.Resource[];
}

/** What `finish` may add: resources later add-ons wait for (instead of the release), and outputs. */
export interface Finished {
  /** What an add-on installed after this one waits for. @default [release] */
  ready?: pulumi.Resource[];
  /** Put in `dependsOn` of every LoadBalancer Service and Ingress (the ALB controller's release). @default [] */
  loadBalancerReady?: pulumi.Resource[];
  /** Namespace and name of the ingress gateway Service (Istio). @default none */
  gatewayService?: {
    /** The Service's namespace, from its Namespace resource (what is created in it waits for it). */
    namespace: pulumi.Output<string>;
    /** The Service's name. */
    name: string;
    /** Its load balancer's DNS name, known once the controller made it. @default none */
    hostname?: pulumi.Output<string>;
  };
}

/** One add-on as data; `Addon` (addon.ts) does the shared plumbing, registry.ts lists them. */
export interface AddonSpec<
  S extends CommonSettings,
  P extends Prepared = Prepared,
  D extends keyof S = never,
> {
  /** PascalCase registry key: type token `eks-blueprint:index:<C>`, settings `<C>Settings`. */
  component: string;
  /** Keeps an older logical name, `<bundle>-<suffix>`. @default the component in kebab-case */
  suffix?: string;
  /** One line for the README, the docs and the selection's doc comment. */
  summary: string;
  /** The namespace the add-on runs in. `podSecurity` set: we create it with that PSA level. */
  namespace: {
    /** The namespace's name. */
    name: string;
    /** The Pod Security level its pods need. @default none: we do not create it (kube-system) */
    podSecurity?: PodSecurityLevel;
    /**
     * The level enforced now, when the settings stage a tightening of a namespace that runs
     * (warn and audit report `restricted` meanwhile). @default podSecurity
     */
    enforced?: (settings: WithDefaults<S, D>) => PodSecurityLevel;
    /** Why this level, for the docs. @default none */
    why?: string;
  };
  /** Every settings key besides `enabled` and `values`, each with its default (`D`: never none). */
  defaults: {
    [K in Exclude<keyof S, keyof CommonSettings>]-?: K extends D
      ? Exclude<S[K], undefined>
      : S[K] | undefined;
  };
  /** Every problem with the settings (defaults filled in), each keyed `<at>.<field>`. @default none */
  problems?: (settings: WithDefaults<S, D>, at: string) => string[];
  /** Problems with the context for this add-on (a minor without a pinned image), keyed `<at>.<field>`. @default none */
  contextProblems?: (context: AddonContext, at: string) => string[];
  /** Add-ons this one installs after when both are installed, each with the reason. @default none */
  installAfter?: Record<string, string>;
  /** Add-ons that must be installed with this one, each with the reason (a problem if not). @default none */
  requires?: Record<string, string>;
  /** Add-ons this one turns on, each with the reason. @default none */
  implies?: Record<string, string>;
  /** Why this add-on is installed when its key is absent. @default none: off unless selected */
  onByDefault?: string;
  /** Add-ons never beside it (reasons); it keeps an `onByDefault` one off. @default none */
  conflicts?: Record<string, string>;
  /** Its IRSA role. @default none: it calls no AWS API */
  role?: AddonIrsaSpec<WithDefaults<S, D>>;
  /** Its Helm chart, under its registry key in `charts`. @default none: `finish` installs it (an EKS add-on) */
  chart?: AddonChartSpec<WithDefaults<S, D>>;
  /** Charts its hooks install, under `charts` keys starting with the add-on's. @default none */
  hookCharts?: Record<string, AddonChart>;
  /** Resources the role or the release need first (log groups, CRDs, a Secret, a queue). @default none */
  prepare?: (scope: AddonScope<WithDefaults<S, D>>, namespace?: k8s.core.v1.Namespace) => P;
  /** Resources after the release, or instead of one (an EKS add-on, StorageClasses, NodePools). @default none */
  finish?: (scope: AddonScope<WithDefaults<S, D>>, plumbed: Plumbed<P>) => Finished;
}

/** `value`, which the add-on's registry entry guarantees (its role, its namespace), or a clear error. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: missing, though the registry entry makes it`);
  return value;
}
