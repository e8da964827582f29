import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stableJson } from "../../access/irsa-policy";
import { INTERRUPTION_EVENTS, interruptionQueuePolicy } from "./policy";

export interface InterruptionQueueArgs {
  /** EKS cluster name; the queue is named after it, as upstream's template does. */
  clusterName: string;
  /** @default none */
  tags?: Record<string, string>;
}

/** Upstream's KarpenterInterruptionQueue and rules (5 minutes' retention: old notices are moot). */
export class InterruptionQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly rules: aws.cloudwatch.EventRule[] = [];

  constructor(name: string, args: InterruptionQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-blueprint:index:KarpenterInterruptionQueue", name, {}, opts);
    const child = { parent: this };
    this.queue = new aws.sqs.Queue(
      name,
      {
        name: args.clusterName,
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
        tags: args.tags,
      },
      child,
    );
    const policy = new aws.sqs.QueuePolicy(
      `${name}-policy`,
      {
        queueUrl: this.queue.url,
        policy: this.queue.arn.apply((arn) => stableJson(interruptionQueuePolicy(arn))),
      },
      child,
    );
    for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${event}`,
        {
          name: `${args.clusterName}-karpenter-${event}`.slice(0, 64),
          description: `Karpenter interruption handling for ${args.clusterName}: ${pattern["detail-type"][0]}`,
          eventPattern: stableJson(pattern),
          tags: args.tags,
        },
        child,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${event}`,
        { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: this.queue.arn },
        // The queue must accept EventBridge's messages before the first one arrives.
        { parent: this, dependsOn: [policy] },
      );
      this.rules.push(rule);
    }
    this.registerOutputs({ queueName: this.queue.name, queueArn: this.queue.arn });
  }
}
