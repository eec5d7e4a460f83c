/** Knowing when replication falls behind: metrics on every rule, and an alarm on every rule's failures. */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { controlTags, label, modelOf, read, readKnown } from "./model";

const ALARM_TYPES = ["aws:cloudwatch/metricAlarm:MetricAlarm"];

interface KnownRule {
    readonly config: PolicyResource;
    readonly id: string;
    readonly metrics: boolean;
}

/** Every rule of every replication configuration whose rules are known (a preview may not know them). */
function knownRules(resources: readonly PolicyResource[]): KnownRule[] {
    const model = modelOf(resources);
    return model.of("replication").flatMap((config) => {
        const rules = readKnown(() => config.props.rules);
        if (!rules.known || !Array.isArray(rules.value)) {
            return [];
        }
        return (rules.value as any[]).map((rule) => ({
            config,
            id: String(read(() => rule.id) ?? "?"),
            metrics: read(() => rule.destination.metrics.status) === "Enabled",
        }));
    });
}

export const s3ReplicationMetricsEnabled: StackValidationPolicy = {
    name: "s3-replication-metrics-enabled",
    description:
        "Every replication rule has S3 Replication metrics enabled, so that latency, backlog and failed operations are " +
        "measured: without them a replication that falls behind or fails goes unseen.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        'Set `destination.metrics: { status: "Enabled" }` on the rule (no eventThreshold unless Replication Time Control is ' +
        "on); CrrPair: `replicationMetrics: true` (its default).",
    tags: controlTags({}),
    validateStack: (args, reportViolation) => {
        for (const rule of knownRules(args.resources).filter((r) => !r.metrics)) {
            reportViolation(
                `${label(rule.config)} rule '${rule.id}' has no replication metrics: if it falls behind or objects fail to replicate, ` +
                    'nothing measures it. Fix: set destination.metrics to { status: "Enabled" }.',
                rule.config.urn,
            );
        }
    },
};

export const s3ReplicationFailureAlarm: StackValidationPolicy = {
    name: "s3-replication-failure-alarm",
    description:
        "Every replication rule with metrics has a CloudWatch alarm on its OperationsFailedReplication metric (dimension RuleId, " +
        "and SourceBucket where it is known), so a failing replication pages someone.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        'Add an aws.cloudwatch.MetricAlarm with namespace "AWS/S3", metricName "OperationsFailedReplication", dimensions ' +
        "{ SourceBucket, DestinationBucket, RuleId } of the rule, threshold 0 and an alarm action; CrrPair: `alarms: true` (its default).",
    tags: controlTags({}),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const alarms = args.resources.filter((r) => ALARM_TYPES.includes(r.type));
        for (const rule of knownRules(args.resources).filter((r) => r.metrics)) {
            const [source] = model.bucketsReferenced(rule.config, "bucket");
            const sourceName = source ? model.bucketName(source) : undefined;
            const covered = alarms.some((alarm) => {
                const metric = readKnown(() => alarm.props.metricName);
                const dimensions = readKnown(() => alarm.props.dimensions);
                if (!metric.known || !dimensions.known) {
                    return true; // not known during a preview: judged when it is
                }
                const d = (dimensions.value ?? {}) as Record<string, unknown>;
                return (
                    metric.value === "OperationsFailedReplication" &&
                    read(() => alarm.props.namespace) === "AWS/S3" &&
                    d.RuleId === rule.id &&
                    (sourceName === undefined || d.SourceBucket === undefined || d.SourceBucket === sourceName)
                );
            });
            if (!covered) {
                reportViolation(
                    `${label(rule.config)} rule '${rule.id}' has replication metrics but no alarm on its OperationsFailedReplication: ` +
                        "objects that fail to replicate are counted and nobody is told. Fix: add a MetricAlarm on that metric with " +
                        `RuleId "${rule.id}"${sourceName ? ` and SourceBucket "${sourceName}"` : ""}, threshold 0.`,
                    rule.config.urn,
                );
            }
        }
    },
};
