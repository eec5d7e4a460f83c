import { ResolvedOptions } from "../model/options";

/** Whether a topology gets alerting: alarms asked for, and metrics on (alone, or implied by RTC). */
export function alertingOn(options: Pick<ResolvedOptions, "alarms" | "replicationMetrics" | "replicationTimeControl">): boolean {
    return options.alarms && (options.replicationMetrics || options.replicationTimeControl);
}

/**
 * S3's replication events (`s3:Replication:*`), which S3 sends only through the bucket's notification
 * configuration (not to EventBridge). Failed operations need metrics; the threshold events and "not
 * tracked" need Replication Time Control.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html
 */
export const FAILURE_EVENTS = ["s3:Replication:OperationFailedReplication"];
export const RTC_EVENTS = [
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:Replication:OperationNotTracked",
];

export function replicationEvents(options: Pick<ResolvedOptions, "replicationTimeControl">): string[] {
    return [...FAILURE_EVENTS, ...(options.replicationTimeControl ? RTC_EVENTS : [])];
}

/** One alarm of a replication rule, as plain data (the resource adds dimensions and actions). */
export interface RuleAlarmSpec {
    /** `failed`, `latency` or `backlog`: part of the alarm's name and of its child name. */
    readonly kind: "failed" | "latency" | "backlog";
    readonly metricName: string;
    readonly statistic: "Sum" | "Maximum";
    readonly threshold: number;
    /**
     * What a period without data means. `notBreaching` only where no data is the healthy reading (S3 reports
     * failed operations when there are some); `missing` elsewhere, so an idle or silent rule shows as
     * INSUFFICIENT_DATA, never as OK.
     */
    readonly treatMissingData: "notBreaching" | "missing";
    readonly description: string;
}

/**
 * Where S3 publishes each replication metric: failed operations in the source bucket's region, latency and
 * pending bytes and operations in the destination bucket's region (an alarm sees only its own region's metrics).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
 */
export const METRIC_REGION: Readonly<Record<string, "source" | "destination">> = {
    OperationsFailedReplication: "source",
    ReplicationLatency: "destination",
    BytesPendingReplication: "destination",
    OperationsPendingReplication: "destination",
};

/** The metric each alarm of a rule watches, by its kind (part of the alarm's name: `<prefix>-crr-<kind>-<rule id>`). */
export const RULE_ALARM_METRICS = { failed: "OperationsFailedReplication", latency: "ReplicationLatency", backlog: "BytesPendingReplication" } as const;

/** Period of every replication alarm: five one-minute metric points, one period to alarm. */
export const ALARM_PERIOD_SECONDS = 300;

/**
 * The alarms of one rule: any failed operation; latency above the RPO; pending bytes above the backlog
 * threshold when one is set.
 */
export function ruleAlarmSpecs(options: Pick<ResolvedOptions, "rpoSeconds" | "backlogAlarmBytes">, direction: string): RuleAlarmSpec[] {
    const specs: RuleAlarmSpec[] = [
        {
            kind: "failed",
            metricName: RULE_ALARM_METRICS.failed,
            statistic: "Sum",
            threshold: 0,
            // S3 publishes this metric when objects fail; a period without data is a period without failures.
            treatMissingData: "notBreaching",
            description: `Objects failed to replicate ${direction}: every failure is an incident (see the s3:Replication:OperationFailedReplication events).`,
        },
        {
            kind: "latency",
            metricName: RULE_ALARM_METRICS.latency,
            statistic: "Maximum",
            threshold: options.rpoSeconds,
            // No latency data means nothing was replicated, or metrics stopped: not evidence of health.
            treatMissingData: "missing",
            description: `Replication ${direction} lags more than ${options.rpoSeconds} s behind, the recovery point objective.`,
        },
    ];
    if (options.backlogAlarmBytes > 0) {
        specs.push({
            kind: "backlog",
            metricName: RULE_ALARM_METRICS.backlog,
            statistic: "Maximum",
            threshold: options.backlogAlarmBytes,
            treatMissingData: "missing",
            description: `More than ${options.backlogAlarmBytes} bytes wait to replicate ${direction}.`,
        });
    }
    return specs;
}
