import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventBusSpec, QueueSpec, ResourceNames, RuleSpec } from '#libs/aws';

/**
 * AWS's rule for a queue that triggers a function: its visibility timeout is at least six times
 * the function's timeout, so that a batch the event source mapping retries (throttled, or the
 * function still running) is not delivered twice meanwhile.
 */
export const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

/** Dead-lettered messages wait this long for a person to look (SQS's maximum). */
const DLQ_RETENTION = Duration.days(14);
/** The apps' default (the bootstrap's too) when the manifest names none. */
const DEFAULT_RETENTION_SECONDS = 4 * 24 * 3600;
/** Long polling by default (SQS's maximum), as the bootstrap creates the queues locally. */
const RECEIVE_WAIT = Duration.seconds(20);

export interface ManifestQueue {
  readonly spec: QueueSpec;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * Every manifest queue with its `-dlq`: SQS-managed encryption, TLS only, redrive after the
 * manifest's maxReceiveCount, long polling (20 s), visibility the larger of the manifest's and six
 * times the consuming function's timeout.
 */
export class Queues extends Construct {
  readonly byName = new Map<string, ManifestQueue>();

  constructor(
    scope: Construct,
    id: string,
    props: { specs: readonly QueueSpec[]; names: ResourceNames; consumerTimeout: Duration },
  ) {
    super(scope, id);
    const minimumVisibility = props.consumerTimeout.toSeconds() * VISIBILITY_PER_FUNCTION_TIMEOUT;
    for (const spec of props.specs) {
      const deadLetterQueue = new sqs.Queue(this, `${spec.name}-dlq`, {
        queueName: props.names.deadLetterQueue(spec.name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DLQ_RETENTION,
      });
      const queue = new sqs.Queue(this, spec.name, {
        queueName: props.names.queue(spec.name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(
          Math.max(spec.visibilityTimeoutSeconds, minimumVisibility),
        ),
        retentionPeriod: Duration.seconds(spec.retentionSeconds ?? DEFAULT_RETENTION_SECONDS),
        receiveMessageWaitTime: RECEIVE_WAIT,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      this.byName.set(spec.name, { spec, queue, deadLetterQueue });
    }
  }

  get(name: string): ManifestQueue {
    const found = this.byName.get(name);
    if (!found) throw new Error(`The manifest declares no queue ${name}`);
    return found;
  }
}

/**
 * An EventBridge input transformer whose template is the manifest's, verbatim: it may use the
 * predefined `<aws.events.event.json>`, which needs no input path of ours.
 */
class ManifestInputTemplate extends events.RuleTargetInput {
  constructor(private readonly template: string) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    return { inputTemplate: this.template, inputPathsMap: {} };
  }
}

/** The manifest's buses and their rules, each to its queue (which the target lets in). */
export class EventRouting extends Construct {
  readonly buses = new Map<string, events.EventBus>();
  readonly rules = new Map<string, { spec: RuleSpec; rule: events.Rule }>();

  constructor(
    scope: Construct,
    id: string,
    props: {
      buses: readonly EventBusSpec[];
      rules: readonly RuleSpec[];
      names: ResourceNames;
      queues: Queues;
    },
  ) {
    super(scope, id);
    for (const spec of props.buses) {
      this.buses.set(
        spec.name,
        new events.EventBus(this, spec.name, {
          eventBusName: props.names.bus(spec.name),
          description: spec.purpose,
        }),
      );
    }
    for (const spec of props.rules) {
      const bus = this.buses.get(spec.bus);
      if (!bus) throw new Error(`rule ${spec.name}: the manifest declares no bus ${spec.bus}`);
      const rule = new events.Rule(this, spec.name, {
        ruleName: props.names.rule(spec.name),
        description: spec.purpose,
        eventBus: bus,
        // Replaced below by the manifest's pattern, verbatim (the L2 wants at least one field).
        eventPattern: { source: ['placeholder'] },
        targets: [
          new targets.SqsQueue(props.queues.get(spec.queue).queue, {
            ...(spec.targetInputTemplate
              ? { message: new ManifestInputTemplate(spec.targetInputTemplate) }
              : {}),
          }),
        ],
      });
      (rule.node.defaultChild as events.CfnRule).eventPattern = spec.pattern;
      this.rules.set(spec.name, { spec, rule });
    }
  }
}
