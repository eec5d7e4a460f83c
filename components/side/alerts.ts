import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { ExtraNotifications } from "../model/types";
import { ALARM_PERIOD_SECONDS, METRIC_REGION, replicationEvents, ruleAlarmSpecs } from "../documents/alerts";
import { backupJobFailurePattern } from "../documents/backup";
import * as iam from "../documents/iam";
import { SideContext } from "./context";

/** A side's alerting resources. */
export interface SideAlerts {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
    readonly topic: aws.sns.Topic;
    readonly topicPolicy: aws.sns.TopicPolicy;
    readonly subscriptions: readonly aws.sns.TopicSubscription[];
}

/**
 * Registers the side's alerts topic: encrypted with a customer managed key of its own (CloudWatch alarms
 * cannot publish to a topic under the AWS managed SNS key, whose policy cannot admit them), a topic policy
 * admitting this side's alarms and replicated bucket only (and, with `backupJobEvents`, EventBridge: see
 * {@link createBackupJobAlerts}), and the email subscriptions.
 */
export function createSideAlerts(
    ctx: SideContext,
    bucketArn: pulumi.Output<string>,
    options: {
        readonly backupJobEvents?: boolean;
        /**
         * The accounts whose alarms publish here besides this side's: the sources of the rules into this side,
         * whose latency and backlog alarms live in this side's region (where S3 publishes those metrics).
         */
        readonly alarmAccounts?: readonly pulumi.Input<string>[];
    } = {},
): SideAlerts {
    const eventBridge = options.backupJobEvents ?? false;
    const { region, names, identity } = ctx;
    const key = new aws.kms.Key(
        ctx.childName("alerts-key"),
        {
            region,
            description: pulumi.interpolate`Encrypts the SNS topic ${names.alertsTopic} of replication alarms and events`,
            enableKeyRotation: true,
            // The stack's waiting period, as its other keys (the side's and the vault's) have it.
            deletionWindowInDays: ctx.topology.kmsKeyDeletionWindowInDays,
            policy: pulumi.all([identity.partition, identity.accountId]).apply(([partition, account]) => JSON.stringify(iam.alertsKeyPolicy(partition, account, { eventBridge }))),
            tags: ctx.tags,
        },
        ctx.opts,
    );
    const alias = new aws.kms.Alias(ctx.childName("alerts-key-alias"), { region, name: names.alertsKeyAlias, targetKeyId: key.keyId }, ctx.opts);
    const topic = new aws.sns.Topic(ctx.childName("alerts-topic"), { region, name: names.alertsTopic, kmsMasterKeyId: key.arn, tags: ctx.tags }, ctx.opts);
    const topicPolicy = new aws.sns.TopicPolicy(
        ctx.childName("alerts-topic-policy"),
        {
            region,
            arn: topic.arn,
            policy: pulumi
                .all([topic.arn, identity.partition, identity.accountId, region, names.alarmPrefix, bucketArn, pulumi.all([...(options.alarmAccounts ?? [])])])
                .apply(([topicArn, partition, accountId, r, alarmPrefix, bucket, others]) => {
                    const alarmAccounts = [accountId, ...others.filter((a) => a !== accountId)].filter((a, i, all) => all.indexOf(a) === i);
                    return JSON.stringify(
                        iam.alertsTopicPolicy({
                            topicArn,
                            accountId,
                            alarmAccountIds: alarmAccounts,
                            alarmArnPatterns: alarmAccounts.map((a) => `arn:${partition}:cloudwatch:${r}:${a}:alarm:${alarmPrefix}*`),
                            bucketArn: bucket,
                            eventBridge,
                        }),
                    );
                }),
        },
        ctx.opts,
    );
    const subscriptions = ctx.topology.alarmEmails.map(
        (email) =>
            new aws.sns.TopicSubscription(ctx.childName(`alerts-email-${email}`), { region, topic: topic.arn, protocol: "email", endpoint: email }, ctx.opts),
    );
    return { key, alias, topic, topicPolicy, subscriptions };
}

/** What an alarm of a rule needs to know about its route. */
export interface AlarmRoute {
    readonly source: SideContext;
    readonly destination: SideContext;
    readonly destinationKey: string;
    readonly sourceBucket: pulumi.Output<string>;
    readonly destinationBucket: pulumi.Output<string>;
    readonly ruleId: pulumi.Output<string>;
    readonly destinationRegion: pulumi.Output<string>;
}

/**
 * Registers the alarms of one rule, each in the region where S3 publishes its metric (under `AWS/S3` with
 * dimensions SourceBucket, DestinationBucket, RuleId; see {@link METRIC_REGION}): failed operations in the
 * source's region, notifying the source side's topic; latency and backlog in the destination's region,
 * notifying the destination side's topic (an alarm acts only on a topic of its own region). All under the
 * source side's provider, in the rule's account. Ordered after the replication configuration that creates
 * the rule.
 */
export function createRuleAlarms(
    route: AlarmRoute,
    topics: { readonly source: aws.sns.Topic; readonly destination: aws.sns.Topic },
    after: pulumi.Resource[],
): aws.cloudwatch.MetricAlarm[] {
    const ctx = route.source;
    const direction = pulumi.interpolate`${ctx.region} to ${route.destinationRegion}`;
    return ruleAlarmSpecs(ctx.topology, "").map((spec, i) => {
        const atDestination = METRIC_REGION[spec.metricName] === "destination";
        const topic = atDestination ? topics.destination : topics.source;
        return new aws.cloudwatch.MetricAlarm(
                ctx.childName(`alarm-${spec.kind}-${route.destinationKey}`),
                {
                    region: atDestination ? route.destination.region : ctx.region,
                    name: pulumi.interpolate`${ctx.names.alarmPrefix}${spec.kind}-${route.ruleId}`,
                    alarmDescription: direction.apply((d) => ruleAlarmSpecs(ctx.topology, d)[i].description),
                    namespace: "AWS/S3",
                    metricName: spec.metricName,
                    dimensions: { SourceBucket: route.sourceBucket, DestinationBucket: route.destinationBucket, RuleId: route.ruleId },
                    statistic: spec.statistic,
                    period: ALARM_PERIOD_SECONDS,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    threshold: spec.threshold,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: spec.treatMissingData,
                    alarmActions: [topic.arn],
                    okActions: [topic.arn],
                    tags: ctx.tags,
                },
                { ...ctx.opts, dependsOn: after },
            );
    });
}

/**
 * Registers the replicated bucket's notification configuration, which this component owns whole (a bucket
 * has one; a second BucketNotification on it would overwrite this one): the replication events to the
 * side's alerts topic, the user's own destinations, and the EventBridge flag. Ordered after the topic
 * policy (S3 checks it may publish when the configuration is written) and after the bucket's replication
 * configuration (S3 refuses concurrent changes of one bucket's configuration).
 */
export function createBucketNotification(
    ctx: SideContext,
    bucketId: pulumi.Input<string>,
    alerts: SideAlerts | undefined,
    extra: ExtraNotifications | undefined,
    eventbridge: boolean,
    after: pulumi.Resource[],
): aws.s3.BucketNotification | undefined {
    const topics: pulumi.Input<aws.types.input.s3.BucketNotificationTopic>[] = [
        ...(alerts ? [{ id: "replication-events", topicArn: alerts.topic.arn, events: replicationEvents(ctx.topology) }] : []),
        ...(extra?.topics ?? []),
    ];
    if (topics.length === 0 && !extra?.queues?.length && !extra?.lambdaFunctions?.length && !eventbridge) {
        return undefined;
    }
    return new aws.s3.BucketNotification(
        ctx.childName("bucket-notification"),
        {
            bucket: bucketId,
            region: ctx.region,
            eventbridge,
            ...(topics.length > 0 ? { topics } : {}),
            ...(extra?.queues?.length ? { queues: extra.queues } : {}),
            ...(extra?.lambdaFunctions?.length ? { lambdaFunctions: extra.lambdaFunctions } : {}),
        },
        { ...ctx.opts, dependsOn: [...(alerts ? [alerts.topicPolicy] : []), ...after] },
    );
}

/** The rule that sends a side's failed AWS Backup jobs to its alerts topic, and its target. */
export interface BackupJobAlerts {
    readonly rule: aws.cloudwatch.EventRule;
    readonly target: aws.cloudwatch.EventTarget;
}

/**
 * Registers, in the side's region, an EventBridge rule on AWS Backup's job events that mean a backup, a copy or
 * a restore did not complete ({@link backupJobFailurePattern}), publishing each to the side's alerts topic (whose
 * policy and key admit EventBridge: `createSideAlerts` with `backupJobEvents`). Without it a failed copy or
 * restore job shows only in the AWS Backup console. The target is added once the topic policy is in place.
 */
export function createBackupJobAlerts(ctx: SideContext, alerts: SideAlerts): BackupJobAlerts {
    const rule = new aws.cloudwatch.EventRule(
        ctx.childName("backup-job-failures"),
        {
            region: ctx.region,
            name: pulumi.interpolate`${ctx.names.alarmPrefix}backup-job-failures`,
            description: pulumi.interpolate`AWS Backup jobs (backup, copy, restore) in ${ctx.region} that did not complete: to ${ctx.names.alertsTopic}`,
            eventPattern: JSON.stringify(backupJobFailurePattern()),
            tags: ctx.tags,
        },
        ctx.opts,
    );
    const target = new aws.cloudwatch.EventTarget(
        ctx.childName("backup-job-failures-target"),
        { region: ctx.region, rule: rule.name, targetId: "alerts-topic", arn: alerts.topic.arn },
        { ...ctx.opts, dependsOn: [alerts.topicPolicy] },
    );
    return { rule, target };
}
