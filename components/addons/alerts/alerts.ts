import * as k8s from "@pulumi/kubernetes";
import { DNS_LABEL_HINT } from "../../kubernetes-names";
import { problem } from "../../problems";
import { alertGroups, type AddonAlerts } from "./alert-rules";
import { PROMETHEUS } from "../prometheus";
import { oneOfProblems } from "../../problems";
import type { AddonSpec, CommonSettings } from "../spec";
import type { Values } from "../values";

export const ALERTS = {
  /** Alertmanager's namespace: an AlertmanagerConfig there routes every alert (prometheus.ts). */
  namespace: PROMETHEUS.namespace,
  /** The AlertmanagerConfig's name. */
  config: "platform-alerts",
  /** The receiver's name inside it. */
  receiver: "platform",
} as const;

export const RECEIVER_TYPES = ["slack", "pagerduty", "webhook"] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/** The key each receiver reads from its Secret unless `secretKey` says otherwise. */
export const DEFAULT_SECRET_KEYS: Record<ReceiverType, string> = {
  slack: "url",
  pagerduty: "routingKey",
  webhook: "url",
};

/** Where warning and critical alerts go. The credential stays in a Secret; values never hold it. */
export interface AlertReceiver {
  /** Slack incoming webhook, PagerDuty Events v2, or a generic webhook. */
  type: ReceiverType;
  /** A Secret in `monitoring` holding the webhook URL or routing key (created outside Pulumi, e.g. by External Secrets). */
  secretName: string;
  /** The key in that Secret. @default "url" (slack, webhook) or "routingKey" (pagerduty) */
  secretKey?: string;
  /** Slack channel, such as `#platform-alerts`. @default the webhook's own channel */
  channel?: string;
}

export interface AlertsSettings extends CommonSettings {
  /** The receiver. @default none: the rules are evaluated and shown, routed to no one */
  receiver?: AlertReceiver;
}

/**
 * AlertmanagerConfig (monitoring.coreos.com/v1alpha1, CRD at kube-prometheus-stack-88.5.3):
 * warning and critical alerts to one receiver, its credential a Secret key reference (`apiURL`,
 * `routingKey`, `urlSecret` are SecretKeySelectors; "the secret needs to be in the same namespace
 * as the AlertmanagerConfig object"). Watchdog and InfoInhibitor (severity none, info) stay out.
 */
export function alertmanagerConfigSpec(r: AlertReceiver): Values {
  const secret = { name: r.secretName, key: r.secretKey ?? DEFAULT_SECRET_KEYS[r.type] };
  const receiver =
    r.type === "slack"
      ? {
          slackConfigs: [
            { apiURL: secret, sendResolved: true, ...(r.channel ? { channel: r.channel } : {}) },
          ],
        }
      : r.type === "pagerduty"
        ? { pagerdutyConfigs: [{ routingKey: secret, sendResolved: true }] }
        : { webhookConfigs: [{ urlSecret: secret, sendResolved: true }] };
  return {
    route: {
      receiver: ALERTS.receiver,
      groupBy: ["alertname", "namespace"],
      groupWait: "30s",
      groupInterval: "5m",
      repeatInterval: "4h",
      matchers: [{ name: "severity", matchType: "=~", value: "warning|critical" }],
    },
    receivers: [{ name: ALERTS.receiver, ...receiver }],
  };
}

/** A PrometheusRule spec with one group: the add-on's rules. */
export function prometheusRuleSpec(key: string, alerts: AddonAlerts): Values {
  return { groups: [{ name: `eks-blueprint.${key}`, rules: alerts.rules }] };
}

/** A Secret name (DNS subdomain) and key (`[-._a-zA-Z0-9]+`), as Kubernetes validates them. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export function alertsProblems(s: AlertsSettings, at: string): string[] {
  const r = s.receiver;
  if (r === undefined) return [];
  const out = oneOfProblems(r.type, RECEIVER_TYPES, `${at}.receiver.type`, "receiver type");
  if (typeof r.secretName !== "string" || !SECRET_NAME.test(r.secretName)) {
    out.push(
      problem(`${at}.receiver.secretName`, "not a Secret name", r.secretName, DNS_LABEL_HINT),
    );
  }
  if (r.secretKey !== undefined && !SECRET_KEY.test(String(r.secretKey))) {
    out.push(
      problem(
        `${at}.receiver.secretKey`,
        "not a Secret key",
        r.secretKey,
        "use letters, digits, '-', '_' and '.'",
      ),
    );
  }
  if (r.channel !== undefined && r.type !== "slack") {
    out.push(
      problem(
        `${at}.receiver.channel`,
        "only Slack has channels",
        r.channel,
        "remove it, or use type slack",
      ),
    );
  }
  return out;
}

/** PrometheusRule logical names come from the add-on's key, so one add-on leaving replaces no other. */
const kebab = (key: string) => key.replace(/([A-Z])/g, "-$1").toLowerCase();

export const alerts: AddonSpec<AlertsSettings> = {
  component: "Alerts",
  summary:
    "Day-one alerts: PrometheusRules for the installed add-ons, routed to a receiver whose credential is a Secret.",
  namespace: { name: ALERTS.namespace },
  defaults: { receiver: undefined },
  problems: alertsProblems,
  requires: {
    prometheus: "PrometheusRule and AlertmanagerConfig are the Prometheus operator's kinds",
  },
  installAfter: { prometheus: "its CRDs and the monitoring namespace come with the chart" },
  finish: ({ name, settings: s, installed, after, k8s: k8sOpts }) => {
    const ready: k8s.apiextensions.CustomResource[] = alertGroups(installed).map(([key, group]) => {
      const child = `${name}-${kebab(key)}`;
      return new k8s.apiextensions.CustomResource(
        child,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: `eks-blueprint-${kebab(key)}`, namespace: ALERTS.namespace },
          spec: prometheusRuleSpec(key, group),
        },
        { ...k8sOpts, dependsOn: after },
      );
    });
    if (s.receiver) {
      ready.push(
        new k8s.apiextensions.CustomResource(
          `${name}-receiver`,
          {
            apiVersion: "monitoring.coreos.com/v1alpha1",
            kind: "AlertmanagerConfig",
            metadata: { name: ALERTS.config, namespace: ALERTS.namespace },
            spec: alertmanagerConfigSpec(s.receiver),
          },
          { ...k8sOpts, dependsOn: after },
        ),
      );
    }
    return { ready };
  },
};
