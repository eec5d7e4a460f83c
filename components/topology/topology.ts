import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { ResolvedTopology } from "../model/validation";
import { alertingOn } from "../documents/alerts";
import { backupEnabled } from "../documents/backup";
import { AlarmRoute, BackupJobAlerts, createBackupJobAlerts, createBucketNotification, createRuleAlarms, createSideAlerts, SideAlerts } from "../side/alerts";
import { createBackups, SideBackup } from "../side/backup";
import { checkedRegions, SideContext, sideContext } from "../side/context";
import { createVersionLifecycle } from "../side/lifecycle";
import { createSide, SideResources } from "../side/side";
import { BuiltAccessPoint, createAccessPoint } from "./accessPoint";
import { createDashboard } from "./dashboard";
import { replicationRoutes, ruleId } from "./replication";
import { createReplication, createReplicationRole, OutboundReplication } from "./wiring";

/** What one side of a pair or a mesh exposes. */
export interface CrrSideOutputs {
    /** The side's region (as given, or read from its provider). */
    readonly region: pulumi.Output<string>;
    /** The account the side's provider reaches (its resources are created there). */
    readonly accountId: pulumi.Output<string>;
    /** Name of the replicated bucket, `<prefix>-crrlab-<region>`, or the side's `existingBucket`. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the replicated bucket, `arn:aws:s3:::<name>`. */
    readonly bucketArn: pulumi.Output<string>;
    /** Name of the logging bucket, `logging-<prefix>-<region>`. */
    readonly loggingBucketName: pulumi.Output<string>;
    /** `arn:aws:cloudtrail:<region>:<account>:trail/<name>`. */
    readonly trailArn: pulumi.Output<string>;
    /** The CloudTrail log group, `CloudTrail/logs/<prefix>`. */
    readonly logGroupName: pulumi.Output<string>;
    /** Role S3 assumes to replicate out of this side's bucket. */
    readonly replicationRoleArn: pulumi.Output<string>;
    /** Id of the saved Logs Insights query over the log group. */
    readonly queryDefinitionId: pulumi.Output<string>;
    /** The side's customer managed key (only with `encryption: "aws:kms"`). */
    readonly kmsKeyArn?: pulumi.Output<string>;
    /** The side's alerts topic (alarms and replication failure events), to attach your own subscriptions (with alerting on). */
    readonly alertsTopicArn?: pulumi.Output<string>;
    /** The side's AWS Backup vault, `arn:aws:backup:<region>:<account>:backup-vault:<name>` (option `backup`). */
    readonly backupVaultArn?: pulumi.Output<string>;
    /** The backup plan of the side's bucket (option `backup`). */
    readonly backupPlanArn?: pulumi.Output<string>;
    /** The role AWS Backup uses for the side's bucket (option `backup`). */
    readonly backupRoleArn?: pulumi.Output<string>;
    /** The role S3 Batch Operations assumes for the side's Batch Replication jobs (option `batchReplication`). */
    readonly batchReplicationRoleArn?: pulumi.Output<string>;
}

/** Every resource of a pair or a mesh, by side and by route. */
export interface BuiltTopology {
    readonly sides: readonly SideResources[];
    readonly outbound: readonly OutboundReplication[];
    readonly outputs: readonly CrrSideOutputs[];
    /** Per side, with alerting on. */
    readonly alerts: readonly (SideAlerts | undefined)[];
    /** The dashboard's name, with alerting on. */
    readonly dashboardName?: pulumi.Output<string>;
    /** Per side, its replicated bucket's lifecycle configuration (option `versionLifecycle`; undefined when off). */
    readonly lifecycles: readonly (aws.s3.BucketLifecycleConfiguration | undefined)[];
    /** The Multi-Region Access Point over every side (option `accessPoint`; undefined when off). */
    readonly accessPoint?: BuiltAccessPoint;
    /** Per side, its backups (option `backup`; undefined when off). */
    readonly backups?: readonly SideBackup[];
    /** Per side, the rule sending its failed AWS Backup jobs to its alerts topic (backups and alerting on). */
    readonly backupJobAlerts: readonly (BackupJobAlerts | undefined)[];
}

/**
 * Registers a pair or a mesh under `component`: each side's region (checked), then every side's replication
 * role (in its own account), then each side's key, buckets and audit trail (its bucket and key policies
 * granting the roles of other accounts that replicate into it), then per side its role's policy and its one
 * replication configuration with a rule per other side, and after it its replicated bucket's lifecycle.
 */
export function buildTopology(component: pulumi.ComponentResource, name: string, topology: ResolvedTopology, kind: "CrrPair" | "CrrMesh"): BuiltTopology {
    const regions = checkedRegions(component, topology, kind);
    const contexts: SideContext[] = topology.sides.map((side, i) => sideContext(component, name, topology, side, regions[i]));
    const roles = replicationRoutes(contexts).map((route) => createReplicationRole(route.source, route.destinations));
    // The access point (option accessPoint) belongs to the first side's account: the other accounts' buckets let it in.
    const accessPointOwner = topology.accessPoint === false ? undefined : contexts[0].identity.accountId;
    const sides = contexts.map((ctx) =>
        createSide(
            ctx,
            contexts.flatMap((other, i) => (other === ctx ? [] : [{ role: roles[i], accountId: other.identity.accountId }])),
            accessPointOwner,
        ),
    );
    const outbound = replicationRoutes(sides).map((route, i) => createReplication(route, roles[i]));
    // After each bucket's replication configuration (see side/lifecycle.ts): outbound[i] is side i's.
    const lifecycles = sides.map((s, i) => createVersionLifecycle(s, outbound[i]));
    const backups = createBackups(sides, topology);
    const accessPoint = createAccessPoint(component, name, sides, topology);

    // Knowing when replication falls behind: alarms per rule, a topic per side, the bucket's events, a dashboard.
    const alerting = alertingOn(topology);
    const backupJobEvents = backups !== undefined;
    // Each topic admits the alarms of every side's account: a rule's latency and backlog alarms are the source
    // account's, in the destination's region (where S3 publishes those metrics), and notify the destination's topic.
    const accounts = sides.map((s) => s.context.identity.accountId);
    const alerts = sides.map((s) => (alerting ? createSideAlerts(s.context, s.replicated.bucket.arn, { backupJobEvents, alarmAccounts: accounts }) : undefined));
    // A failed backup, copy or restore job is told on the side's topic, as a replication failure is.
    const backupJobAlerts = alerts.map((a, i) => (a && backupJobEvents ? createBackupJobAlerts(sides[i].context, a) : undefined));
    const alarmRoutes: AlarmRoute[] = [];
    const alarms = outbound.flatMap((o, i) =>
        o.route.destinations.flatMap((d) => {
            const route: AlarmRoute = {
                source: o.route.source.context,
                destination: d.context,
                destinationKey: d.side.key,
                sourceBucket: o.route.source.replicated.bucket.bucket,
                destinationBucket: d.replicated.bucket.bucket,
                ruleId: pulumi.all([o.route.source.context.region, d.context.region]).apply(([from, to]) => ruleId(from, to)),
                destinationRegion: d.context.region,
            };
            alarmRoutes.push(route);
            const into = alerts[sides.indexOf(d)];
            return alerts[i] && into ? createRuleAlarms(route, { source: alerts[i]!.topic, destination: into.topic }, [o.config]) : [];
        }),
    );
    // AWS Backup for S3 needs the bucket's events in EventBridge: with backups on, the flag stays on (the
    // notification this component owns would otherwise switch off what Backup relies on).
    const eventbridge = topology.eventBridgeNotifications || backupEnabled(topology);
    sides.forEach((s, i) =>
        createBucketNotification(s.context, s.replicated.bucket.id, alerts[i], s.side.notifications, eventbridge, [
            outbound[i].config,
            ...(lifecycles[i] ? [lifecycles[i]!] : []),
        ]),
    );
    const dashboard = alerting
        ? createDashboard(
              `${name}-dashboard`,
              sides[0].context,
              pulumi.interpolate`${topology.namingPrefix}-crr`,
              alarmRoutes.map((r) =>
                  pulumi
                      .all([r.source.region, r.destinationRegion, r.sourceBucket, r.destinationBucket, r.ruleId, r.source.identity.accountId])
                      .apply(([sourceRegion, destinationRegion, sourceBucket, destinationBucket, id, sourceAccountId]) => ({
                          sourceRegion,
                          destinationRegion,
                          sourceBucket,
                          destinationBucket,
                          ruleId: id,
                          sourceAccountId,
                      })),
              ),
              alarms.map((a) => a.arn),
          )
        : undefined;
    const outputs = sides.map(
        (s, i): CrrSideOutputs => ({
            region: s.context.region,
            accountId: s.identity.accountId,
            bucketName: s.replicated.bucket.bucket,
            bucketArn: s.replicated.bucket.arn,
            loggingBucketName: s.logging.bucket.bucket,
            trailArn: s.trail.arn,
            logGroupName: s.logGroup.name,
            replicationRoleArn: outbound[i].role.arn,
            queryDefinitionId: s.query.queryDefinitionId,
            ...(s.kmsKey ? { kmsKeyArn: s.kmsKey.arn } : {}),
            ...(alerts[i] ? { alertsTopicArn: alerts[i]!.topic.arn } : {}),
            ...(backups
                ? { backupVaultArn: backups[i].vault.arn, backupPlanArn: backups[i].plan.arn, backupRoleArn: backups[i].role.arn }
                : {}),
            ...(s.batchReplication ? { batchReplicationRoleArn: s.batchReplication.role.arn } : {}),
        }),
    );
    return {
        sides,
        outbound,
        outputs,
        alerts,
        backupJobAlerts,
        lifecycles,
        ...(dashboard ? { dashboardName: dashboard.dashboardName } : {}),
        ...(backups ? { backups } : {}),
        ...(accessPoint ? { accessPoint } : {}),
    };
}
