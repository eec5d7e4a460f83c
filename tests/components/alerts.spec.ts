import { expect } from "chai";
import { crrPairArgProblems, CrrPairArgs } from "../../components";
import { dashboardBody } from "../../components/documents/dashboard";
import { ruleAlarmSpecs } from "../../components/documents/alerts";
import { buildPair, PREFIX } from "../support/fixtures";
import { ACCOUNT_ID, dependencyNames, find, ofType, registered } from "../support/mocks";
import * as aws from "../../components/model/aws";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    notification: "aws:s3/bucketNotification:BucketNotification",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
};
const sides = [
    { key: "primary", region: "us-east-2", other: "secondary", otherRegion: "us-west-2" },
    { key: "secondary", region: "us-west-2", other: "primary", otherRegion: "us-east-2" },
] as const;
const bucket = (region: string) => `${PREFIX}-crrlab-${region}`;
const topicArn = (region: string) => `arn:aws:sns:${region}:${ACCOUNT_ID}:${PREFIX}-crr-alerts`;

describe("knowing when replication falls behind", () => {
    describe("defaults: metrics, alarms, topics, events, a dashboard", () => {
        before(async () => {
            await buildPair("watch", { alarmEmails: ["oncall@example.com"], backlogAlarmBytes: 1_000_000_000 });
        });

        for (const side of sides) {
            const ruleId = `${side.region}-to-${side.otherRegion}`;
            it(`${side.key}: alarms on the rule's failed operations in the source's region and its latency over the RPO and backlog in the destination's, where S3 publishes each`, () => {
                const alarm = (kind: string) => find(T.alarm, `watch-${side.key}-alarm-${kind}-${side.other}`).inputs;
                const common = {
                    region: side.region,
                    namespace: "AWS/S3",
                    dimensions: { SourceBucket: bucket(side.region), DestinationBucket: bucket(side.otherRegion), RuleId: ruleId },
                    period: 300,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    comparisonOperator: "GreaterThanThreshold",
                    alarmActions: [topicArn(side.region)],
                    okActions: [topicArn(side.region)],
                };
                expect(alarm("failed")).to.deep.include({
                    ...common,
                    name: `${PREFIX}-crr-failed-${ruleId}`,
                    metricName: "OperationsFailedReplication",
                    statistic: "Sum",
                    threshold: 0,
                    treatMissingData: "notBreaching",
                });
                // Latency and pending bytes are published in the destination's region: the alarm is there, and acts on
                // that side's topic (an alarm notifies a topic of its own region).
                const atDestination = { ...common, region: side.otherRegion, alarmActions: [topicArn(side.otherRegion)], okActions: [topicArn(side.otherRegion)] };
                expect(alarm("latency")).to.deep.include({
                    ...atDestination,
                    name: `${PREFIX}-crr-latency-${ruleId}`,
                    metricName: "ReplicationLatency",
                    statistic: "Maximum",
                    threshold: 900,
                    treatMissingData: "missing",
                    alarmDescription: `Replication ${side.region} to ${side.otherRegion} lags more than 900 s behind, the recovery point objective.`,
                });
                expect(alarm("backlog")).to.deep.include({
                    ...atDestination,
                    metricName: "BytesPendingReplication",
                    threshold: 1_000_000_000,
                    treatMissingData: "missing",
                });
                expect(dependencyNames(find(T.alarm, `watch-${side.key}-alarm-failed-${side.other}`))).to.include(`${T.replication}::watch-${side.key}-replication`);
            });

            it(`${side.key}: an SNS topic under its own rotating key whose policy admits CloudWatch and S3`, () => {
                const key = find(T.key, `watch-${side.key}-alerts-key`);
                expect(key.inputs).to.deep.include({ region: side.region, enableKeyRotation: true });
                expect(JSON.parse(key.inputs.policy).Statement).to.deep.equal([
                    { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" },
                    { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" },
                    { Sid: "S3EventsPublish", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" },
                ]);
                expect(find(T.alias, `watch-${side.key}-alerts-key-alias`).inputs.name).to.equal(`alias/${PREFIX}-crr-alerts`);
                const topic = find(T.topic, `watch-${side.key}-alerts-topic`);
                expect(topic.inputs).to.deep.include({ name: `${PREFIX}-crr-alerts`, region: side.region });
                expect(topic.inputs.kmsMasterKeyId).to.match(new RegExp(`^arn:aws:kms:${side.region}:${ACCOUNT_ID}:key/`));
            });

            it(`${side.key}: lets only this account's alarms of the component and this side's bucket publish`, () => {
                const policy = find(T.topicPolicy, `watch-${side.key}-alerts-topic-policy`);
                expect(policy.inputs.arn).to.equal(topicArn(side.region));
                expect(JSON.parse(policy.inputs.policy).Statement).to.deep.equal([
                    {
                        Sid: "CloudWatchAlarmsPublish",
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topicArn(side.region),
                        Condition: {
                            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${side.region}:${ACCOUNT_ID}:alarm:${PREFIX}-crr-*` },
                        },
                    },
                    {
                        Sid: "S3EventsPublish",
                        Effect: "Allow",
                        Principal: { Service: "s3.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topicArn(side.region),
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws:s3:::${bucket(side.region)}` } },
                    },
                ]);
            });

            it(`${side.key}: sends the replication failure events to the topic through the bucket's one notification, after the topic policy and the replication configuration`, () => {
                const notification = find(T.notification, `watch-${side.key}-bucket-notification`);
                expect(notification.inputs).to.deep.equal({
                    bucket: bucket(side.region),
                    region: side.region,
                    eventbridge: false,
                    topics: [{ id: "replication-events", topicArn: topicArn(side.region), events: ["s3:Replication:OperationFailedReplication"] }],
                });
                expect(dependencyNames(notification)).to.include.members([
                    `${T.topicPolicy}::watch-${side.key}-alerts-topic-policy`,
                    `${T.replication}::watch-${side.key}-replication`,
                ]);
            });

            it(`${side.key}: subscribes the configured email address`, () => {
                expect(find(T.subscription, `watch-${side.key}-alerts-email-oncall@example.com`).inputs).to.deep.equal({
                    region: side.region,
                    topic: topicArn(side.region),
                    protocol: "email",
                    endpoint: "oncall@example.com",
                });
            });
        }

        it("builds one dashboard in the primary's region: four metrics per direction and the alarms' states", () => {
            const dashboard = find(T.dashboard, "watch-dashboard");
            expect(dashboard.inputs.dashboardName).to.equal(`${PREFIX}-crr`);
            expect(dashboard.inputs.region).to.equal("us-east-2");
            const body = JSON.parse(dashboard.inputs.dashboardBody);
            expect(body.widgets).to.have.length(9);
            expect([...body.widgets[8].properties.alarms].sort()).to.deep.equal(ofType(T.alarm).map((a) => `arn:aws:cloudwatch:${a.inputs.region}:${ACCOUNT_ID}:alarm:${a.inputs.name}`).sort());
            expect(body.widgets.slice(0, 4).map((w: any) => [w.properties.title, w.properties.region])).to.deep.equal([
                ["us-east-2-to-us-west-2: latency (s)", "us-west-2"],
                ["us-east-2-to-us-west-2: pending bytes", "us-west-2"],
                ["us-east-2-to-us-west-2: pending operations", "us-west-2"],
                ["us-east-2-to-us-west-2: failed operations", "us-east-2"],
            ]);
        });
    });

    describe("with RTC, EventBridge and the user's own destinations", () => {
        it("adds the threshold events, the EventBridge flag and merges a user's queue into the one notification", async () => {
            const queueArn = "arn:aws:sqs:us-east-2:123456789012:audit";
            await buildPair("watch-rtc", {
                replicationTimeControl: true,
                eventBridgeNotifications: true,
                primary: {
                    provider: new aws.Provider("watch-rtc-east", { region: "us-east-2" }),
                    region: "us-east-2",
                    notifications: { queues: [{ id: "audit", queueArn, events: ["s3:ObjectCreated:*"] }] },
                },
            });
            expect(find(T.notification, "watch-rtc-primary-bucket-notification").inputs).to.deep.equal({
                bucket: bucket("us-east-2"),
                region: "us-east-2",
                eventbridge: true,
                topics: [
                    {
                        id: "replication-events",
                        topicArn: topicArn("us-east-2"),
                        events: [
                            "s3:Replication:OperationFailedReplication",
                            "s3:Replication:OperationMissedThreshold",
                            "s3:Replication:OperationReplicatedAfterThreshold",
                            "s3:Replication:OperationNotTracked",
                        ],
                    },
                ],
                queues: [{ id: "audit", queueArn, events: ["s3:ObjectCreated:*"] }],
            });
        });
    });

    describe("switched off", () => {
        it("creates no alerting at all without metrics, and keeps the rules' metrics off", async () => {
            await buildPair("quiet", { replicationMetrics: false });
            for (const type of [T.alarm, T.dashboard, T.topic, T.topicPolicy, T.notification, T.key]) {
                expect(ofType(type), type).to.deep.equal([]);
            }
            expect(find(T.replication, "quiet-primary-replication").inputs.rules[0].destination).not.to.have.property("metrics");
            expect(registered().length).to.be.greaterThan(40);
        });
    });

    describe("validation", () => {
        const east = new aws.Provider("alerts-v-east", { region: "us-east-2" });
        const west = new aws.Provider("alerts-v-west", { region: "us-west-2" });
        const problems = (changes: Partial<CrrPairArgs>) =>
            crrPairArgProblems({ namingPrefix: PREFIX, primary: east, secondary: west, ...changes }).map((p) => `${p.path}: ${p.message}`);
        it("refuses RTC without metrics, an RPO out of range and a malformed email", () => {
            expect(problems({ replicationTimeControl: true, replicationMetrics: false, rpoSeconds: 5, alarmEmails: ["oncall@example.com", "not-an-email"] })).to.deep.equal([
                "rpoSeconds: must be a whole number from 60 to 86400, got 5",
                "alarmEmails: must hold only entries that are each an email address; not: 'not-an-email'",
                "replicationMetrics: must not be false with replicationTimeControl true: S3 Replication Time Control requires replication metrics",
            ]);
        });
    });

    describe("pure builders", () => {
        it("has no backlog alarm unless a threshold is set", () => {
            expect(ruleAlarmSpecs({ rpoSeconds: 600, backlogAlarmBytes: 0 }, "a to b").map((s) => [s.kind, s.metricName, s.threshold])).to.deep.equal([
                ["failed", "OperationsFailedReplication", 0],
                ["latency", "ReplicationLatency", 600],
            ]);
        });

        it("lays out the dashboard a row per direction, each metric in the region S3 publishes it in", () => {
            const body = dashboardBody(
                [{ sourceRegion: "us-east-2", destinationRegion: "us-west-2", sourceBucket: "a", destinationBucket: "b", ruleId: "us-east-2-to-us-west-2" }],
                ["arn:aws:cloudwatch:us-east-2:1:alarm:x"],
            ) as { widgets: any[] };
            expect(body.widgets.map((w) => [w.type, w.x, w.y, w.properties.title, w.properties.region])).to.deep.equal([
                ["metric", 0, 0, "us-east-2-to-us-west-2: latency (s)", "us-west-2"],
                ["metric", 6, 0, "us-east-2-to-us-west-2: pending bytes", "us-west-2"],
                ["metric", 12, 0, "us-east-2-to-us-west-2: pending operations", "us-west-2"],
                ["metric", 18, 0, "us-east-2-to-us-west-2: failed operations", "us-east-2"],
                ["alarm", 0, 6, "Replication alarms", undefined],
            ]);
            expect(body.widgets[0].properties.metrics).to.deep.equal([
                ["AWS/S3", "ReplicationLatency", "SourceBucket", "a", "DestinationBucket", "b", "RuleId", "us-east-2-to-us-west-2"],
            ]);
        });

        it("splits more than 100 alarms into widgets of 100 at most, stacked (CloudWatch's limit per alarm widget)", () => {
            const arns = Array.from({ length: 230 }, (_, i) => `arn:aws:cloudwatch:us-east-2:1:alarm:a${i}`);
            const body = dashboardBody([], arns) as { widgets: any[] };
            expect(body.widgets.map((w) => [w.y, w.height, w.properties.title, w.properties.alarms.length])).to.deep.equal([
                [0, 27, "Replication alarms (1 of 3)", 100],
                [27, 27, "Replication alarms (2 of 3)", 100],
                [54, 10, "Replication alarms (3 of 3)", 30],
            ]);
            expect(body.widgets.flatMap((w) => w.properties.alarms)).to.deep.equal(arns);
        });
    });
});
