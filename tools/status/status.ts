/**
 * `npm run status`: is replication healthy right now, in each direction? Read-only: the rule's status
 * (GetBucketReplication on the source), the last hour of its four replication metrics (GetMetricData in the
 * source's region) and its alarms' states (DescribeAlarms), judged into healthy / degraded / failing.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { GetBucketReplicationCommand, ReplicationRule, S3Client } from "@aws-sdk/client-s3";
import { METRIC_REGION, RULE_ALARM_METRICS } from "../../components/documents/alerts";


export type Verdict = "healthy" | "degraded" | "failing";

export interface Endpoint {
    readonly bucket: string;
    readonly region: string;
}

export interface DirectionStatus {
    readonly from: Endpoint;
    readonly to: Endpoint;
    /** The rule that replicates `from` to `to`, as S3 reports it; absent when there is none. */
    readonly rule?: { readonly id: string; readonly status: string };
    /** The last hour's worst value of each metric; absent when S3 published none. */
    readonly metrics: {
        readonly latencySeconds?: number;
        readonly bytesPending?: number;
        readonly operationsPending?: number;
        readonly operationsFailed?: number;
    };
    readonly alarms: readonly { readonly name: string; readonly state: string }[];
    readonly verdict: Verdict;
    /** Why the verdict is what it is, a sentence each. */
    readonly reasons: readonly string[];
}

/** The clients of one region; the tests give scripted ones. */
export interface StatusClients {
    readonly s3: (region: string) => S3Client;
    readonly cloudwatch: (region: string) => CloudWatchClient;
}

/** The run could not be made (credentials, permissions, a missing bucket): exit 2, with what to fix. */
export class StatusError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StatusError";
    }
}

const METRICS = [
    ["latencySeconds", "ReplicationLatency", "Maximum"],
    ["bytesPending", "BytesPendingReplication", "Maximum"],
    ["operationsPending", "OperationsPendingReplication", "Maximum"],
    ["operationsFailed", "OperationsFailedReplication", "Sum"],
] as const;

/** The naming prefix of a `<prefix>-crrlab-<region>` bucket (this project's alarms are named after it). */
export function prefixOf(bucket: string, region: string): string | undefined {
    const suffix = `-crrlab-${region}`;
    return bucket.endsWith(suffix) ? bucket.slice(0, -suffix.length) : undefined;
}

function explain(e: unknown, action: string, where: string): StatusError {
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (err?.name === "CredentialsProviderError" || /credential/i.test(err?.message ?? "")) {
        return new StatusError(`no AWS credentials for ${action}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the standard credential chain).`);
    }
    if (err?.name === "AccessDenied" || err?.name === "AccessDeniedException" || err?.$metadata?.httpStatusCode === 403) {
        return new StatusError(
            `access denied for ${action} on ${where}: the caller needs s3:GetReplicationConfiguration on the buckets, and ` +
                "cloudwatch:GetMetricData and cloudwatch:DescribeAlarms in their regions (all read-only).",
        );
    }
    if (err?.name === "NoSuchBucket") {
        return new StatusError(`${where} does not exist: deploy the stack or pass the right bucket.`);
    }
    return new StatusError(`${action} on ${where} failed: ${err?.name ?? "error"}: ${err?.message ?? String(e)}`);
}

/** Judges one direction from what AWS reported (pure: tested on its own). */
export function judge(
    rule: DirectionStatus["rule"],
    metrics: DirectionStatus["metrics"],
    alarms: DirectionStatus["alarms"],
    rpoSeconds: number,
): { verdict: Verdict; reasons: string[] } {
    const failing: string[] = [];
    const degraded: string[] = [];
    const notes: string[] = [];
    if (!rule) {
        failing.push("no replication rule sends this bucket's objects to the destination");
    } else if (rule.status !== "Enabled") {
        failing.push(`rule '${rule.id}' is ${rule.status}`);
    }
    if ((metrics.operationsFailed ?? 0) > 0) {
        failing.push(`${metrics.operationsFailed} operation(s) failed to replicate in the last hour`);
    }
    for (const alarm of alarms.filter((a) => a.state === "ALARM")) {
        (/-failed-/.test(alarm.name) ? failing : degraded).push(`alarm ${alarm.name} is in ALARM`);
    }
    if (metrics.latencySeconds !== undefined && metrics.latencySeconds > rpoSeconds) {
        degraded.push(`replication lagged ${metrics.latencySeconds} s behind in the last hour, more than the RPO of ${rpoSeconds} s`);
    }
    if (Object.values(metrics).every((v) => v === undefined)) {
        notes.push("no replication metrics in the last hour: nothing was replicated, or metrics are off for this rule");
    }
    const verdict: Verdict = failing.length > 0 ? "failing" : degraded.length > 0 ? "degraded" : "healthy";
    return { verdict, reasons: [...failing, ...degraded, ...notes] };
}

/** The component's alarms of a rule (`<prefix>-crr-<kind>-<rule id>`) and the metric each watches. */
const ALARM_KINDS = Object.entries(RULE_ALARM_METRICS);

/** Reads and judges one direction. */
export async function directionStatus(clients: StatusClients, from: Endpoint, to: Endpoint, rpoSeconds: number, now: Date): Promise<DirectionStatus> {
    const where = `bucket '${from.bucket}' (${from.region})`;
    let rules: ReplicationRule[];
    try {
        rules = (await clients.s3(from.region).send(new GetBucketReplicationCommand({ Bucket: from.bucket }))).ReplicationConfiguration?.Rules ?? [];
    } catch (e) {
        if ((e as { name?: string }).name === "ReplicationConfigurationNotFoundError") {
            rules = [];
        } else {
            throw explain(e, "GetBucketReplication", where);
        }
    }
    const found = rules.find((r) => (r.Destination?.Bucket ?? "").endsWith(`:::${to.bucket}`));
    const rule = found ? { id: found.ID ?? "", status: found.Status ?? "Disabled" } : undefined;

    const metrics: Record<string, number | undefined> = {};
    const alarms: { name: string; state: string }[] = [];
    if (rule) {
        const dimensions = [
            { Name: "SourceBucket", Value: from.bucket },
            { Name: "DestinationBucket", Value: to.bucket },
            { Name: "RuleId", Value: rule.id },
        ];
        // S3 publishes failed operations in the source's region, latency and pending in the destination's
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html): one query per region, and
        // each alarm looked for where the stack puts it, beside its metric.
        const prefix = prefixOf(from.bucket, from.region);
        for (const region of [...new Set([from.region, to.region])]) {
            const here = METRICS.map((m, i) => ({ m, i })).filter(({ m }) => (METRIC_REGION[m[1]] === "source" ? from.region : to.region) === region);
            const queries: MetricDataQuery[] = here.map(({ m: [, metric, stat], i }) => ({
                Id: `m${i}`,
                MetricStat: { Metric: { Namespace: "AWS/S3", MetricName: metric, Dimensions: dimensions }, Period: 300, Stat: stat },
                ReturnData: true,
            }));
            const cloudwatch = clients.cloudwatch(region);
            try {
                if (queries.length > 0) {
                    const data = await cloudwatch.send(
                        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(now.getTime() - 3_600_000), EndTime: now }),
                    );
                    here.forEach(({ m: [key, , stat], i }) => {
                        const values = data.MetricDataResults?.find((r) => r.Id === `m${i}`)?.Values ?? [];
                        metrics[key] = values.length === 0 ? undefined : stat === "Sum" ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
                    });
                }
                const kinds = ALARM_KINDS.filter(([, metric]) => (METRIC_REGION[metric] === "source" ? from.region : to.region) === region).map(([kind]) => kind);
                if (prefix && kinds.length > 0) {
                    const described = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: kinds.map((kind) => `${prefix}-crr-${kind}-${rule.id}`) }));
                    for (const a of described.MetricAlarms ?? []) {
                        alarms.push({ name: a.AlarmName ?? "", state: a.StateValue ?? "INSUFFICIENT_DATA" });
                    }
                }
            } catch (e) {
                throw explain(e, "GetMetricData/DescribeAlarms", `region ${region}`);
            }
        }
    }
    const { verdict, reasons } = judge(rule, metrics, alarms, rpoSeconds);
    const endpoint = (e: Endpoint): Endpoint => ({ bucket: e.bucket, region: e.region });
    return { from: endpoint(from), to: endpoint(to), ...(rule ? { rule } : {}), metrics, alarms, verdict, reasons };
}

/** The worst of the directions' verdicts. */
export function overall(directions: readonly DirectionStatus[]): Verdict {
    const order: Verdict[] = ["healthy", "degraded", "failing"];
    return directions.reduce<Verdict>((worst, d) => (order.indexOf(d.verdict) > order.indexOf(worst) ? d.verdict : worst), "healthy");
}

/** The report, a block per direction. */
export function renderStatus(directions: readonly DirectionStatus[]): string {
    const show = (v: number | undefined, unit = "") => (v === undefined ? "no data" : `${v}${unit}`);
    const lines: string[] = [];
    for (const d of directions) {
        lines.push(`${d.from.region} -> ${d.to.region}: ${d.verdict.toUpperCase()}`);
        lines.push(`  rule: ${d.rule ? `${d.rule.id} (${d.rule.status})` : "none"}`);
        lines.push(
            `  last hour: latency ${show(d.metrics.latencySeconds, " s")}, pending ${show(d.metrics.bytesPending, " bytes")} / ` +
                `${show(d.metrics.operationsPending, " operations")}, failed ${show(d.metrics.operationsFailed)}`,
        );
        lines.push(`  alarms: ${d.alarms.length === 0 ? "none found" : d.alarms.map((a) => `${a.name} ${a.state}`).join(", ")}`);
        d.reasons.forEach((r) => lines.push(`  - ${r}`));
    }
    lines.push(`Verdict: ${overall(directions).toUpperCase()}`);
    return lines.join("\n");
}
