import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Addon } from "../components/addons/addon";
import type { AddonContext } from "../components/addons/context";
import { AddonKey, SettingsOf, specOf } from "../components/addons/registry";
import { resolveSettings } from "../components/addons/settings";
import type { CommonSettings, Resolved, ValuesInput } from "../components/addons/spec";
import { synthesize } from "../synth/synthesize";
import type { SynthRecord, SynthResult } from "../synth/record";

export const ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/TEST";

/**
 * What a values builder gets, outside a program: the context has only its plain fields, and the
 * IRSA role is resolved.
 */
export function valuesInput<S>(
  settings: S,
  context: Partial<AddonContext> = {},
  resolved: Partial<Resolved> = {},
  serviceMonitor = false,
): ValuesInput<S> {
  return {
    context: {
      clusterName: "eks-blueprint-prod2",
      region: "us-west-2",
      kubernetesVersion: "1.35",
      partition: "aws",
      ...context,
    } as AddonContext,
    settings,
    resolved: {
      accountId: "111122223333",
      vpcId: "vpc-1",
      roleArn: "arn:aws:iam::111122223333:role/test",
      ...resolved,
    },
    serviceMonitor,
  };
}

/** A fake AddonContext, built inside a synth program (the provider is a resource). */
export function fakeContext(overrides: Partial<AddonContext> = {}): AddonContext {
  return {
    clusterName: "day2-test",
    cluster: pulumi.output("day2-test"),
    kubernetesVersion: "1.35",
    region: "us-west-2",
    accountId: "111122223333",
    partition: "aws",
    vpcId: "vpc-0123456789abcdef0",
    oidcProviderArn: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`,
    oidcIssuer: ISSUER,
    provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
    computeReady: [],
    tags: { team: "platform" },
    ...overrides,
  };
}

/**
 * Synthesizes `program`. What it returns is dropped: a program's return value would be its stack
 * outputs, and Pulumi warns of each undefined field of a component returned whole.
 */
export const synthProgram = (program: () => unknown): Promise<SynthResult> =>
  synthesize({ project: "eks-blueprint", stack: "day2", config: {} }, async () => {
    await program();
  });

export const byType = (result: SynthResult, type: string): SynthRecord[] =>
  result.resources.filter((r) => r.type === type);

export function one(result: SynthResult, type: string, name?: string): SynthRecord {
  const found = byType(result, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  }
  return found[0];
}

/** One add-on from its registry entry, as the bundle builds it (defaults filled in). */
export function addonOf<K extends AddonKey>(
  name: string,
  key: K,
  settings: SettingsOf<K>,
  context: AddonContext = fakeContext(),
  installed: AddonKey[] = [],
): Addon<CommonSettings> {
  const spec = specOf(key);
  return new Addon(name, {
    spec,
    settings: resolveSettings(spec, settings as CommonSettings),
    context,
    installed: new Set(installed),
  });
}
