import { expect } from "chai";
import { CRR_PAIR_TYPE, PUT_OBJECT_EVENTS_QUERY } from "../../components";
import { buildPair, BuiltPair, PREFIX, PRIMARY_REGION, SECONDARY_REGION } from "../support/fixtures";
import {
    ACCOUNT_ID,
    dependencyNames,
    find,
    ofType,
    providerOf,
    registered,
    Registration,
    valueOf,
} from "../support/mocks";

const T = {
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    trail: "aws:cloudtrail/trail:Trail",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    query: "aws:cloudwatch/queryDefinition:QueryDefinition",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    provider: "pulumi:providers:aws",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    notification: "aws:s3/bucketNotification:BucketNotification",
};

const sides = [
    { key: "primary", region: PRIMARY_REGION, other: SECONDARY_REGION },
    { key: "secondary", region: SECONDARY_REGION, other: PRIMARY_REGION },
] as const;

const bucketArn = (region: string) => `arn:aws:s3:::${PREFIX}-crrlab-${region}`;
const loggingBucketArn = (region: string) => `arn:aws:s3:::logging-${PREFIX}-${region}`;
const json = (r: Registration, prop = "policy") => JSON.parse(r.inputs[prop]);

describe("CrrPair (under Pulumi mocks)", () => {
    describe("with default options", () => {
        let built: BuiltPair;
        before(async () => {
            built = await buildPair("lab");
        });

        it("registers itself with the stable type token and parents every child to itself", () => {
            const component = find(CRR_PAIR_TYPE, "lab");
            expect(component.custom).to.equal(false);
            const children = registered().filter((r) => r.type !== T.provider && r.type !== CRR_PAIR_TYPE);
            const strays = children.filter((r) => r.parent !== component.urn).map((r) => r.name);
            expect(strays, "children not parented to the CrrPair").to.deep.equal([]);
        });

        it("creates exactly the lab's resources per side, hardened, and two replication configurations", () => {
            const counts: Record<string, number> = {};
            for (const r of registered()) {
                counts[r.type] = (counts[r.type] ?? 0) + 1;
            }
            expect(counts).to.deep.equal({
                [CRR_PAIR_TYPE]: 1,
                [T.provider]: 2,
                [T.bucket]: 4,
                [T.versioning]: 4,
                [T.sse]: 4,
                [T.pab]: 4,
                [T.ownership]: 4,
                [T.policy]: 4,
                // The logging buckets' and (option versionLifecycle, on by default) the replicated buckets'.
                [T.lifecycle]: 4,
                [T.logging]: 2,
                [T.logGroup]: 2,
                [T.role]: 4,
                [T.rolePolicy]: 4,
                [T.trail]: 2,
                [T.query]: 2,
                [T.replication]: 2,
                // Alerting (on by default with metrics): per side a key, alias, topic, topic policy and the
                // bucket's notification; per rule two alarms; one dashboard.
                [T.key]: 2,
                [T.alias]: 2,
                [T.topic]: 2,
                [T.topicPolicy]: 2,
                [T.notification]: 2,
                [T.alarm]: 4,
                [T.dashboard]: 1,
            });
        });

        it("gives every child an explicit provider: its own side's, in its side's region", () => {
            const children = registered().filter((r) => r.custom && r.type !== T.provider);
            for (const child of children) {
                // The dashboard belongs to the pair as a whole; it lives with the primary side.
                const side = child.name.startsWith("lab-secondary-") ? "secondary" : "primary";
                const provider = providerOf(child);
                expect(provider.name, `${child.type} ${child.name}`).to.equal(built.providerNames[side]);
                const region = side === "primary" ? PRIMARY_REGION : SECONDARY_REGION;
                expect(provider.inputs.region, `${child.name} provider region`).to.equal(region);
                if (child.type === T.alarm && ["ReplicationLatency", "BytesPendingReplication"].includes(child.inputs.metricName)) {
                    // S3 publishes these in the destination's region: the side's alarm is there, under the side's provider.
                    expect(child.inputs.region, `${child.name} region`).to.equal(side === "primary" ? SECONDARY_REGION : PRIMARY_REGION);
                } else if (!child.type.startsWith("aws:iam/")) {
                    // Regional children are also pinned with v7's per-resource region argument.
                    expect(child.inputs.region, `${child.type} ${child.name} region`).to.equal(region);
                }
            }
            expect(children.length).to.equal(61);
        });

        for (const side of sides) {
            describe(`${side.key} side (${side.region})`, () => {
                const n = (suffix: string) => `lab-${side.key}-${suffix}`;

                it("names the buckets in the lab's form", () => {
                    expect(find(T.bucket, n("bucket")).inputs.bucket).to.equal(`${PREFIX}-crrlab-${side.region}`);
                    expect(find(T.bucket, n("logging-bucket")).inputs.bucket).to.equal(`logging-${PREFIX}-${side.region}`);
                });

                for (const bucket of ["bucket", "logging-bucket"]) {
                    it(`hardens the ${bucket}: versioning, SSE, public access block, ownership, no forceDestroy`, () => {
                        expect(find(T.bucket, n(bucket)).inputs.forceDestroy).to.equal(false);
                        const bucketName = find(T.bucket, n(bucket)).inputs.bucket;
                        expect(find(T.versioning, n(`${bucket}-versioning`)).inputs).to.deep.include({
                            bucket: bucketName,
                            versioningConfiguration: { status: "Enabled" },
                        });
                        expect(find(T.sse, n(`${bucket}-encryption`)).inputs.rules).to.deep.equal([
                            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                        ]);
                        expect(find(T.pab, n(`${bucket}-public-access-block`)).inputs).to.deep.include({
                            bucket: bucketName,
                            blockPublicAcls: true,
                            blockPublicPolicy: true,
                            ignorePublicAcls: true,
                            restrictPublicBuckets: true,
                        });
                        expect(find(T.ownership, n(`${bucket}-ownership-controls`)).inputs.rule).to.deep.equal({
                            objectOwnership: "BucketOwnerEnforced",
                        });
                        const policy = find(T.policy, n(`${bucket}-policy`));
                        expect(policy.inputs.bucket).to.equal(bucketName);
                        expect(dependencyNames(policy)).to.include.members([
                            `${T.pab}::${n(`${bucket}-public-access-block`)}`,
                            `${T.ownership}::${n(`${bucket}-ownership-controls`)}`,
                        ]);
                    });
                }

                it("denies non-TLS requests to the replicated bucket, and nothing else", () => {
                    const arn = bucketArn(side.region);
                    expect(json(find(T.policy, n("bucket-policy")))).to.deep.equal({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DenyInsecureTransport",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: [arn, `${arn}/*`],
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    });
                });

                it("lets only this side's trail write its own prefix of the logging bucket", () => {
                    const arn = loggingBucketArn(side.region);
                    const trailArn = `arn:aws:cloudtrail:${side.region}:${ACCOUNT_ID}:trail/${PREFIX}-crr-trail`;
                    const source = { "aws:SourceArn": trailArn, "aws:SourceAccount": ACCOUNT_ID };
                    const statements = json(find(T.policy, n("logging-bucket-policy"))).Statement;
                    expect(statements.map((s: { Sid: string }) => s.Sid)).to.deep.equal([
                        "DenyInsecureTransport",
                        "CloudTrailAclCheck",
                        "CloudTrailWrite",
                        "S3ServerAccessLogsDelivery",
                    ]);
                    expect(statements[0].Resource).to.deep.equal([arn, `${arn}/*`]);
                    expect(statements[1]).to.deep.equal({
                        Sid: "CloudTrailAclCheck",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["s3:GetBucketAcl"],
                        Resource: arn,
                        Condition: { StringEquals: source },
                    });
                    expect(statements[2]).to.deep.equal({
                        Sid: "CloudTrailWrite",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: ["s3:PutObject"],
                        Resource: `${arn}/AWSLogs/${ACCOUNT_ID}/*`,
                        Condition: { StringEquals: { ...source, "s3:x-amz-acl": "bucket-owner-full-control" } },
                    });
                    expect(statements[3]).to.deep.equal({
                        Sid: "S3ServerAccessLogsDelivery",
                        Effect: "Allow",
                        Principal: { Service: "logging.s3.amazonaws.com" },
                        Action: ["s3:PutObject"],
                        Resource: `${arn}/s3-access-logs/${PREFIX}-crrlab-${side.region}/*`,
                        Condition: {
                            ArnLike: { "aws:SourceArn": bucketArn(side.region) },
                            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
                        },
                    });
                });

                it("logs S3 server access to the replicated bucket into its own prefix, after the grant", () => {
                    const logging = find(T.logging, n("bucket-access-logging"));
                    expect(logging.inputs).to.deep.equal({
                        bucket: `${PREFIX}-crrlab-${side.region}`,
                        region: side.region,
                        targetBucket: `logging-${PREFIX}-${side.region}`,
                        targetPrefix: `s3-access-logs/${PREFIX}-crrlab-${side.region}/`,
                        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                    });
                    expect(dependencyNames(logging)).to.include(`${T.policy}::${n("logging-bucket-policy")}`);
                    // The target stays SSE-S3: server access logging accepts no other default encryption.
                    expect(find(T.sse, n("logging-bucket-encryption")).inputs.rules).to.deep.equal([
                        { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                    ]);
                });

                it("expires log files and their noncurrent versions, after the logging bucket is versioned", () => {
                    const lifecycle = find(T.lifecycle, n("logging-bucket-lifecycle"));
                    expect(lifecycle.inputs.bucket).to.equal(`logging-${PREFIX}-${side.region}`);
                    expect(lifecycle.inputs.rules).to.deep.equal([
                        {
                            id: "expire-log-files",
                            status: "Enabled",
                            filter: {},
                            expiration: { days: 365 },
                            noncurrentVersionExpiration: { noncurrentDays: 30 },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ]);
                    expect(dependencyNames(lifecycle)).to.include(`${T.versioning}::${n("logging-bucket-versioning")}`);
                });

                it("keeps the lab's SSE-S3 resources: no key, no kmsKeyId on the log group or the trail", () => {
                    expect(ofType(T.key).map((k) => k.name)).to.deep.equal(["lab-primary-alerts-key", "lab-secondary-alerts-key"]);
                    expect(find(T.logGroup, n("log-group")).inputs).not.to.have.property("kmsKeyId");
                    expect(find(T.trail, n("trail")).inputs).not.to.have.property("kmsKeyId");
                });

                it("creates the lab's log group with 30 days' retention", () => {
                    expect(find(T.logGroup, n("log-group")).inputs).to.deep.include({
                        name: `CloudTrail/logs/${PREFIX}`,
                        retentionInDays: 30,
                    });
                });

                it("gives CloudTrail a role that can only write the trail's streams in that group", () => {
                    const role = find(T.role, n("trail-logs-role"));
                    expect(role.inputs.name).to.equal(`${PREFIX}-trail-${side.region}`);
                    expect(json(role, "assumeRolePolicy")).to.deep.equal({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AssumedOnlyByCloudtrail",
                                Effect: "Allow",
                                Principal: { Service: "cloudtrail.amazonaws.com" },
                                Action: "sts:AssumeRole",
                            },
                        ],
                    });
                    const policy = find(T.rolePolicy, n("trail-logs-role-policy"));
                    expect(policy.inputs.role).to.equal(`${PREFIX}-trail-${side.region}`);
                    expect(json(policy).Statement).to.deep.equal([
                        {
                            Sid: "DeliverTrailEvents",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource:
                                `arn:aws:logs:${side.region}:${ACCOUNT_ID}:log-group:CloudTrail/logs/${PREFIX}` +
                                `:log-stream:${ACCOUNT_ID}_CloudTrail_${side.region}*`,
                        },
                    ]);
                });

                it("records write data events of the replicated bucket only, validated, to both destinations", () => {
                    const trail = find(T.trail, n("trail"));
                    expect(trail.inputs).to.deep.include({
                        name: `${PREFIX}-crr-trail`,
                        s3BucketName: `logging-${PREFIX}-${side.region}`,
                        cloudWatchLogsGroupArn: `arn:aws:logs:${side.region}:${ACCOUNT_ID}:log-group:CloudTrail/logs/${PREFIX}:*`,
                        cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${PREFIX}-trail-${side.region}`,
                        enableLogFileValidation: true,
                        enableLogging: true,
                        isMultiRegionTrail: false,
                        includeGlobalServiceEvents: false,
                    });
                    expect(trail.inputs.eventSelectors).to.deep.equal([
                        {
                            readWriteType: "WriteOnly",
                            includeManagementEvents: false,
                            dataResources: [{ type: "AWS::S3::Object", values: [`${bucketArn(side.region)}/`] }],
                        },
                    ]);
                });

                it("orders the trail after the logging bucket policy and the log role policy", () => {
                    expect(dependencyNames(find(T.trail, n("trail")))).to.include.members([
                        `${T.policy}::${n("logging-bucket-policy")}`,
                        `${T.rolePolicy}::${n("trail-logs-role-policy")}`,
                    ]);
                });

                it("saves the lab's PutObject query over the log group", () => {
                    expect(find(T.query, n("put-object-query")).inputs).to.deep.include({
                        name: `CRR/${PREFIX}/PutObject events`,
                        logGroupNames: [`CloudTrail/logs/${PREFIX}`],
                        queryString: PUT_OBJECT_EVENTS_QUERY,
                    });
                });

                it("lets only S3 of this account assume the replication role", () => {
                    const role = find(T.role, n("replication-role"));
                    expect(role.inputs.name).to.equal(`${PREFIX}-s3crr-${side.region}`);
                    expect(json(role, "assumeRolePolicy")).to.deep.equal({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AssumedOnlyByS3",
                                Effect: "Allow",
                                Principal: { Service: "s3.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
                            },
                        ],
                    });
                });

                it("grants the replication role exactly the AWS minimum on exact bucket ARNs", () => {
                    const policy = find(T.rolePolicy, n("replication-role-policy"));
                    expect(policy.inputs.role).to.equal(`${PREFIX}-s3crr-${side.region}`);
                    expect(json(policy)).to.deep.equal({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "ReadReplicationConfiguration",
                                Effect: "Allow",
                                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                                Resource: bucketArn(side.region),
                            },
                            {
                                Sid: "ReadSourceObjectVersions",
                                Effect: "Allow",
                                Action: [
                                    "s3:GetObjectVersionForReplication",
                                    "s3:GetObjectVersionAcl",
                                    "s3:GetObjectVersionTagging",
                                ],
                                Resource: `${bucketArn(side.region)}/*`,
                            },
                            {
                                Sid: "WriteReplicas",
                                Effect: "Allow",
                                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                                Resource: [`${bucketArn(side.other)}/*`],
                            },
                        ],
                    });
                });

                it(`replicates the whole bucket to ${side.other} with an explicit, conservative rule`, () => {
                    const config = find(T.replication, n("replication"));
                    expect(config.inputs.bucket).to.equal(`${PREFIX}-crrlab-${side.region}`);
                    expect(config.inputs.role).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/${PREFIX}-s3crr-${side.region}`);
                    expect(config.inputs.rules).to.deep.equal([
                        {
                            id: `${side.region}-to-${side.other}`,
                            priority: 0,
                            status: "Enabled",
                            filter: {},
                            deleteMarkerReplication: { status: "Disabled" },
                            sourceSelectionCriteria: { replicaModifications: { status: "Enabled" } },
                            destination: { bucket: bucketArn(side.other), storageClass: "STANDARD", metrics: { status: "Enabled" } },
                        },
                    ]);
                });

                it("orders the replication configuration after both versionings and its role policy", () => {
                    const other = side.key === "primary" ? "secondary" : "primary";
                    expect(dependencyNames(find(T.replication, n("replication")))).to.include.members([
                        `${T.versioning}::lab-${side.key}-bucket-versioning`,
                        `${T.versioning}::lab-${other}-bucket-versioning`,
                        `${T.rolePolicy}::lab-${side.key}-replication-role-policy`,
                    ]);
                });
            });
        }

        it("exposes each side's names and ARNs as outputs", async () => {
            const { pair } = built;
            for (const side of sides) {
                const out = pair[side.key];
                expect(await valueOf(out.region)).to.equal(side.region);
                expect(await valueOf(out.accountId)).to.equal(ACCOUNT_ID);
                expect(await valueOf(out.bucketName)).to.equal(`${PREFIX}-crrlab-${side.region}`);
                expect(await valueOf(out.bucketArn)).to.equal(bucketArn(side.region));
                expect(await valueOf(out.loggingBucketName)).to.equal(`logging-${PREFIX}-${side.region}`);
                expect(await valueOf(out.trailArn)).to.equal(
                    `arn:aws:cloudtrail:${side.region}:${ACCOUNT_ID}:trail/${PREFIX}-crr-trail`,
                );
                expect(await valueOf(out.logGroupName)).to.equal(`CloudTrail/logs/${PREFIX}`);
                expect(await valueOf(out.replicationRoleArn)).to.equal(
                    `arn:aws:iam::${ACCOUNT_ID}:role/${PREFIX}-s3crr-${side.region}`,
                );
                expect(await valueOf(out.queryDefinitionId)).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
                expect(out.kmsKeyArn).to.equal(undefined);
            }
        });
    });

    describe("with SSE-KMS", () => {
        before(async () => {
            await buildPair("kms", { encryption: "aws:kms", kmsKeyDeletionWindowInDays: 7 });
        });

        const keyArnOf = (side: string) => find(T.sse, `kms-${side}-bucket-encryption`).inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;

        it("creates each replicated bucket after its key, so that a destroy deletes the bucket before scheduling the key's deletion", () => {
            for (const side of sides) {
                expect(dependencyNames(find(T.bucket, `kms-${side.key}-bucket`))).to.include(`${T.key}::kms-${side.key}-kms-key`);
            }
        });

        it("gives each key an explicit policy: the account root, this side's log group, this side's trail", () => {
            for (const side of sides) {
                const trailArn = `arn:aws:cloudtrail:${side.region}:${ACCOUNT_ID}:trail/${PREFIX}-crr-trail`;
                expect(json(find(T.key, `kms-${side.key}-kms-key`))).to.deep.equal({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EnableIamPolicies",
                            Effect: "Allow",
                            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "CloudWatchLogsEncryptLogGroup",
                            Effect: "Allow",
                            Principal: { Service: `logs.${side.region}.amazonaws.com` },
                            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                            Resource: "*",
                            Condition: {
                                ArnEquals: {
                                    "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${side.region}:${ACCOUNT_ID}:log-group:CloudTrail/logs/${PREFIX}`,
                                },
                            },
                        },
                        {
                            Sid: "CloudTrailEncryptLogFiles",
                            Effect: "Allow",
                            Principal: { Service: "cloudtrail.amazonaws.com" },
                            Action: ["kms:GenerateDataKey*"],
                            Resource: "*",
                            Condition: {
                                StringEquals: { "aws:SourceArn": trailArn },
                                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT_ID}:trail/*` },
                            },
                        },
                        {
                            Sid: "CloudTrailDescribeKey",
                            Effect: "Allow",
                            Principal: { Service: "cloudtrail.amazonaws.com" },
                            Action: ["kms:DescribeKey"],
                            Resource: "*",
                            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
                        },
                    ],
                });
            }
        });

        it("encrypts each log group and each trail's log files with its side's key, created after the key and its policy", () => {
            for (const side of sides) {
                const key = `${T.key}::kms-${side.key}-kms-key`;
                const logGroup = find(T.logGroup, `kms-${side.key}-log-group`);
                const trail = find(T.trail, `kms-${side.key}-trail`);
                expect(logGroup.inputs.kmsKeyId).to.equal(keyArnOf(side.key));
                expect(trail.inputs.kmsKeyId).to.equal(keyArnOf(side.key));
                expect(keyArnOf(side.key)).to.include(`:${side.region}:`);
                expect(dependencyNames(logGroup)).to.include(key);
                expect(dependencyNames(trail)).to.include(key);
            }
        });

        it("creates one rotating customer key and alias per region", () => {
            for (const side of sides) {
                const key = find(T.key, `kms-${side.key}-kms-key`);
                expect(key.inputs).to.deep.include({ region: side.region, enableKeyRotation: true, deletionWindowInDays: 7 });
                expect(find(T.alias, `kms-${side.key}-kms-alias`).inputs.name).to.equal(`alias/${PREFIX}-crr`);
            }
        });

        it("encrypts the replicated buckets with their own key and an S3 Bucket Key; logging buckets stay SSE-S3", () => {
            for (const side of sides) {
                const rules = find(T.sse, `kms-${side.key}-bucket-encryption`).inputs.rules;
                expect(rules).to.have.length(1);
                expect(rules[0].bucketKeyEnabled).to.equal(true);
                expect(rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("aws:kms");
                expect(rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).to.match(
                    new RegExp(`^arn:aws:kms:${side.region}:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`),
                );
                expect(find(T.sse, `kms-${side.key}-logging-bucket-encryption`).inputs.rules).to.deep.equal([
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ]);
            }
        });

        it("replicates SSE-KMS objects and re-encrypts them with the destination region's key", () => {
            for (const side of sides) {
                const other = side.key === "primary" ? "secondary" : "primary";
                const destinationKey = find(T.sse, `kms-${other}-bucket-encryption`).inputs.rules[0]
                    .applyServerSideEncryptionByDefault.kmsMasterKeyId;
                const [rule] = find(T.replication, `kms-${side.key}-replication`).inputs.rules;
                expect(rule.sourceSelectionCriteria).to.deep.equal({
                    replicaModifications: { status: "Enabled" },
                    sseKmsEncryptedObjects: { status: "Enabled" },
                });
                expect(rule.destination.encryptionConfiguration).to.deep.equal({ replicaKmsKeyId: destinationKey });
                expect(destinationKey).to.include(`:${side.other}:`);
            }
        });

        it("lets the role decrypt with the source key and encrypt with the replica key, via S3 for that bucket only", () => {
            for (const side of sides) {
                const other = side.key === "primary" ? "secondary" : "primary";
                const keyOf = (s: string) =>
                    find(T.sse, `kms-${s}-bucket-encryption`).inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
                const statements = json(find(T.rolePolicy, `kms-${side.key}-replication-role-policy`)).Statement;
                expect(statements.slice(3)).to.deep.equal([
                    {
                        Sid: "DecryptSourceObjects",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: keyOf(side.key),
                        Condition: {
                            StringEquals: { "kms:ViaService": `s3.${side.region}.amazonaws.com` },
                            StringLike: {
                                "kms:EncryptionContext:aws:s3:arn": [bucketArn(side.region), `${bucketArn(side.region)}/*`],
                            },
                        },
                    },
                    {
                        Sid: "EncryptReplicas0",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: keyOf(other),
                        Condition: {
                            StringEquals: { "kms:ViaService": `s3.${side.other}.amazonaws.com` },
                            StringLike: {
                                "kms:EncryptionContext:aws:s3:arn": [bucketArn(side.other), `${bucketArn(side.other)}/*`],
                            },
                        },
                    },
                ]);
            }
        });
    });

    describe("options", () => {
        it("turns on RTC and metrics together, delete-marker replication, and per-side storage classes", async () => {
            await buildPair("opts", {
                replicationTimeControl: true,
                deleteMarkerReplication: true,
                replicaModificationSync: false,
                replicaStorageClass: "STANDARD_IA",
            });
            const [rule] = find(T.replication, "opts-primary-replication").inputs.rules;
            expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Enabled" });
            expect(rule.sourceSelectionCriteria).to.deep.equal({ replicaModifications: { status: "Disabled" } });
            expect(rule.destination).to.deep.equal({
                bucket: bucketArn(SECONDARY_REGION),
                storageClass: "STANDARD_IA",
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            });
        });

        it("uses each destination side's own storage class and log settings", async () => {
            const aws = await import("../../components/model/aws");
            await buildPair("perside", {
                logRetentionDays: 90,
                secondary: {
                    provider: new aws.Provider("perside-aws-secondary-2", { region: SECONDARY_REGION }),
                    region: SECONDARY_REGION,
                    replicaStorageClass: "GLACIER_IR",
                    logRetentionDays: 365,
                    logFileExpirationDays: 30,
                },
            });
            expect(find(T.replication, "perside-primary-replication").inputs.rules[0].destination.storageClass).to.equal(
                "GLACIER_IR",
            );
            expect(find(T.replication, "perside-secondary-replication").inputs.rules[0].destination.storageClass).to.equal(
                "STANDARD",
            );
            expect(find(T.logGroup, "perside-primary-log-group").inputs.retentionInDays).to.equal(90);
            expect(find(T.logGroup, "perside-secondary-log-group").inputs.retentionInDays).to.equal(365);
            expect(find(T.lifecycle, "perside-secondary-logging-bucket-lifecycle").inputs.rules[0].expiration).to.deep.equal({
                days: 30,
            });
        });

        it("leaves S3 server access logging and its grant out with accessLogging: false", async () => {
            await buildPair("nolog", { accessLogging: false });
            expect(ofType(T.logging)).to.deep.equal([]);
            const sids = json(find(T.policy, "nolog-primary-logging-bucket-policy")).Statement.map((st: { Sid: string }) => st.Sid);
            expect(sids).to.deep.equal(["DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWrite"]);
        });

        it("protects nothing by default", async () => {
            await buildPair("plain", { encryption: "aws:kms" });
            expect(registered().filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
        });

        it("with protectData, protects exactly the replicated buckets with their settings and the keys", async () => {
            await buildPair("kept", { encryption: "aws:kms", protectData: true });
            const protectedNames = registered()
                .filter((r) => r.protect)
                .map((r) => `${r.type.split(":").pop()} ${r.name}`)
                .sort();
            const perSide = (side: string) => [
                `Bucket kept-${side}-bucket`,
                `BucketOwnershipControls kept-${side}-bucket-ownership-controls`,
                `BucketPolicy kept-${side}-bucket-policy`,
                `BucketPublicAccessBlock kept-${side}-bucket-public-access-block`,
                `BucketServerSideEncryptionConfiguration kept-${side}-bucket-encryption`,
                `BucketVersioning kept-${side}-bucket-versioning`,
                `Key kept-${side}-kms-key`,
            ];
            expect(protectedNames).to.deep.equal([...perSide("primary"), ...perSide("secondary")].sort());
            // The logging buckets, the aliases and the replication wiring stay deletable.
            expect(find(T.bucket, "kept-primary-logging-bucket").protect).to.equal(false);
            expect(find(T.alias, "kept-primary-kms-alias").protect).to.equal(false);
            expect(find(T.replication, "kept-primary-replication").protect).to.equal(false);
        });

        it("with protectData and SSE-S3, protects the two replicated buckets (there is no key)", async () => {
            await buildPair("s3only", { protectData: true });
            expect(ofType(T.bucket).filter((r) => r.protect).map((r) => r.name)).to.deep.equal(["s3only-primary-bucket", "s3only-secondary-bucket"]);
            // No data key; the alerts topics' keys hold no data and stay unprotected.
            expect(ofType(T.key).map((k) => [k.name, k.protect])).to.deep.equal([
                ["s3only-primary-alerts-key", false],
                ["s3only-secondary-alerts-key", false],
            ]);
        });

        it("sets forceDestroy on all four buckets only when asked, and adds tags to taggable children", async () => {
            await buildPair("dev", { forceDestroy: true, tags: { CostCenter: "dr-42" } });
            const buckets = ofType(T.bucket);
            expect(buckets.map((b) => b.inputs.forceDestroy)).to.deep.equal([true, true, true, true]);
            for (const type of [T.bucket, T.trail, T.logGroup, T.role]) {
                for (const r of ofType(type)) {
                    expect(r.inputs.tags, `${r.type} ${r.name}`).to.deep.equal({ CostCenter: "dr-42" });
                }
            }
        });
    });
});
