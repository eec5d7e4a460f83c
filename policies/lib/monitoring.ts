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

/**
 * The alarms that can cover a rule, given its id and its source bucket's name, in the stack's order: those
 * on OperationsFailedReplication in AWS/S3 with that RuleId and that SourceBucket (or none), and those that
 * cover every rule or whose dimensions cannot be read (not known during a preview). Every other alarm
 * covers no rule.
 */
function alarmCandidates(alarms: readonly PolicyResource[]): (ruleId: string, sourceName: string | undefined) => PolicyResource[] {
    const anyRule: number[] = [];
    // Per RuleId: every alarm, the alarms of any source, and those of each SourceBucket.
    const byRuleId = new Map<unknown, { all: number[]; anySource: number[]; bySource: Map<unknown, number[]> }>();
    const add = <K>(map: Map<K, number[]>, key: K, i: number) => map.set(key, [...(map.get(key) ?? []), i]);
    alarms.forEach((alarm, i) => {
        const metric = readKnown(() => alarm.props.metricName);
        const dimensions = readKnown(() => alarm.props.dimensions);
        if (!metric.known || !dimensions.known) {
            anyRule.push(i);
            return;
        }
        if (metric.value !== "OperationsFailedReplication" || read(() => alarm.props.namespace) !== "AWS/S3") {
            return;
        }
        const d = (dimensions.value ?? {}) as Record<string, unknown>;
        const ruleId = readKnown(() => d.RuleId);
        if (!ruleId.known) {
            anyRule.push(i);
            return;
        }
        let entry = byRuleId.get(ruleId.value);
        if (entry === undefined) {
            entry = { all: [], anySource: [], bySource: new Map() };
            byRuleId.set(ruleId.value, entry);
        }
        entry.all.push(i);
        const source = readKnown(() => d.SourceBucket);
        if (!source.known || source.value === undefined) {
            entry.anySource.push(i);
        } else {
            add(entry.bySource, source.value, i);
        }
    });
    return (ruleId, sourceName) => {
        const entry = byRuleId.get(ruleId);
        const matching = entry === undefined ? [] : sourceName === undefined ? entry.all : [...entry.anySource, ...(entry.bySource.get(sourceName) ?? [])];
        return [...anyRule, ...matching].sort((a, b) => a - b).map((i) => alarms[i]);
    };
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
        // Whether an alarm covers a rule, read as it always was; asked only of the alarms that can answer
        // yes (or throw, on a value unknown during a preview) for that rule, in the stack's order, so that
        // 200 rules do not each read 400 alarms.
        const covers = (alarm: PolicyResource, rule: KnownRule, sourceName: string | undefined): boolean => {
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
        };
        const candidates = alarmCandidates(alarms);
        for (const rule of knownRules(args.resources).filter((r) => r.metrics)) {
            const [source] = model.bucketsReferenced(rule.config, "bucket");
            const sourceName = source ? model.bucketName(source) : undefined;
            const covered = candidates(rule.id, sourceName).some((alarm) => covers(alarm, rule, sourceName));
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

/**
 * Where S3 publishes each replication metric: failed operations in the source bucket's region; latency, pending
 * bytes and pending operations in the destination bucket's region. A CloudWatch alarm reads only its own
 * region's metrics. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html
 */
const PUBLISHED_IN: Readonly<Record<string, "source" | "destination">> = {
    OperationsFailedReplication: "source",
    ReplicationLatency: "destination",
    BytesPendingReplication: "destination",
    OperationsPendingReplication: "destination",
};

export const s3ReplicationAlarmRegion: StackValidationPolicy = {
    name: "s3-replication-alarm-region",
    description:
        "Every alarm on an S3 replication metric is in the region S3 publishes that metric in: OperationsFailedReplication in the " +
        "source bucket's, ReplicationLatency, BytesPendingReplication and OperationsPendingReplication in the destination bucket's. " +
        "Anywhere else it never receives a data point and never fires.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Create the alarm with the destination bucket's region (v7's per-resource `region`, or a provider of that region) for latency " +
        "and pending metrics, and with the source bucket's for failed operations; its SNS action must be a topic of that region.",
    tags: controlTags({}),
    validateStack: (args, reportViolation) => {
        const model = modelOf(args.resources);
        const byName = new Map<string, PolicyResource>();
        for (const b of model.buckets) {
            const name = model.bucketName(b);
            if (name !== undefined) {
                byName.set(name, b);
            }
        }
        for (const alarm of args.resources.filter((r) => ALARM_TYPES.includes(r.type))) {
            const metric = readKnown(() => alarm.props.metricName);
            const dimensions = readKnown(() => alarm.props.dimensions);
            if (!metric.known || !dimensions.known || read(() => alarm.props.namespace) !== "AWS/S3") {
                continue;
            }
            const end = PUBLISHED_IN[String(metric.value)];
            if (end === undefined) {
                continue;
            }
            const d = (dimensions.value ?? {}) as Record<string, unknown>;
            // A dimension unknown during a preview (a generated bucket name) leaves this alarm to be judged later.
            const bucketName = read(() => (end === "source" ? d.SourceBucket : d.DestinationBucket));
            const bucket = typeof bucketName === "string" ? byName.get(bucketName) : undefined;
            const expected = bucket ? model.regionOf(bucket) : undefined;
            const actual = model.regionOf(alarm);
            if (expected !== undefined && actual !== undefined && expected !== actual) {
                reportViolation(
                    `${label(alarm)} watches ${String(metric.value)} in ${actual}, but S3 publishes that metric in the ${end} bucket's region, ` +
                        `${expected} (${label(bucket!)}): there it never receives a data point and never fires.`,
                    alarm.urn,
                );
            }
        }
    },
};
