import { expect } from "chai";
import * as iam from "../../components/documents/iam";

const SRC = "arn:aws:s3:::p-crrlab-us-east-2";
const DST = "arn:aws:s3:::p-crrlab-us-west-2";
const DST2 = "arn:aws:s3:::p-crrlab-eu-west-1";

describe("IAM documents", () => {
    it("uses GetObjectVersionForReplication, never GetObjectVersion (which misses SSE-KMS objects)", () => {
        expect(iam.REPLICATION_SOURCE_OBJECT_ACTIONS).to.include("s3:GetObjectVersionForReplication");
        expect(iam.REPLICATION_SOURCE_OBJECT_ACTIONS).not.to.include("s3:GetObjectVersion");
    });

    it("builds a trust policy for one service principal, optionally bound to an account", () => {
        expect(iam.serviceTrustPolicy("s3.amazonaws.com", "111122223333").Statement).to.deep.equal([
            {
                Sid: "AssumedOnlyByS3",
                Effect: "Allow",
                Principal: { Service: "s3.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
            },
        ]);
        expect(iam.serviceTrustPolicy("cloudtrail.amazonaws.com").Statement[0]).not.to.have.property("Condition");
    });

    it("lists one replica statement covering every destination of a mesh, with no wildcard bucket", () => {
        const policy = iam.replicationRolePolicy({
            sourceBucketArn: SRC,
            sourceRegion: "us-east-2",
            destinations: [
                { bucketArn: DST, region: "us-west-2" },
                { bucketArn: DST2, region: "eu-west-1" },
            ],
            dnsSuffix: "amazonaws.com",
        });
        expect(policy.Statement.map((s) => [s.Sid, s.Resource])).to.deep.equal([
            ["ReadReplicationConfiguration", SRC],
            ["ReadSourceObjectVersions", `${SRC}/*`],
            ["WriteReplicas", [`${DST}/*`, `${DST2}/*`]],
        ]);
        const resources = policy.Statement.flatMap((s) => s.Resource);
        expect(resources.filter((r) => r === "*" || /:::\*|crrlab-\*/.test(String(r)))).to.deep.equal([]);
    });

    it("adds one KMS statement per key, bound to S3 in that key's region and that bucket", () => {
        const policy = iam.replicationRolePolicy({
            sourceBucketArn: SRC,
            sourceRegion: "us-east-2",
            sourceKmsKeyArn: "arn:aws:kms:us-east-2:111122223333:key/src",
            destinations: [{ bucketArn: DST, region: "us-west-2", kmsKeyArn: "arn:aws:kms:us-west-2:111122223333:key/dst" }],
            dnsSuffix: "amazonaws.com.cn",
        });
        expect(policy.Statement.slice(3).map((s) => [s.Action, s.Resource, s.Condition])).to.deep.equal([
            [
                ["kms:Decrypt"],
                "arn:aws:kms:us-east-2:111122223333:key/src",
                {
                    StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com.cn" },
                    StringLike: { "kms:EncryptionContext:aws:s3:arn": [SRC, `${SRC}/*`] },
                },
            ],
            [
                ["kms:Encrypt", "kms:GenerateDataKey"],
                "arn:aws:kms:us-west-2:111122223333:key/dst",
                {
                    StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com.cn" },
                    StringLike: { "kms:EncryptionContext:aws:s3:arn": [DST, `${DST}/*`] },
                },
            ],
        ]);
    });

    it("refuses an SSE-KMS policy whose destination has no key", () => {
        expect(() =>
            iam.replicationRolePolicy({
                sourceBucketArn: SRC,
                sourceRegion: "us-east-2",
                sourceKmsKeyArn: "arn:aws:kms:us-east-2:1:key/src",
                destinations: [{ bucketArn: DST, region: "us-west-2" }],
                dnsSuffix: "amazonaws.com",
            }),
        ).to.throw(/destination arn:aws:s3:::p-crrlab-us-west-2 has no KMS key/);
    });

    it("computes a trail's ARN before the trail exists", () => {
        expect(iam.trailArn("aws-us-gov", "us-gov-west-1", "111122223333", "t")).to.equal(
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/t",
        );
    });
});

describe("confused-deputy guards, exactly where AWS documents them", () => {
    // Every statement of the stack that admits an AWS service, with the source condition keys it carries: the
    // documented ones (aws:SourceAccount, aws:SourceArn, an encryption context) present, none invented where the
    // service's documented statement has none (a condition it does not send breaks delivery without a word).
    it("conditions each service statement of an SSE-KMS pair with backups and an access point as documented", async () => {
        const { buildPair } = await import("../support/fixtures");
        const { registered } = await import("../support/mocks");
        await buildPair("cd", { encryption: "aws:kms", backup: true, accessPoint: true });
        const documents: [string, string][] = registered().flatMap((r) =>
            ["assumeRolePolicy", "policy"].flatMap((prop) => (typeof r.inputs[prop] === "string" && r.inputs[prop].startsWith("{") ? [[r.name, r.inputs[prop]] as [string, string]] : [])),
        );
        const found = new Set<string>();
        for (const [name, text] of documents.filter(([n]) => n.startsWith("cd-primary-"))) {
            for (const st of JSON.parse(text).Statement as { Sid: string; Principal?: { Service?: string }; Condition?: Record<string, Record<string, unknown>> }[]) {
                if (st.Principal?.Service) {
                    const keys = Object.values(st.Condition ?? {}).flatMap((c) => Object.keys(c)).sort();
                    found.add(`${name.slice("cd-primary-".length)} ${st.Sid} ${st.Principal.Service}: ${keys.join(", ") || "none"}`);
                }
            }
        }
        expect([...found].sort()).to.deep.equal(
            [
                // CloudTrail's delivery role: documented without conditions.
                "trail-logs-role AssumedOnlyByCloudtrail cloudtrail.amazonaws.com: none",
                // AWS Backup documents conditions for its SNS notifications and KMS use, not its service role's trust.
                "backup-role AssumedOnlyByBackup backup.amazonaws.com: none",
                "replication-role AssumedOnlyByS3 s3.amazonaws.com: aws:SourceAccount",
                // The logging bucket: CloudTrail and S3 server access logging, each by the documented source.
                "logging-bucket-policy CloudTrailAclCheck cloudtrail.amazonaws.com: aws:SourceAccount, aws:SourceArn",
                "logging-bucket-policy CloudTrailWrite cloudtrail.amazonaws.com: aws:SourceAccount, aws:SourceArn, s3:x-amz-acl",
                "logging-bucket-policy S3ServerAccessLogsDelivery logging.s3.amazonaws.com: aws:SourceAccount, aws:SourceArn",
                // The side's key: CloudWatch Logs by the log group's encryption context, CloudTrail by its trail.
                "kms-key CloudWatchLogsEncryptLogGroup logs.us-east-2.amazonaws.com: kms:EncryptionContext:aws:logs:arn",
                "kms-key CloudTrailEncryptLogFiles cloudtrail.amazonaws.com: aws:SourceArn, kms:EncryptionContext:aws:cloudtrail:arn",
                "kms-key CloudTrailDescribeKey cloudtrail.amazonaws.com: aws:SourceArn",
                // The alerts topic's key: every publisher as SNS documents it, without source conditions.
                "alerts-key CloudWatchAlarmsPublish cloudwatch.amazonaws.com: none",
                "alerts-key S3EventsPublish s3.amazonaws.com: none",
                "alerts-key EventBridgePublish events.amazonaws.com: none",
                // The alerts topic: the alarms and the bucket by their sources; EventBridge as its SNS example has it.
                "alerts-topic-policy CloudWatchAlarmsPublish cloudwatch.amazonaws.com: aws:SourceAccount, aws:SourceArn",
                "alerts-topic-policy S3EventsPublish s3.amazonaws.com: aws:SourceAccount, aws:SourceArn",
                "alerts-topic-policy EventBridgePublish events.amazonaws.com: none",
            ].sort(),
        );
    });
});
