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
