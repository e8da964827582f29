import { DNS_LABEL_HINT } from "../../kubernetes-names";
import {
  isRecord,
  oneOfProblems,
  problem,
  problemList,
  unknownFieldProblems,
} from "../../problems";
import { alertGroups, type AddonAlerts } from "./alert-rules";
import { customResource } from "../crds";
import { PROMETHEUS } from "../prometheus";
import type { AddonSpec, CommonSettings } from "../spec";
import type { Values } from "../values";

export const ALERTS = {
  /** Alertmanager's namespace: an AlertmanagerConfig there routes every alert (prometheus.ts). */
  namespace: PROMETHEUS.namespace,
  config: "platform-alerts",
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
 * AlertmanagerConfig (CRD at kube-prometheus-stack-88.5.3): warning and critical alerts to one
 * receiver, its credential a SecretKeySelector; Watchdog and InfoInhibitor stay out.
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
export const prometheusRuleSpec = (key: string, alerts: AddonAlerts): Values => ({
  groups: [{ name: `eks-blueprint.${key}`, rules: alerts.rules }],
});

/** A Secret name (DNS subdomain) and key (`[-._a-zA-Z0-9]+`), as Kubernetes validates them. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Every field of a receiver: the compiler keeps it whole, the check refuses any other key. */
const RECEIVER_FIELDS: Record<keyof AlertReceiver, true> = {
  type: true,
  secretName: true,
  secretKey: true,
  channel: true,
};

export function alertsProblems(s: AlertsSettings, at: string): string[] {
  const r = s.receiver;
  if (r === undefined) return [];
  if (!isRecord(r)) {
    return [problem(`${at}.receiver`, "not a map", r, "give type and secretName (and secretKey)")];
  }
  const [out, add] = problemList([
    ...unknownFieldProblems(r, Object.keys(RECEIVER_FIELDS), `${at}.receiver`),
    ...oneOfProblems(r.type, RECEIVER_TYPES, `${at}.receiver.type`, "receiver type"),
  ]);
  if (typeof r.secretName !== "string" || !SECRET_NAME.test(r.secretName)) {
    add(`${at}.receiver.secretName`, "not a Secret name", r.secretName, DNS_LABEL_HINT);
  }
  if (r.secretKey !== undefined && !SECRET_KEY.test(String(r.secretKey))) {
    add(
      `${at}.receiver.secretKey`,
      "not a Secret key",
      r.secretKey,
      "use letters, digits, '-', '_' and '.'",
    );
  }
  if (r.channel !== undefined && typeof r.channel !== "string") {
    add(`${at}.receiver.channel`, "not a channel name", r.channel, 'quote it: "#platform-alerts"');
  } else if (r.channel !== undefined && r.type !== "slack") {
    add(
      `${at}.receiver.channel`,
      "only Slack has channels",
      r.channel,
      "remove it, or use type slack",
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
    const ready = alertGroups(installed).map(([key, group]) =>
      customResource(
        `${name}-${kebab(key)}`,
        ["monitoring.coreos.com/v1", "PrometheusRule"],
        { name: `eks-blueprint-${kebab(key)}`, namespace: ALERTS.namespace },
        prometheusRuleSpec(key, group),
        { ...k8sOpts, dependsOn: after },
      ),
    );
    if (s.receiver) {
      ready.push(
        customResource(
          `${name}-receiver`,
          ["monitoring.coreos.com/v1alpha1", "AlertmanagerConfig"],
          { name: ALERTS.config, namespace: ALERTS.namespace },
          alertmanagerConfigSpec(s.receiver),
          { ...k8sOpts, dependsOn: after },
        ),
      );
    }
    return { ready };
  },
};
