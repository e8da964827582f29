// `npm run upgrade-plan`'s content, pure: the steps from a stack's Kubernetes minor to a target,
// one minor per `pulumi up` (https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html),
// read off its synth and the pins. Within one up the engine updates the control plane first and
// then what waits for it (add-ons, node groups: eks-waits-for-cluster); each step says how to see
// that it took.
import type { EksAddonVersions } from "../../components/addons/catalog";
import { recordKey, type SynthRecord } from "../../synth/record";
import {
  CLUSTER_TYPES,
  FARGATE_PROFILE,
  HELM_RELEASE,
  isRelease,
  MANAGED_NODE_GROUP,
} from "../shapes";
import { kubeVersionAllows } from "./kube-version";
import { removedApiUses } from "./removed-apis";
import { minorNumber } from "../../components/cluster/kubernetes-versions";

/** What a plan is made from; the tool reads it from the stack and the repository. */
export interface UpgradeInput {
  stack: string;
  /** The minor to reach, such as "1.36". */
  target: string;
  /** The minors the catalog pins, oldest first. */
  supported: readonly string[];
  /** The stack's synth at its current config. */
  records: readonly SynthRecord[];
  /** EKS add-on pins per minor, and their names (components/addons/catalog.ts). */
  addonVersions: Readonly<Record<string, EksAddonVersions>>;
  addonNames: Readonly<Record<keyof EksAddonVersions, string>>;
  /** cluster-autoscaler image tag per minor. */
  autoscalerImages: Readonly<Record<string, string>>;
  /** Each pinned chart's `kubeVersion` (its vendored Chart.yaml), by chart as a Release names it. */
  chartKubeVersions: Readonly<Record<string, string | undefined>>;
}

export interface UpgradeStep {
  /** The minor this step moves to. */
  minor: string;
  title: string;
  /** What the step finds (one line each); a blocker must be fixed before the step's up. */
  notes: string[];
  /** Whether something in `notes` stops the upgrade until fixed. @default false */
  blocker?: boolean;
  /** The command that makes the change. @default none: the previous step's up does it */
  run?: string;
  /** Commands whose output proves the step took. */
  checks: string[];
}

export interface UpgradePlan {
  /** Why no plan can be made (a target not pinned, not ahead): the CLI's error. */
  problems: string[];
  steps: UpgradeStep[];
}

const addonMinor = (v: string) => /^v\d+\.(\d+)\./.exec(v)?.[1];

/** Each minor after `from` up to `to`, as "1.x" strings. */
const hops = (from: string, to: string) =>
  Array.from(
    { length: minorNumber(to) - minorNumber(from) },
    (_, i) => `1.${minorNumber(from) + i + 1}`,
  );

export function upgradePlan(i: UpgradeInput): UpgradePlan {
  const cluster = i.records.find((r) => CLUSTER_TYPES.some((t) => t === r.type));
  const current = cluster?.inputs.version;
  const name = cluster?.inputs.name;
  if (typeof current !== "string" || typeof name !== "string") {
    return {
      problems: [`${i.stack}: the synth has no EKS cluster with a name and a version`],
      steps: [],
    };
  }
  const fix = `use one of ${i.supported.filter((m) => minorNumber(m) > minorNumber(current)).join(", ") || "none: it runs the newest pinned minor"}`;
  if (!i.supported.includes(i.target) || minorNumber(i.target) <= minorNumber(current)) {
    const what = i.supported.includes(i.target)
      ? `not ahead of the stack's ${current}`
      : "not a minor the catalog pins";
    return { problems: [`target: ${what} (got ${JSON.stringify(i.target)}); ${fix}`], steps: [] };
  }
  const ctx = { ...i, name, stack: i.stack };
  let from = current;
  return {
    problems: [],
    steps: hops(current, i.target).flatMap((to) => {
      const steps = hopSteps(ctx, from, to);
      from = to;
      return steps;
    }),
  };
}

type HopContext = UpgradeInput & { name: string };

function hopSteps(c: HopContext, from: string, to: string): UpgradeStep[] {
  const addons = c.records.filter((r) => r.type === "aws:eks/addon:Addon");
  const groups = c.records.filter((r) => r.type === MANAGED_NODE_GROUP);
  const profiles = c.records.filter((r) => r.type === FARGATE_PROFILE);
  const up = `npm exec -- pulumi up --stack ${c.stack}`;
  return [
    preflight(c, from, to),
    {
      minor: to,
      title: `Config: eks-blueprint:kubernetesVersion "${from}" → "${to}" in Pulumi.${c.stack}.yaml, then rehearse against the deployed state`,
      notes: [],
      run: `npm exec -- pulumi config set eks-blueprint:kubernetesVersion ${to} --stack ${c.stack}`,
      checks: [
        `mkdir -p out && npm exec -- pulumi stack export --stack ${c.stack} --file out/${c.stack}.state.json && npm run rehearse -- ${c.stack} --base-state out/${c.stack}.state.json`,
      ],
    },
    {
      minor: to,
      title: `pulumi up: the control plane ${from} → ${to} first (everything below waits for the cluster)`,
      notes: [],
      run: up,
      checks: [`aws eks describe-cluster --name ${c.name} --query cluster.version --output text`],
    },
    {
      minor: to,
      title: "Same up: the EKS add-ons, after the control plane",
      notes: addons.map((a) => addonNote(c, a, from, to)),
      checks: addons.map(
        (a) =>
          `aws eks describe-addon --cluster-name ${c.name} --addon-name ${String(a.inputs.addonName)} --query "addon.[addonVersion,status]" --output text`,
      ),
    },
    ...autoscalerStep(c, from, to),
    {
      minor: to,
      title:
        "Same up: every node group rolls to the new minor (EKS drains each node, honouring PDBs)",
      notes: groups.map((g) => `${recordKey(g)}: ${from} → ${to}`),
      checks: [
        `kubectl get nodes -L eks.amazonaws.com/nodegroup`,
        ...groups.map(
          (g) =>
            `aws eks describe-nodegroup --cluster-name ${c.name} --nodegroup-name ${nodegroupName(c, g)} --query nodegroup.version --output text`,
        ),
      ],
    },
    ...karpenterStep(c, to),
    ...fargateStep(profiles, to),
  ];
}

/** Karpenter's nodes resolve their AMI alias against the cluster's minor, so they drift after it. */
function karpenterStep(c: HopContext, to: string): UpgradeStep[] {
  const classes = c.records.filter(
    (r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
  );
  if (classes.length === 0) return [];
  const aliases = classes.flatMap((r) => {
    const terms = ((r.inputs.spec ?? {}) as { amiSelectorTerms?: { alias?: string }[] })
      .amiSelectorTerms;
    return (terms ?? []).flatMap((t) => (t.alias ? [`${recordKey(r)}: alias ${t.alias}`] : []));
  });
  return [
    {
      minor: to,
      title: `After the up: Karpenter replaces its nodes with ${to} AMIs (drift; a pinned alias version must exist for ${to})`,
      notes: aliases,
      checks: ["kubectl get nodeclaims -o wide", "kubectl get nodes -l karpenter.sh/nodepool"],
    },
  ];
}

/** What must change before the hop's up: removed APIs, charts that refuse `to`, skipped add-on minors. */
function preflight(c: HopContext, from: string, to: string): UpgradeStep {
  const apis = removedApiUses(c.records, to).map(
    (u) =>
      `${u.subject}: ${u.api.apiVersion} is not served from ${to}; move it to ${u.api.replacement} first`,
  );
  const charts = c.records
    .filter((r) => r.type === HELM_RELEASE)
    .flatMap((r) => {
      const range = c.chartKubeVersions[String(r.inputs.chart)];
      const allows = range === undefined ? true : kubeVersionAllows(range, to);
      if (allows === true) return [];
      const why = allows === false ? "excludes" : "cannot be read for";
      return [
        `${recordKey(r)}: chart ${String(r.inputs.chart)} ${String(r.inputs.version)} kubeVersion ${JSON.stringify(range)} ${why} ${to}; bump the chart first`,
      ];
    });
  const skips = (["vpcCni", "podIdentityAgent"] as const).flatMap((k) => {
    const [a, b] = [c.addonVersions[from]?.[k], c.addonVersions[to]?.[k]];
    const step = a && b ? Number(addonMinor(b)) - Number(addonMinor(a)) : 0;
    return step > 1
      ? [
          `${c.addonNames[k]}: ${a} → ${b} skips a minor; pin the one between for ${to} first (eksAddonVersions)`,
        ]
      : [];
  });
  const blockers = [...apis, ...charts, ...skips];
  return {
    minor: to,
    title: `Before ${to}: APIs it stops serving, charts that refuse it, add-ons that would skip a minor`,
    notes:
      blockers.length > 0
        ? blockers
        : [
            `none of ours: no object on an API ${to} removes, every chart's kubeVersion admits ${to}`,
          ],
    ...(blockers.length > 0 ? { blocker: true } : {}),
    // EKS upgrade insights also see clients outside this stack calling removed APIs.
    checks: [`aws eks list-insights --cluster-name ${c.name} --filter kubernetesVersions=${to}`],
  };
}

function addonNote(c: HopContext, a: SynthRecord, from: string, to: string): string {
  const key = (Object.keys(c.addonNames) as (keyof EksAddonVersions)[]).find(
    (k) => c.addonNames[k] === a.inputs.addonName,
  );
  const [was, next] = key ? [c.addonVersions[from]?.[key], c.addonVersions[to]?.[key]] : [];
  return `${String(a.inputs.addonName)}: ${was === next ? `stays ${String(next)}` : `${String(was)} → ${String(next)}`}`;
}

/** cluster-autoscaler's image follows the minor (clusterAutoscalerImageTags), in the same up. */
function autoscalerStep(c: HopContext, from: string, to: string): UpgradeStep[] {
  if (!c.records.some(isRelease("cluster-autoscaler"))) return [];
  return [
    {
      minor: to,
      title: "Same up: cluster-autoscaler's image follows the minor",
      notes: [`image ${c.autoscalerImages[from]} → ${c.autoscalerImages[to]}`],
      checks: [
        `kubectl -n kube-system get deploy -l app.kubernetes.io/name=aws-cluster-autoscaler -o jsonpath='{.items[*].spec.template.spec.containers[0].image}'`,
      ],
    },
  ];
}

/** Fargate runs each pod on its own node of the version it started on: restart them after. */
function fargateStep(profiles: SynthRecord[], to: string): UpgradeStep[] {
  if (profiles.length === 0) return [];
  const namespaces = [
    ...new Set(
      profiles.flatMap((p) =>
        ((p.inputs.selectors ?? []) as { namespace?: string }[]).flatMap((s) => s.namespace ?? []),
      ),
    ),
  ];
  return [
    {
      minor: to,
      title: "After the up: restart the Fargate pods, which keep the kubelet they started with",
      notes: namespaces.map((n) => `namespace ${n}`),
      run: namespaces.map((n) => `kubectl -n ${n} rollout restart deployment`).join(" && "),
      checks: [`kubectl get nodes -l eks.amazonaws.com/compute-type=fargate`],
    },
  ];
}

/** The group's EKS name: fixed when deployed so, else found by its prefix. */
function nodegroupName(c: HopContext, g: SynthRecord): string {
  if (typeof g.inputs.nodeGroupName === "string") return g.inputs.nodeGroupName;
  const prefix = String(g.inputs.nodeGroupNamePrefix);
  return `$(aws eks list-nodegroups --cluster-name ${c.name} --query "nodegroups[?starts_with(@, '${prefix}')] | [0]" --output text)`;
}

/** The plan as the CLI prints it. */
export function formatPlan(stack: string, target: string, plan: UpgradePlan): string {
  if (plan.problems.length > 0) return plan.problems.join("\n");
  const lines = [`Upgrade plan for ${stack} to Kubernetes ${target}, one minor per pulumi up:`];
  let minor = "";
  plan.steps.forEach((s, n) => {
    if (s.minor !== minor) lines.push("", `→ ${(minor = s.minor)}`);
    lines.push(`  ${n + 1}. ${s.blocker ? "BLOCKER " : ""}${s.title}`);
    lines.push(...s.notes.map((x) => `       - ${x}`));
    if (s.run) lines.push(`       run:   ${s.run}`);
    lines.push(...s.checks.map((x) => `       check: ${x}`));
  });
  const blockers = plan.steps.filter((s) => s.blocker).length;
  lines.push("", `${blockers} blocker${blockers === 1 ? "" : "s"}`);
  return lines.join("\n");
}
