/** One replication direction as the dashboard shows it. */
export interface DashboardDirection {
    readonly sourceRegion: string;
    readonly sourceBucket: string;
    readonly destinationBucket: string;
    readonly ruleId: string;
    /** The source side's account, where S3 publishes the direction's metrics. @default the dashboard's account */
    readonly sourceAccountId?: string;
}

const METRICS: [string, string, string][] = [
    ["ReplicationLatency", "Maximum", "latency (s)"],
    ["BytesPendingReplication", "Maximum", "pending bytes"],
    ["OperationsPendingReplication", "Maximum", "pending operations"],
    ["OperationsFailedReplication", "Sum", "failed operations"],
];

/**
 * The CloudWatch dashboard body of a pair or mesh: per direction a row of the four replication metrics (in
 * the source's region, where S3 publishes them), and one alarm-status widget over every alarm. Pure: tested
 * as data.
 *
 * Across accounts it is one cross-account dashboard, in `dashboardAccountId` (the first side's): a direction
 * whose source is in another account names that account on its widgets (`accountId`), which CloudWatch
 * reads there once the dashboard's account is a monitoring account of the others (cross-account
 * observability, or the older cross-account cross-Region sharing). Same-account widgets stay as they were.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html
 */
export function dashboardBody(directions: readonly DashboardDirection[], alarmArns: readonly string[], dashboardAccountId?: string): object {
    const width = 6;
    const height = 6;
    const widgets: object[] = [];
    directions.forEach((d, row) => {
        METRICS.forEach(([metric, stat, label], column) => {
            widgets.push({
                type: "metric",
                x: column * width,
                y: row * height,
                width,
                height,
                properties: {
                    title: `${d.ruleId}: ${label}`,
                    region: d.sourceRegion,
                    ...(d.sourceAccountId !== undefined && d.sourceAccountId !== dashboardAccountId ? { accountId: d.sourceAccountId } : {}),
                    view: "timeSeries",
                    stat,
                    period: 60,
                    metrics: [["AWS/S3", metric, "SourceBucket", d.sourceBucket, "DestinationBucket", d.destinationBucket, "RuleId", d.ruleId]],
                },
            });
        });
    });
    if (alarmArns.length > 0) {
        widgets.push({
            type: "alarm",
            x: 0,
            y: directions.length * height,
            width: 24,
            height: 2 + Math.ceil(alarmArns.length / 4),
            properties: { title: "Replication alarms", alarms: [...alarmArns] },
        });
    }
    return { widgets };
}
