import { expect } from "chai";
import { COMPONENT_BUCKET_POLICY_SIDS, crrMeshArgProblems, crrPairArgProblems } from "../../components";
import * as iam from "../../components/documents/iam";
import { ACCOUNT_ID, dependencyNames, find, ofType, registered } from "../support/mocks";

const BUCKET = "aws:s3/bucket:Bucket";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const ADOPTED = "acme-orders-data";

/** A statement an adopted bucket already has: an analytics role of the account may read the objects. */
const READER = {
    Sid: "AnalyticsRead",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/analytics` },
    Action: ["s3:GetObject"],
    Resource: [`arn:aws:s3:::${ADOPTED}/reports/*`],
};
/** A lifecycle rule it already has: temporary uploads expire after 3 days. */
const TMP_RULE = { id: "expire-tmp", status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 3 } };
const QUEUE = { queueArn: `arn:aws:sqs:us-east-2:${ACCOUNT_ID}:orders-ingest`, events: ["s3:ObjectCreated:*"], filterPrefix: "incoming/" };

const args = (primary: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    namingPrefix: "acme-data",
    primary: { provider: undefined!, region: "us-east-2", ...primary },
    secondary: { provider: undefined!, region: "us-west-2" },
    ...extra,
});
const problems = (primary: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    crrPairArgProblems(args(primary, extra) as never, { checkProviders: false }).map((p) => `${p.path}: ${p.message}`);

describe("a side over an existing bucket (existingBucket)", () => {
    describe("under mocks, with the bucket's own statements, rules and notification targets", () => {
        before(async () => {
            const aws = await import("../../components/model/aws");
            const { CrrPair } = await import("../../components");
            const { resetRecords, settle } = await import("../support/mocks");
            resetRecords();
            new CrrPair("ad", {
                namingPrefix: "acme-data",
                primary: {
                    provider: new aws.Provider("ad-aws-primary", { region: "us-east-2" }),
                    region: "us-east-2",
                    existingBucket: ADOPTED,
                    bucketPolicyStatements: [READER as never],
                    lifecycleRules: [TMP_RULE],
                    notifications: { queues: [QUEUE] },
                },
                secondary: { provider: new aws.Provider("ad-aws-secondary", { region: "us-west-2" }), region: "us-west-2" },
                batchReplication: true,
            });
            await settle();
        });

        it("reads the bucket (Bucket.get by its name) instead of creating one, and creates the other side's", () => {
            const primary = find(BUCKET, "ad-primary-bucket");
            expect(primary.read).to.equal(true);
            expect(primary.outputs.bucket).to.equal(ADOPTED);
            expect(primary.outputs.arn).to.equal(`arn:aws:s3:::${ADOPTED}`);
            expect(ofType(BUCKET).filter((r) => !r.read).map((r) => r.inputs.bucket).sort()).to.deep.equal([
                "acme-data-crrlab-us-west-2",
                "logging-acme-data-us-east-2",
                "logging-acme-data-us-west-2",
            ]);
        });

        it("keeps versioning, the public access block and ownership controls on the bucket when the stack lets go of it", () => {
            for (const [type, suffix] of [
                ["aws:s3/bucketVersioning:BucketVersioning", "versioning"],
                ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access-block"],
                ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership-controls"],
            ]) {
                const adopted = find(type, `ad-primary-bucket-${suffix}`);
                expect(adopted.inputs.bucket, type).to.equal(ADOPTED);
                expect(adopted.retainOnDelete, type).to.equal(true);
                expect(find(type, `ad-secondary-bucket-${suffix}`).retainOnDelete, type).to.equal(false);
            }
            // Policy and encryption are the component's own: destroy deletes them.
            expect(find(POLICY, "ad-primary-bucket-policy").retainOnDelete).to.equal(false);
        });

        it("writes one bucket policy: the TLS-only Deny first, the bucket's own statement after it", () => {
            const policy = JSON.parse(find(POLICY, "ad-primary-bucket-policy").inputs.policy);
            expect(policy.Statement).to.deep.equal([iam.denyInsecureTransportStatement(`arn:aws:s3:::${ADOPTED}`), READER]);
        });

        it("merges the bucket's lifecycle rule after the component's, in one configuration ordered after replication", () => {
            const lifecycle = find(LIFECYCLE, "ad-primary-bucket-lifecycle");
            expect(lifecycle.inputs.bucket).to.equal(ADOPTED);
            expect(lifecycle.inputs.rules.map((r: { id: string }) => r.id)).to.deep.equal(["expire-noncurrent-versions", "expire-tmp"]);
            expect(lifecycle.inputs.rules[1]).to.deep.equal(TMP_RULE);
            expect(dependencyNames(lifecycle)).to.include(`${REPLICATION}::ad-primary-replication`);
        });

        it("carries the bucket's queue into the one notification configuration, next to the alerts topic", () => {
            const notification = find(NOTIFICATION, "ad-primary-bucket-notification");
            expect(notification.inputs.bucket).to.equal(ADOPTED);
            expect(notification.inputs.queues).to.deep.equal([QUEUE]);
            expect(notification.inputs.topics).to.have.length(1);
        });

        it("replicates the adopted bucket to the other side's, naming it in the role's policy", () => {
            const config = find(REPLICATION, "ad-primary-replication");
            expect(config.inputs.bucket).to.equal(ADOPTED);
            const policy = JSON.parse(find("aws:iam/rolePolicy:RolePolicy", "ad-primary-replication-role-policy").inputs.policy);
            expect(policy.Statement[0]).to.deep.include({ Sid: "ReadReplicationConfiguration", Resource: `arn:aws:s3:::${ADOPTED}` });
            const inbound = JSON.parse(find("aws:iam/rolePolicy:RolePolicy", "ad-secondary-replication-role-policy").inputs.policy);
            expect(inbound.Statement.find((s: { Sid: string }) => s.Sid === "WriteReplicas").Resource).to.deep.equal([`arn:aws:s3:::${ADOPTED}/*`]);
        });

        it("puts the adopted bucket's access logs under its own name in the logging bucket", () => {
            expect(find("aws:s3/bucketLogging:BucketLogging", "ad-primary-bucket-access-logging").inputs.targetPrefix).to.equal(`s3-access-logs/${ADOPTED}/`);
        });

        it("creates a Batch Replication role over the adopted bucket, with the logging bucket's report prefix", () => {
            const role = find("aws:iam/role:Role", "ad-primary-batch-replication-role");
            expect(role.inputs.name).to.equal("acme-data-s3batch-us-east-2");
            expect(JSON.parse(role.inputs.assumeRolePolicy)).to.deep.equal({
                Version: "2012-10-17",
                Statement: [{ Sid: "AssumedOnlyByBatchoperations", Effect: "Allow", Principal: { Service: "batchoperations.s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            const policy = JSON.parse(find("aws:iam/rolePolicy:RolePolicy", "ad-primary-batch-replication-role-policy").inputs.policy);
            expect(policy.Statement).to.deep.equal([
                { Sid: "InitiateReplication", Effect: "Allow", Action: ["s3:InitiateReplication"], Resource: `arn:aws:s3:::${ADOPTED}/*` },
                { Sid: "GenerateManifest", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], Resource: `arn:aws:s3:::${ADOPTED}` },
                { Sid: "ReadManifest", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "arn:aws:s3:::logging-acme-data-us-east-2/batch-replication/*" },
                { Sid: "WriteManifestAndReport", Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::logging-acme-data-us-east-2/batch-replication/*" },
            ]);
        });

        it("lets the Batch Replication role write and read back under batch-replication/ in the logging bucket, after the role exists", () => {
            const logging = find(POLICY, "ad-primary-logging-bucket-policy");
            const statement = JSON.parse(logging.inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === "BatchReplicationReports");
            expect(statement).to.deep.equal({
                Sid: "BatchReplicationReports",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/acme-data-s3batch-us-east-2` },
                Action: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"],
                Resource: "arn:aws:s3:::logging-acme-data-us-east-2/batch-replication/*",
            });
            expect(dependencyNames(logging)).to.include("aws:iam/role:Role::ad-primary-batch-replication-role");
        });

        it("gives a side's batchReplicationRoleArn output only with the option", () => {
            expect(registered().filter((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("batch-replication-role")).map((r) => r.name).sort()).to.deep.equal([
                "ad-primary-batch-replication-role",
                "ad-secondary-batch-replication-role",
            ]);
        });
    });

    describe("checks before anything is registered", () => {
        it("refuses a name that is not an S3 bucket name, saying why", () => {
            expect(problems({ existingBucket: "Orders_Data" })).to.deep.equal([
                "primary.existingBucket: 'Orders_Data' is not an S3 bucket name: it may contain only lowercase letters, digits, '.' and '-'; it must begin and end with a lowercase letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)",
            ]);
        });

        it("refuses one bucket adopted by two sides", () => {
            const both = crrPairArgProblems(
                { ...args({ existingBucket: ADOPTED }), secondary: { provider: undefined!, region: "us-west-2", existingBucket: ADOPTED } } as never,
                { checkProviders: false },
            );
            expect(both.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([
                `secondary.existingBucket: must differ from primary.existingBucket ('${ADOPTED}'): each side replicates its own bucket`,
            ]);
        });

        it("refuses a statement whose Sid is one of the component's, naming the Sid", () => {
            expect(problems({ existingBucket: ADOPTED, bucketPolicyStatements: [READER, { ...READER, Sid: "DenyInsecureTransport" }] })).to.deep.equal([
                `primary.bucketPolicyStatements[1].Sid: is 'DenyInsecureTransport', a Sid of the component's own statements in the bucket policy (${COMPONENT_BUCKET_POLICY_SIDS.join(", ")}): rename the bucket's statement`,
            ]);
        });

        it("refuses a statement without a valid Effect", () => {
            expect(problems({ bucketPolicyStatements: [{ ...READER, Effect: "allow" }] })).to.deep.equal(["primary.bucketPolicyStatements[0].Effect: must be 'Allow' or 'Deny', got 'allow'"]);
        });

        it("refuses lifecycle rules without an id, with the component's id, twice the same id, or a bad status", () => {
            expect(
                problems({
                    lifecycleRules: [{ status: "Enabled" }, { ...TMP_RULE, id: "expire-noncurrent-versions" }, TMP_RULE, { ...TMP_RULE, status: "On" }],
                }),
            ).to.deep.equal([
                "primary.lifecycleRules[0].id: must be a rule id of 1 to 255 characters, got undefined",
                "primary.lifecycleRules[1].id: is 'expire-noncurrent-versions', the id of the component's own rule (option versionLifecycle): rename the bucket's rule",
                "primary.lifecycleRules[3].id: is 'expire-tmp', also lifecycleRules[2]'s: S3 needs each rule id once in a configuration",
                "primary.lifecycleRules[3].status: must be 'Enabled' or 'Disabled', got 'On'",
            ]);
        });

        it("refuses onRemoval 'empty' on a mesh side that adopted its bucket", () => {
            const mesh = crrMeshArgProblems(
                {
                    namingPrefix: "acme-data",
                    sides: [
                        { provider: undefined!, region: "us-east-2", existingBucket: ADOPTED, onRemoval: "empty" },
                        { provider: undefined!, region: "us-west-2" },
                    ],
                } as never,
                { checkProviders: false },
            );
            expect(mesh.map((p) => `${p.path}: ${p.message}`)).to.deep.equal([
                "sides[0].onRemoval: must not be 'empty' with existingBucket: the stack never deletes an adopted bucket or its objects; use 'retain'",
            ]);
        });
    });

    it("lists as the component's Sids exactly those its bucket policy can hold", () => {
        const full = iam.replicatedBucketPolicy("arn:aws:s3:::b", ["arn:aws:iam::111111111111:role/r"], { partition: "aws", ownerAccountId: "222222222222" });
        expect(full.Statement.map((s) => s.Sid).sort()).to.deep.equal([...COMPONENT_BUCKET_POLICY_SIDS].sort());
    });

    it("refuses, in the document builder too, a statement of the component's Sid", () => {
        expect(() => iam.withOwnStatements(iam.replicatedBucketPolicy("arn:aws:s3:::b"), [{ Sid: "DenyInsecureTransport", Effect: "Allow" }])).to.throw(
            "bucketPolicyStatements: Sid 'DenyInsecureTransport' is one of the component's own statements",
        );
    });
});
