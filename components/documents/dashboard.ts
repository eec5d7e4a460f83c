import { METRIC_REGION } from "./alerts";

/** One replication direction as the dashboard shows it. */
export interface DashboardDirection {
    readonly sourceRegion: string;
    /** Where S3 publishes the direction's latency and pending metrics. */
    readonly destinationRegion: string;
    readonly sourceBucket: string;
    readonly destinationBucket: string;
    readonly ruleId: string;
    /** The source side's account, where S3 publishes the direction's metrics. @default the dashboard's account */
    readonly sourceAccountId?: string;
}

/** An alarm widget lists 1 to 100 alarms (CloudWatch's dashboard body structure). */
export const ALARMS_PER_WIDGET = 100;

const METRICS: [string, string, string][] = [
    ["ReplicationLatency", "Maximum", "latency (s)"],
    ["BytesPendingReplication", "Maximum", "pending bytes"],
    ["OperationsPendingReplication", "Maximum", "pending operations"],
    ["OperationsFailedReplication", "Sum", "failed operations"],
];

/**
 * The CloudWatch dashboard body of a pair or mesh: per direction a row of the four replication metrics, each
 * in the region where S3 publishes it (failed operations in the source's, latency and pending bytes and
 * operations in the destination's: {@link METRIC_REGION}), and alarm-status widgets over every alarm (at most
 * 100 alarms a widget, as CloudWatch allows). Pure: tested as data.
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
                    region: METRIC_REGION[metric] === "destination" ? d.destinationRegion : d.sourceRegion,
                    ...(d.sourceAccountId !== undefined && d.sourceAccountId !== dashboardAccountId ? { accountId: d.sourceAccountId } : {}),
                    view: "timeSeries",
                    stat,
                    period: 60,
                    metrics: [["AWS/S3", metric, "SourceBucket", d.sourceBucket, "DestinationBucket", d.destinationBucket, "RuleId", d.ruleId]],
                },
            });
        });
    });
    let y = directions.length * height;
    for (let first = 0; first < alarmArns.length; first += ALARMS_PER_WIDGET) {
        const alarms = alarmArns.slice(first, first + ALARMS_PER_WIDGET);
        const part = alarmArns.length > ALARMS_PER_WIDGET ? ` (${first / ALARMS_PER_WIDGET + 1} of ${Math.ceil(alarmArns.length / ALARMS_PER_WIDGET)})` : "";
        const widgetHeight = 2 + Math.ceil(alarms.length / 4);
        widgets.push({ type: "alarm", x: 0, y, width: 24, height: widgetHeight, properties: { title: `Replication alarms${part}`, alarms } });
        y += widgetHeight;
    }
    return { widgets };
}
