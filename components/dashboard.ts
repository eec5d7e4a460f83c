import * as pulumi from "@pulumi/pulumi";
import * as aws from "./model/aws";
import { SideContext } from "./context";

/** One replication direction as the dashboard shows it. */
export interface DashboardDirection {
    readonly sourceRegion: string;
    readonly sourceBucket: string;
    readonly destinationBucket: string;
    readonly ruleId: string;
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
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export function dashboardBody(directions: readonly DashboardDirection[], alarmArns: readonly string[]): object {
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

/**
 * Registers the dashboard of a pair or mesh with the first side's provider, named after the naming prefix
 * (dashboard names are per account). Across accounts it shows the first side's account's metrics only,
 * unless CloudWatch cross-account observability is set up.
 */
export function createDashboard(
    logicalName: string,
    first: SideContext,
    name: pulumi.Input<string>,
    directions: pulumi.Input<DashboardDirection>[],
    alarmArns: pulumi.Input<string>[],
): aws.cloudwatch.Dashboard {
    return new aws.cloudwatch.Dashboard(
        logicalName,
        {
            region: first.region,
            dashboardName: name,
            dashboardBody: pulumi.all([pulumi.all(directions), pulumi.all(alarmArns)]).apply(([d, a]) => JSON.stringify(dashboardBody(d, a))),
        },
        first.opts,
    );
}
