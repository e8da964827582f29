import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AddonSelection } from "../components/addons/bundle";
import { zodProblems } from "./errors";
import { logRetentionDays } from "./validators";

/** The stack config key this schema reads. */
export const ADDONS_KEY = "eks-blueprint:addons";

const enabled = z.boolean({ error: "not a boolean; use true or false" }).default(true);

/** Per-add-on chart values, merged over ours (keys the blueprint owns still win). */
const values = z
  .record(z.string(), z.unknown(), {
    error: "not a map of chart values; give the chart's keys as a YAML map",
  })
  .default({});

const annotations = z.record(
  z.string(),
  z.string({ error: "annotation values are strings; quote numbers and booleans" }),
);

const istio = z.strictObject({
  enabled,
  gatewayScheme: z
    .enum(["internet-facing", "internal"], {
      error: "unknown NLB scheme; use internet-facing or internal",
    })
    .default("internet-facing"),
  gatewayServiceAnnotations: annotations.default({}),
  values: z
    .strictObject({ base: values, istiod: values, gateway: values })
    .default({ base: {}, istiod: {}, gateway: {} }),
});

const plain = z.strictObject({ enabled, values });

/** EBS volume sizes gp3 accepts, in GiB. */
const GP3_GIB = { min: 1, max: 16384 };

const prometheus = z.strictObject({
  enabled,
  retention: z
    .string()
    .regex(/^[1-9]\d*(ms|s|m|h|d|w|y)$/, {
      error: "not a Prometheus retention; use a duration such as 15d or 720h",
    })
    .default("15d"),
  storageSize: z
    .string()
    .regex(/^[1-9]\d*Gi$/, {
      error: "not a volume size; use whole gibibytes such as 50Gi",
      abort: true,
    })
    .refine((v) => parseInt(v, 10) <= GP3_GIB.max, {
      error: `volume too large; gp3 takes ${GP3_GIB.min}Gi to ${GP3_GIB.max}Gi`,
    })
    .default("50Gi"),
  values,
});

const domain = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "not a domain name; use a lowercase suffix such as example.com",
  });

const hostedZoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
  error: "not a Route 53 hosted zone id; use the bare id such as Z0123456789ABCDEFGHIJ",
});

const externalDns = z
  .strictObject({
    enabled,
    domainFilters: z.array(domain).default([]),
    hostedZoneIds: z.array(hostedZoneId).default([]),
    policy: z
      .enum(["sync", "upsert-only", "create-only"], {
        error: "unknown ExternalDNS policy; use upsert-only, sync or create-only",
      })
      .default("upsert-only"),
    values,
  })
  .superRefine((e, ctx) => {
    if (!e.enabled) return;
    // Both are required: without zones the role may change nothing, and without filters
    // ExternalDNS would claim every domain its zones hold.
    if (e.hostedZoneIds.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["hostedZoneIds"],
        message: "no hosted zones; list the Route 53 zone ids ExternalDNS may change",
      });
    }
    if (e.domainFilters.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["domainFilters"],
        message: "no domain filters; list the domain suffixes ExternalDNS may manage",
      });
    }
  });

/** `eks-blueprint:addons`: which Helm add-ons the stack installs, and their settings. */
export const addonsConfigSchema = z
  .strictObject({
    istio: istio.optional(),
    awsLoadBalancerController: plain.optional(),
    clusterAutoscaler: plain.optional(),
    fluentBit: z
      .strictObject({ enabled, retentionDays: logRetentionDays.default(30), values })
      .optional(),
    prometheus: prometheus.optional(),
    externalDns: externalDns.optional(),
    reloader: plain.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.istio?.enabled && !a.awsLoadBalancerController?.enabled) {
      ctx.addIssue({
        code: "custom",
        path: ["awsLoadBalancerController"],
        message:
          "off, but Istio's ingress gateway needs it for its NLB; set awsLoadBalancerController: {enabled: true} or turn Istio off",
      });
    }
  });

export type AddonsConfig = z.infer<typeof addonsConfigSchema>;

/** Validates the raw config object; every problem comes back in the project's error format. */
export function parseAddonsConfig(
  raw: unknown,
): { config: AddonsConfig; problems: [] } | { config?: undefined; problems: string[] } {
  const parsed = addonsConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return { config: parsed.data, problems: [] };
  return { problems: zodProblems(ADDONS_KEY, raw, parsed.error) };
}

export interface AddonSecrets {
  /**
   * The Pulumi config secret `eks-blueprint:grafanaAdminPassword`. @default none: the
   * Prometheus component generates one (RandomPassword) and keeps it in a Kubernetes Secret
   */
  grafanaAdminPassword?: pulumi.Input<string>;
}

const on = <T extends { enabled: boolean }>(block: T | undefined): block is T =>
  block !== undefined && block.enabled;

/** The bundle's selection from validated config: only enabled add-ons are present. */
export function toAddonSelection(c: AddonsConfig, secrets: AddonSecrets = {}): AddonSelection {
  const selection: AddonSelection = {};
  if (on(c.istio)) {
    selection.istio = {
      gatewayScheme: c.istio.gatewayScheme,
      gatewayServiceAnnotations: c.istio.gatewayServiceAnnotations,
      values: c.istio.values,
    };
  }
  if (on(c.awsLoadBalancerController)) {
    selection.awsLoadBalancerController = { values: c.awsLoadBalancerController.values };
  }
  if (on(c.clusterAutoscaler)) selection.clusterAutoscaler = { values: c.clusterAutoscaler.values };
  if (on(c.fluentBit)) {
    selection.fluentBit = { retentionDays: c.fluentBit.retentionDays, values: c.fluentBit.values };
  }
  if (on(c.prometheus)) {
    selection.prometheus = {
      retention: c.prometheus.retention,
      storageSize: c.prometheus.storageSize,
      grafanaAdminPassword: secrets.grafanaAdminPassword,
      values: c.prometheus.values,
    };
  }
  if (on(c.externalDns)) {
    const { domainFilters, hostedZoneIds, policy, values: overrides } = c.externalDns;
    selection.externalDns = { domainFilters, hostedZoneIds, policy, values: overrides };
  }
  if (on(c.reloader)) selection.reloader = { values: c.reloader.values };
  return selection;
}
