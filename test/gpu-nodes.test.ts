// GPU node groups: NVIDIA AMI types, the nvidia.com/gpu taint, the device plugin on AL2023, and
// what lets cluster-autoscaler scale prod2's zero-sized GPU group for a pod that asks for a GPU.
import { rec } from "./coexist-fixtures";
import { withDevicePlugin } from "../components/blueprint/blueprint";
import { nodeGroupProblems } from "../components/compute/node-group-problems";
import {
  amiTypeFor,
  nodeLabels,
  type NodeGroupSpec,
} from "../components/compute/node-group-settings";
import { nodeTaints } from "../components/compute/node-groups";
import { podFits, templateNode, type PendingPod } from "../policy/autoscaler-template";
import { gpuRules } from "../policy/rehearse/rules/gpu";
import type { SynthRecord } from "../synth/record";
import { byType, committedConfig, committedSynth, one } from "./stack-harness";

const gpu: NodeGroupSpec = {
  accelerator: "nvidia",
  instanceTypes: ["g6.xlarge", "g5.xlarge"],
  minSize: 0,
  maxSize: 2,
};

describe("GPU node groups (pure)", () => {
  test.each([
    ["AL2023", "x86_64", "AL2023_x86_64_NVIDIA"],
    ["AL2023", "arm64", "AL2023_ARM_64_NVIDIA"],
    ["Bottlerocket", "x86_64", "BOTTLEROCKET_x86_64_NVIDIA"],
    ["Bottlerocket", "arm64", "BOTTLEROCKET_ARM_64_NVIDIA"],
  ] as const)("%s %s with accelerator: nvidia runs %s", (family, arch, amiType) => {
    expect(amiTypeFor(family, arch, "nvidia")).toBe(amiType);
  });

  test("a GPU group is tainted nvidia.com/gpu, once, beside its own and the draining taint", () => {
    expect(nodeTaints(gpu)).toEqual([{ key: "nvidia.com/gpu", effect: "NO_SCHEDULE" }]);
    const own = { key: "nvidia.com/gpu", value: "a100", effect: "NO_EXECUTE" } as const;
    expect(nodeTaints({ ...gpu, taints: [own], draining: true })).toEqual([
      own,
      { key: "eks-blueprint/draining", value: "true", effect: "NO_SCHEDULE" },
    ]);
    expect(nodeTaints({ ...gpu, accelerator: undefined, instanceTypes: ["m7i.large"] })).toEqual(
      [],
    );
  });

  test("GPU nodes carry the autoscaler's GPU label; only AL2023 ones the device plugin's", () => {
    const labels = { team: "ml" };
    expect(nodeLabels({ ...gpu, labels })).toEqual({
      team: "ml",
      "k8s.amazonaws.com/accelerator": "nvidia",
      "nvidia.com/gpu.present": "true",
    });
    expect(nodeLabels({ ...gpu, amiFamily: "Bottlerocket", labels })).toEqual({
      team: "ml",
      "k8s.amazonaws.com/accelerator": "nvidia",
    });
    expect(nodeLabels({ labels })).toEqual(labels);
  });

  test.each<[string, Partial<NodeGroupSpec>, string[]]>([
    [
      "non-GPU types with accelerator: nvidia",
      { instanceTypes: ["g6.xlarge", "m7i.large", "g4ad.xlarge"] },
      [
        'g.instanceTypes: not all NVIDIA GPU types for accelerator: nvidia (got ["m7i.large","g4ad.xlarge"]); use NVIDIA GPU types (families g4dn, g5, g6, g6e, g6f, gr6, gr6f, g7e, p3, p3dn, p4d, p4de, p5, p5e, p5en, p6-b200, p6-b300, g5g, p6e-gb200, p6e-gb300), such as g5.xlarge or g6.xlarge',
      ],
    ],
    [
      "GPU types without it",
      { accelerator: undefined },
      [
        'g.instanceTypes: NVIDIA GPU types on an AMI without the NVIDIA driver (got ["g6.xlarge","g5.xlarge"]); set accelerator: nvidia (the standard AMI has no NVIDIA driver), or use non-GPU types',
      ],
    ],
    [
      "an unknown accelerator",
      { accelerator: "neuron" as "nvidia", instanceTypes: ["m7i.large"] },
      ['g.accelerator: unknown accelerator (got "neuron"); use nvidia (NVIDIA GPUs)'],
    ],
    ["Graviton GPUs on arm64", { architecture: "arm64", instanceTypes: ["g5g.xlarge"] }, []],
  ])("%s", (_, change, problems) => {
    expect(nodeGroupProblems({ ...gpu, ...change }, "g")).toEqual(problems);
  });

  test("the device plugin is switched on for AL2023 GPU groups only, and an explicit entry is kept", () => {
    const general = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2 };
    expect(withDevicePlugin({ reloader: {} }, { general, gpu })).toEqual({
      reloader: {},
      nvidiaDevicePlugin: {},
    });
    const bottlerocket = { ...gpu, amiFamily: "Bottlerocket" as const };
    expect(withDevicePlugin(undefined, { general, bottlerocket })).toBeUndefined();
    const off = { nvidiaDevicePlugin: { enabled: false } };
    expect(withDevicePlugin(off, { gpu })).toBe(off);
  });
});

describe("gpu-device-plugin-installed", () => {
  const rule = gpuRules.find((r) => r.id === "gpu-device-plugin-installed")!;
  const group = (amiType: string) => rec("eks:index:ManagedNodeGroup", "gpu", { amiType });
  const plugin = rec("kubernetes:helm.sh/v3:Release", "p", { chart: "nvidia-device-plugin" });
  const check = (head: SynthRecord[]) =>
    rule.check({ stack: "s", project: { name: "eks-blueprint" }, stackConfig: {}, head });

  test("an AL2023 NVIDIA group without the plugin is a warning, never a blocker", () => {
    expect(check([group("AL2023_x86_64_NVIDIA")])).toEqual([
      {
        rule: "gpu-device-plugin-installed",
        subject: "eks:index:ManagedNodeGroup::gpu",
        severity: "warning",
        message:
          "runs AL2023_x86_64_NVIDIA, which has no device plugin, and no nvidia-device-plugin release is installed: pods requesting nvidia.com/gpu stay Pending unless one runs another way (the GPU Operator); remove addons.nvidiaDevicePlugin.enabled: false",
      },
    ]);
  });
  test("with the plugin, or on Bottlerocket's NVIDIA AMI, nothing is found", () => {
    expect(check([group("AL2023_ARM_64_NVIDIA"), plugin])).toEqual([]);
    expect(check([group("BOTTLEROCKET_x86_64_NVIDIA")])).toEqual([]);
  });
});

describe("prod2's GPU example", () => {
  const prod2 = committedSynth("prod2");
  const group = one(prod2, "eks:index:ManagedNodeGroup", "prod2-nodes-gpu");
  const configured = (
    committedConfig("prod2")["eks-blueprint:nodeGroups"] as Record<string, NodeGroupSpec>
  ).gpu;

  test("synthesizes with the NVIDIA AMI, the taint, the plugin's label, scaled to zero", () => {
    expect(group.inputs).toMatchObject({
      amiType: "AL2023_x86_64_NVIDIA",
      instanceTypes: configured.instanceTypes,
      taints: [{ key: "nvidia.com/gpu", effect: "NO_SCHEDULE" }],
      labels: {
        ...configured.labels,
        "k8s.amazonaws.com/accelerator": "nvidia",
        "nvidia.com/gpu.present": "true",
      },
      scalingConfig: { minSize: 0, desiredSize: 0, maxSize: configured.maxSize },
    });
  });

  test("AL2023 brings no device plugin, so the chart is installed as pinned", () => {
    const release = one(
      prod2,
      "kubernetes:helm.sh/v3:Release",
      "prod2-platform-addons-nvidia-device-plugin",
    );
    expect(release.inputs).toMatchObject({
      chart: "nvidia-device-plugin",
      version: "0.20.0",
      namespace: "kube-system",
      repositoryOpts: { repo: "https://nvidia.github.io/k8s-device-plugin" },
    });
  });

  // cluster-autoscaler's EC2 table (cloudprovider/aws/ec2_instance_types.go): one GPU each.
  const GPUS = { "g6.xlarge": 1, "g5.xlarge": 1 };
  const training: PendingPod = {
    requests: { "nvidia.com/gpu": 1 },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
    nodeSelector: { "node-class": "gpu" },
  };

  test("the autoscaler may read the zero-sized group's taint and labels: its role can DescribeNodegroup here", () => {
    const policy = byType(prod2, "aws:iam/rolePolicy:RolePolicy").find(
      (p) => p.inputs.name === "eks-blueprint-prod2-cluster-autoscaler-permissions",
    )!;
    expect(JSON.parse(String(policy.inputs.policy)).Statement).toContainEqual({
      Sid: "DescribeOwnNodegroups",
      Effect: "Allow",
      Action: ["eks:DescribeNodegroup"],
      Resource: "arn:aws:eks:us-west-2:111122223333:nodegroup/eks-blueprint-prod2/*/*",
    });
  });

  test("a pod that requests nvidia.com/gpu and tolerates the taint fits the template, so the group scales up", () => {
    const node = templateNode(group, GPUS, true);
    expect(node).toEqual({
      capacity: { "nvidia.com/gpu": 1 },
      labels: {
        "node-class": "gpu",
        "k8s.amazonaws.com/accelerator": "nvidia",
        "nvidia.com/gpu.present": "true",
      },
      taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
    });
    expect(podFits(training, node)).toBe(true);
  });

  test("without the toleration, or asking for more GPUs than a node has, it does not", () => {
    const node = templateNode(group, GPUS, true);
    expect(podFits({ ...training, tolerations: [] }, node)).toBe(false);
    expect(podFits({ ...training, requests: { "nvidia.com/gpu": 2 } }, node)).toBe(false);
    // A CPU pod that tolerates nothing never brings up a GPU node.
    expect(podFits({ requests: {} }, node)).toBe(false);
  });

  test("without eks:DescribeNodegroup the template lacks the group's labels, and the pod's selector never matches", () => {
    expect(podFits(training, templateNode(group, GPUS, false))).toBe(false);
  });
});
