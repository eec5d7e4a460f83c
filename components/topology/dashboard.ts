import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { dashboardBody, DashboardDirection } from "../documents/dashboard";
import { SideContext } from "../side/context";

/**
 * Registers the dashboard of a pair or mesh with the first side's provider, named after the naming prefix
 * (dashboard names are per account). Across accounts it is a cross-account dashboard: each direction's
 * widgets name its source's account (see documents/dashboard.ts), shown once the first side's account is
 * a CloudWatch monitoring account of the others (docs/operations.md says how).
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
            dashboardBody: pulumi
                .all([pulumi.all(directions), pulumi.all(alarmArns), first.identity.accountId])
                .apply(([d, a, account]) => JSON.stringify(dashboardBody(d, a, account))),
        },
        first.opts,
    );
}
