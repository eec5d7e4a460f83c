/**
 * `npm run adopt` against scripted S3 (aws-sdk-client-mock): the conversions from the API's shapes into the
 * stack configuration's, a bucket whose policy, lifecycle rules and notifications are kept, each refusal,
 * the warnings, a bucket adopted before, and that nothing but Get/List calls is made.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import {
    GetBucketAclCommand,
    GetBucketCorsCommand,
    GetBucketEncryptionCommand,
    GetBucketLifecycleConfigurationCommand,
    GetBucketLocationCommand,
    GetBucketLoggingCommand,
    GetBucketNotificationConfigurationCommand,
    GetBucketOwnershipControlsCommand,
    GetBucketPolicyCommand,
    GetBucketReplicationCommand,
    GetBucketTaggingCommand,
    GetBucketVersioningCommand,
    GetBucketWebsiteCommand,
    GetObjectLockConfigurationCommand,
    GetPublicAccessBlockCommand,
    FilterRuleName,
    LifecycleRule,
    ListBucketAnalyticsConfigurationsCommand,
    ListBucketInventoryConfigurationsCommand,
    NotificationConfiguration,
    ReplicationConfiguration,
    S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { EXIT, main } from "../../tools/adopt/cli";
import { lifecycleRule, notifications, regionOfLocation } from "../../tools/adopt/convert";
import { captured } from "../cli/streams";
import { readSettings, adoptedSide } from "../../program/settings";
import { crrPairArgProblems } from "../../components/model/validation";
import { PROJECT } from "../support/mocks";

const ACCOUNT = "111122223333";
const BUCKET = "acme-invoices";
const OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/** A real GetBucketLifecycleConfiguration answer: one rule per filter kind the API has. */
const LIFECYCLE: LifecycleRule[] = [
    {
        ID: "archive-logs",
        Status: "Enabled",
        Filter: { Prefix: "logs/" },
        Transitions: [
            { Days: 30, StorageClass: "STANDARD_IA" },
            { Days: 365, StorageClass: "GLACIER" },
        ],
        Expiration: { Days: 3650 },
    },
    {
        ID: "tmp-by-tag",
        Status: "Disabled",
        Filter: { And: { Prefix: "tmp/", Tags: [{ Key: "scratch", Value: "yes" }], ObjectSizeGreaterThan: 1024 } },
        Expiration: { Date: new Date("2027-01-01T00:00:00.000Z") },
        NoncurrentVersionTransitions: [{ NoncurrentDays: 10, NewerNoncurrentVersions: 2, StorageClass: "GLACIER_IR" }],
        NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 3 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 5 },
    },
    { ID: "one-tag", Status: "Enabled", Filter: { Tag: { Key: "class", Value: "transient" } }, Expiration: { Days: 1 } },
];

const TOPIC = `arn:aws:sns:us-east-2:${ACCOUNT}:invoice-events`;
const QUEUE = `arn:aws:sqs:us-east-2:${ACCOUNT}:invoice-index`;
const LAMBDA = `arn:aws:lambda:us-east-2:${ACCOUNT}:function:thumbnail`;
/** A key filter rule as S3 answers it: `Prefix`/`Suffix` capitalised, though the SDK's type spells them lowercase. */
const rule = (Name: string, Value: string) => ({ Name: Name as FilterRuleName, Value });
const NOTIFICATIONS: NotificationConfiguration = {
    TopicConfigurations: [{ Id: "new-invoices", TopicArn: TOPIC, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [rule("Prefix", "invoices/")] } } }],
    QueueConfigurations: [
        {
            Id: "index",
            QueueArn: QUEUE,
            Events: ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"],
            Filter: { Key: { FilterRules: [rule("Prefix", "invoices/"), rule("Suffix", ".pdf")] } },
        },
    ],
    LambdaFunctionConfigurations: [{ Id: "thumbs", LambdaFunctionArn: LAMBDA, Events: ["s3:ObjectCreated:*"] }],
};

const READ_ONLY_STATEMENT = {
    Sid: "AnalyticsRead",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analytics` },
    Action: ["s3:GetObject", "s3:ListBucket"],
    Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
};

interface Bucket {
    location?: string | null;
    versioning?: "Enabled" | "Suspended";
    sse?: { SSEAlgorithm: "AES256" | "aws:kms"; KMSMasterKeyID?: string };
    objectLock?: boolean;
    ownership?: "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
    grants?: { URI?: string; ID?: string; Permission: string }[];
    blockAll?: boolean;
    statements?: Record<string, unknown>[];
    lifecycle?: LifecycleRule[];
    /** The lifecycle configuration's TransitionDefaultMinimumObjectSize. */
    lifecycleMinimumSize?: "varies_by_storage_class" | "all_storage_classes_128K";
    notifications?: NotificationConfiguration;
    replication?: ReplicationConfiguration;
    logging?: { TargetBucket: string; TargetPrefix: string };
    tags?: number;
    cors?: boolean;
}

/** One S3 client per region, scripted for `b` in its region; `calls` records every command by name and region. */
function world(b: Bucket) {
    const calls: string[] = [];
    const s3 = (region: string) => {
        const client = new S3Client({ region, credentials });
        const m = mockClient(client);
        const notFound = (name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });
        m.onAnyCommand().callsFake((input) => {
            throw new Error(`unscripted call ${JSON.stringify(input)}`);
        });
        const on = <T>(command: new (input: any) => any, answer: () => T) =>
            m.on(command as never).callsFake(async (input: { Bucket: string }) => {
                calls.push(`${(command as { name: string }).name}@${region}`);
                expect(input.Bucket).to.equal(BUCKET);
                return answer();
            });
        on(GetBucketLocationCommand, () => ({ LocationConstraint: b.location }));
        on(GetBucketVersioningCommand, () => (b.versioning ? { Status: b.versioning } : {}));
        on(GetBucketEncryptionCommand, () => ({
            ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: b.sse ?? { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }] },
        }));
        on(GetObjectLockConfigurationCommand, () => {
            if (!b.objectLock) {
                throw notFound("ObjectLockConfigurationNotFoundError");
            }
            return { ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } };
        });
        on(GetBucketOwnershipControlsCommand, () => {
            if (!b.ownership) {
                throw notFound("OwnershipControlsNotFoundError");
            }
            return { OwnershipControls: { Rules: [{ ObjectOwnership: b.ownership }] } };
        });
        on(GetBucketAclCommand, () => ({
            Owner: { ID: OWNER },
            Grants: [
                { Grantee: { Type: "CanonicalUser", ID: OWNER }, Permission: "FULL_CONTROL" },
                ...(b.grants ?? []).map((g) => ({ Grantee: g.URI ? { Type: "Group", URI: g.URI } : { Type: "CanonicalUser", ID: g.ID }, Permission: g.Permission })),
            ],
        }));
        on(GetPublicAccessBlockCommand, () => {
            if (b.blockAll === false) {
                throw notFound("NoSuchPublicAccessBlockConfiguration");
            }
            return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } };
        });
        on(GetBucketPolicyCommand, () => {
            if (!b.statements) {
                throw notFound("NoSuchBucketPolicy");
            }
            return { Policy: JSON.stringify({ Version: "2012-10-17", Statement: b.statements }) };
        });
        on(GetBucketLifecycleConfigurationCommand, () => {
            if (!b.lifecycle) {
                throw notFound("NoSuchLifecycleConfiguration");
            }
            return { Rules: b.lifecycle, ...(b.lifecycleMinimumSize ? { TransitionDefaultMinimumObjectSize: b.lifecycleMinimumSize } : {}) };
        });
        on(GetBucketNotificationConfigurationCommand, () => b.notifications ?? {});
        on(GetBucketReplicationCommand, () => {
            if (!b.replication) {
                throw notFound("ReplicationConfigurationNotFoundError");
            }
            return { ReplicationConfiguration: b.replication };
        });
        on(GetBucketLoggingCommand, () => (b.logging ? { LoggingEnabled: b.logging } : {}));
        on(GetBucketTaggingCommand, () => {
            if (!b.tags) {
                throw notFound("NoSuchTagSet");
            }
            return { TagSet: Array.from({ length: b.tags }, (_, i) => ({ Key: `k${i}`, Value: "v" })) };
        });
        on(GetBucketCorsCommand, () => {
            if (!b.cors) {
                throw notFound("NoSuchCORSConfiguration");
            }
            return { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["https://example.com"] }] };
        });
        on(GetBucketWebsiteCommand, () => {
            throw notFound("NoSuchWebsiteConfiguration");
        });
        on(ListBucketInventoryConfigurationsCommand, () => ({}));
        on(ListBucketAnalyticsConfigurationsCommand, () => ({}));
        return client;
    };
    return { calls, deps: { s3, account: async () => ACCOUNT } };
}

const GOOD: Bucket = {
    versioning: "Enabled",
    ownership: "BucketOwnerEnforced",
    statements: [READ_ONLY_STATEMENT],
    lifecycle: LIFECYCLE,
    notifications: NOTIFICATIONS,
};

async function run(b: Bucket, extra: string[] = ["--region", "us-east-2"]) {
    const w = world(b);
    const io = captured();
    const code = await main(["--bucket", BUCKET, ...extra], io, w.deps);
    return { code, io, calls: w.calls };
}

async function runJson(b: Bucket, extra: string[] = ["--region", "us-east-2"]) {
    const r = await run(b, [...extra, "--json", "-"]);
    return { ...r, json: JSON.parse(r.io.out) };
}

describe("adopt: conversions from the S3 API into the provider's shapes", () => {
    it("lifecycle rules: prefix filter and transitions; And with tags (a list becomes a map), a date at midnight UTC, noncurrent settings; a lone tag", () => {
        expect(LIFECYCLE.map(lifecycleRule)).to.deep.equal([
            {
                id: "archive-logs",
                status: "Enabled",
                filter: { prefix: "logs/" },
                transitions: [
                    { days: 30, storageClass: "STANDARD_IA" },
                    { days: 365, storageClass: "GLACIER" },
                ],
                expiration: { days: 3650 },
            },
            {
                id: "tmp-by-tag",
                status: "Disabled",
                filter: { and: { prefix: "tmp/", tags: { scratch: "yes" }, objectSizeGreaterThan: 1024 } },
                expiration: { date: "2027-01-01T00:00:00Z" },
                noncurrentVersionTransitions: [{ noncurrentDays: 10, newerNoncurrentVersions: 2, storageClass: "GLACIER_IR" }],
                noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 3 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 5 },
            },
            { id: "one-tag", status: "Enabled", filter: { tag: { key: "class", value: "transient" } }, expiration: { days: 1 } },
        ]);
    });

    it("notifications: topic, queue and function with their ids, events and prefix/suffix filters (either case of the rule name)", () => {
        expect(notifications(NOTIFICATIONS)).to.deep.equal({
            topics: [{ id: "new-invoices", events: ["s3:ObjectCreated:*"], filterPrefix: "invoices/", topicArn: TOPIC }],
            queues: [{ id: "index", events: ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"], filterPrefix: "invoices/", filterSuffix: ".pdf", queueArn: QUEUE }],
            lambdaFunctions: [{ id: "thumbs", events: ["s3:ObjectCreated:*"], lambdaFunctionArn: LAMBDA }],
        });
        expect(notifications({ QueueConfigurations: [{ QueueArn: QUEUE, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [rule("suffix", ".csv")] } } }] })).to.deep.equal({
            queues: [{ events: ["s3:ObjectCreated:*"], filterSuffix: ".csv", queueArn: QUEUE }],
        });
    });

    it("GetBucketLocation: no constraint (null or empty) is us-east-1, the legacy EU is eu-west-1, any other is itself", () => {
        expect(regionOfLocation(null)).to.equal("us-east-1");
        expect(regionOfLocation("")).to.equal("us-east-1");
        expect(regionOfLocation(undefined)).to.equal("us-east-1");
        expect(regionOfLocation("EU")).to.equal("eu-west-1");
        expect(regionOfLocation("ap-southeast-2")).to.equal("ap-southeast-2");
    });
});

describe("npm run adopt", () => {
    it("keeps a bucket's policy statements, lifecycle rules and notification targets in s3-crr:existingBuckets under its region, as YAML to paste", async () => {
        const { code, io } = await run(GOOD);
        expect(code, io.err).to.equal(EXIT.adoptable);
        expect(io.out.split("\n").slice(0, 2)).to.deep.equal([
            `# Adopts ${BUCKET} (us-east-2): merge into Pulumi.<stack>.yaml (under config:), then plan and deploy.`,
            "# us-east-2 must be one of the stack's regions (primaryRegion/secondaryRegion, or regions).",
        ]);
        const config = (yaml.load(io.out) as { config: Record<string, any> }).config;
        expect(Object.keys(config)).to.deep.equal(["s3-crr:existingBuckets", "s3-crr:batchReplication"]);
        expect(config["s3-crr:batchReplication"]).to.equal(true);
        const entry = config["s3-crr:existingBuckets"]["us-east-2"];
        expect(entry.bucket).to.equal(BUCKET);
        expect(entry.policyStatements).to.deep.equal([READ_ONLY_STATEMENT]);
        expect(entry.lifecycleRules.map((r: { id: string }) => r.id)).to.deep.equal(["archive-logs", "tmp-by-tag", "one-tag"]);
        expect(entry.lifecycleRules[1].expiration).to.deep.equal({ date: "2027-01-01T00:00:00Z" });
        expect(entry.notifications.topics[0].topicArn).to.equal(TOPIC);
        expect(entry.notifications.queues[0].queueArn).to.equal(QUEUE);
        expect(entry.notifications.lambdaFunctions[0].lambdaFunctionArn).to.equal(LAMBDA);
        // Lifecycle rules and a Batch Replication job: AWS's recommendation is named.
        expect(io.err).to.contain("warning (lifecycle-during-backfill): 3 lifecycle rule(s) carried");
    });

    it("prints a block the stack program reads as it is, and the component accepts (names, Sids, ids)", async () => {
        const { io } = await run(GOOD);
        const config = (yaml.load(io.out) as { config: Record<string, unknown> }).config;
        const values: Record<string, string> = { namingPrefix: "acme-adopt" };
        for (const [key, value] of Object.entries(config)) {
            values[key.replace(/^s3-crr:/, "")] = JSON.stringify(value);
        }
        const settings = readSettings((key) => values[key], PROJECT);
        expect(settings.existingBuckets?.["us-east-2"]?.bucket).to.equal(BUCKET);
        const side = adoptedSide(settings, "us-east-2");
        expect(side.existingBucket).to.equal(BUCKET);
        // Every check the component runs on its arguments before registering anything (providers aside).
        const problems = crrPairArgProblems(
            {
                namingPrefix: "acme-adopt",
                primary: { provider: undefined!, region: "us-east-2", ...side },
                secondary: { provider: undefined!, region: "us-west-2" },
            } as never,
            { checkProviders: false },
        );
        expect(problems).to.deep.equal([]);
        expect((side.lifecycleRules ?? []).map((r) => r.id)).to.deep.equal(["archive-logs", "tmp-by-tag", "one-tag"]);
    });

    it("makes only Get and List calls, all in the bucket's region", async () => {
        const { calls } = await run(GOOD);
        expect(calls.every((c) => /^(Get|List)\w+Command@us-east-2$/.test(c)), calls.join(", ")).to.equal(true);
        expect(calls).to.have.length(16);
    });

    it("--json -: the same configuration and every finding", async () => {
        const { code, json } = await runJson({ ...GOOD, versioning: "Suspended", tags: 2, cors: true });
        expect(code).to.equal(EXIT.adoptable);
        expect(json.adoptable).to.equal(true);
        expect(json.region).to.equal("us-east-2");
        expect(json.config["s3-crr:existingBuckets"]["us-east-2"].policyStatements).to.deep.equal([READ_ONLY_STATEMENT]);
        expect(json.warnings.map((w: { reason: string }) => w.reason)).to.deep.equal(["versioning", "lifecycle-during-backfill"]);
        expect(json.warnings[0].message).to.contain("versioning is Suspended: the stack enables it");
        expect(json.untouched.map((u: { reason: string }) => u.reason)).to.deep.equal(["encryption", "tags", "cors"]);
        expect(json.untouched[2].message).to.equal("a CORS configuration: the stack has no CORS resource");
        expect(json.refusals).to.deep.equal([]);
    });

    it("finds the region with GetBucketLocation (asked in us-east-1) when --region is not given: the legacy EU answer is eu-west-1", async () => {
        const { code, json, calls } = await runJson({ ...GOOD, location: "EU" }, []);
        expect(code).to.equal(EXIT.adoptable);
        expect(calls[0]).to.equal("GetBucketLocationCommand@us-east-1");
        expect(calls.slice(1).every((c) => c.endsWith("@eu-west-1"))).to.equal(true);
        expect(Object.keys(json.config["s3-crr:existingBuckets"])).to.deep.equal(["eu-west-1"]);
    });

    it("warns of what the stack changes: SSE-KMS with a key of the account, ACL-based ownership without foreign grants, an open public access block, access logs elsewhere, EventBridge (then set on)", async () => {
        const key = `arn:aws:kms:us-east-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const { code, json } = await runJson({
            versioning: "Enabled",
            sse: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key },
            ownership: "BucketOwnerPreferred",
            blockAll: false,
            logging: { TargetBucket: "acme-logs", TargetPrefix: "invoices/" },
            notifications: { EventBridgeConfiguration: {} },
        });
        expect(code).to.equal(EXIT.adoptable);
        expect(json.warnings.map((w: { reason: string }) => w.reason)).to.deep.equal(["encryption", "object-ownership", "public-access-block", "logging", "eventbridge"]);
        expect(json.warnings[0].message).to.contain(`aws:kms with ${key}; the stack writes its own default for new objects`);
        expect(json.warnings[0].message).to.contain(`which the stack's rules do only with s3-crr:encryption aws:kms; and the stack's replication role may decrypt only the stack's keys, so ${key}'s key policy`);
        expect(json.warnings[1].message).to.contain("Object Ownership is BucketOwnerPreferred: the stack sets BucketOwnerEnforced");
        expect(json.warnings[2].message).to.equal("BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets are off: the stack turns all four on; public access through ACLs or the policy stops.");
        expect(json.warnings[3].message).to.contain("acme-logs/invoices/");
        expect(json.config["s3-crr:eventBridgeNotifications"]).to.equal(true);
        expect(json.config["s3-crr:existingBuckets"]["us-east-2"]).to.deep.equal({ bucket: BUCKET });
    });

    it("SSE-KMS with the AWS managed key: a warning that only s3-crr:encryption aws:kms replicates those objects, no key policy to change", async () => {
        const { code, json } = await runJson({ ...GOOD, sse: { SSEAlgorithm: "aws:kms" } });
        expect(code).to.equal(EXIT.adoptable);
        const w = json.warnings.find((x: { reason: string }) => x.reason === "encryption");
        expect(w.message).to.match(/^the bucket's default encryption is aws:kms with the AWS managed key aws\/s3; /);
        expect(w.message.endsWith("which the stack's rules do only with s3-crr:encryption aws:kms.")).to.equal(true);
    });

    describe("refuses, naming the reason, with exit 1 and no configuration on standard output", () => {
        const cases: { name: string; bucket: Bucket; reason: string; says: string }[] = [
            {
                name: "a replication configuration to other destinations",
                bucket: { ...GOOD, replication: { Role: `arn:aws:iam::${ACCOUNT}:role/legacy-replication`, Rules: [{ ID: "to-dr", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::acme-dr" } }] } },
                reason: "replication-to-other-destinations",
                says: "the bucket already replicates to arn:aws:s3:::acme-dr",
            },
            {
                name: "ACLs granting others (the log delivery group) under BucketOwnerPreferred",
                bucket: { ...GOOD, ownership: "BucketOwnerPreferred", grants: [{ URI: "http://acs.amazonaws.com/groups/s3/LogDelivery", Permission: "WRITE" }] },
                reason: "acls-in-use",
                says: "the bucket ACL grants http://acs.amazonaws.com/groups/s3/LogDelivery (WRITE)",
            },
            { name: "Object Lock", bucket: { ...GOOD, objectLock: true }, reason: "object-lock", says: "s3:GetObjectRetention and s3:GetObjectLegalHold" },
            { name: "Object Lock on an unversioned bucket", bucket: { ...GOOD, versioning: undefined, objectLock: true }, reason: "unversioned-object-lock", says: "versioning is not Enabled" },
            {
                name: "a default KMS key of another account",
                bucket: { ...GOOD, sse: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:us-east-2:444455556666:key/abcd" } },
                reason: "kms-key-other-account",
                says: `is in account 444455556666, not ${ACCOUNT}`,
            },
            {
                name: "a public policy statement",
                bucket: { ...GOOD, statements: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] },
                reason: "public-policy",
                says: "'PublicRead' allows everyone without a condition",
            },
            {
                name: "a grant to everyone held only by aws:Referer, which S3 does not count as restricting",
                bucket: {
                    ...GOOD,
                    statements: [{ Sid: "RefererRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringLike: { "aws:Referer": "https://example.com/*" } } }],
                },
                reason: "public-policy",
                says: "'RefererRead' allows everyone without a condition that holds it to fixed values",
            },
            {
                name: "a grant to every IP address (aws:SourceIp 0.0.0.0/0)",
                bucket: {
                    ...GOOD,
                    statements: [{ Sid: "AnyIp", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } } }],
                },
                reason: "public-policy",
                says: "'AnyIp' allows everyone",
            },
            {
                name: "an Allow with NotPrincipal (everyone but the principals named)",
                bucket: {
                    ...GOOD,
                    statements: [{ Sid: "AllButAudit", Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/audit` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
                },
                reason: "public-policy",
                says: "'AllButAudit' allows everyone",
            },
            {
                name: "a statement with the stack's Sid and other content",
                bucket: { ...GOOD, statements: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] },
                reason: "policy-sid-collision",
                says: "'DenyInsecureTransport'",
            },
            {
                name: "a lifecycle rule with the stack's rule id and other content",
                bucket: { ...GOOD, lifecycle: [{ ID: "expire-noncurrent-versions", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 7 } }] },
                reason: "lifecycle-id-collision",
                says: "'expire-noncurrent-versions'",
            },
            {
                name: "a notification with the stack's id and other events",
                bucket: { ...GOOD, notifications: { TopicConfigurations: [{ Id: "replication-events", TopicArn: TOPIC, Events: ["s3:ObjectCreated:*"] }] } },
                reason: "notification-id-collision",
                says: "'replication-events'",
            },
        ];
        for (const c of cases) {
            it(`${c.reason}: ${c.name}`, async () => {
                const { code, io } = await run(c.bucket);
                expect(code).to.equal(EXIT.refused);
                expect(io.out).to.equal("");
                const line = io.err.split("\n").find((l) => l.startsWith(`refused (${c.reason}): `));
                expect(line, io.err).to.not.equal(undefined);
                expect(line).to.contain(c.says);
                expect(io.err).to.contain(`${BUCKET} cannot be adopted as it is: ${c.reason}\n`);
                const { json } = await runJson(c.bucket);
                expect(json.adoptable).to.equal(false);
                expect(json.refusals.map((r: { reason: string }) => r.reason)).to.deep.equal([c.reason]);
            });
        }
    });

    it("warns that a lifecycle configuration transitioning small objects (varies_by_storage_class) is written with the default, 128 KB", async () => {
        const { code, json } = await runJson({ ...GOOD, lifecycleMinimumSize: "varies_by_storage_class" });
        expect(code).to.equal(EXIT.adoptable);
        expect(json.warnings.filter((w: { reason: string }) => w.reason === "lifecycle-minimum-size").map((w: { message: string }) => w.message)).to.deep.equal([
            "the lifecycle configuration has TransitionDefaultMinimumObjectSize varies_by_storage_class; the stack's lifecycle configuration is written with " +
                "the default, all_storage_classes_128K, so objects under 128 KB stop transitioning between storage classes.",
        ]);
        expect((await runJson({ ...GOOD, lifecycleMinimumSize: "all_storage_classes_128K" })).json.warnings.map((w: { reason: string }) => w.reason)).to.not.include("lifecycle-minimum-size");
    });

    it("carries a grant to everyone held to a fixed VPC endpoint, and leaves out principals that were deleted (their unique ids), warning of each", async () => {
        const vpce = { Sid: "FromEndpoint", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } };
        // Everyone, held to one principal by its ARN: not public for S3 either.
        const byArn = { Sid: "OneRole", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:role/etl` } } };
        const role = `arn:aws:iam::${ACCOUNT}:role/reader`;
        const { code, json } = await runJson({
            ...GOOD,
            statements: [
                vpce,
                byArn,
                { Sid: "Readers", Effect: "Allow", Principal: { AWS: ["AROAEXAMPLEID1234567", role] }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` },
                { Sid: "GoneWriter", Effect: "Allow", Principal: { AWS: "AIDAEXAMPLEID7654321" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` },
            ],
        });
        expect(code).to.equal(EXIT.adoptable);
        expect(json.config["s3-crr:existingBuckets"]["us-east-2"].policyStatements).to.deep.equal([
            vpce,
            byArn,
            { Sid: "Readers", Effect: "Allow", Principal: { AWS: role }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` },
        ]);
        expect(json.warnings.filter((w: { reason: string }) => w.reason === "deleted-principal").map((w: { message: string }) => w.message)).to.deep.equal([
            "the policy statement 'Readers' names AROAEXAMPLEID1234567, the unique id S3 shows for an IAM principal that was deleted; S3 refuses it in a new policy, so it is left out of the statement.",
            "the policy statement 'GoneWriter' names AIDAEXAMPLEID7654321, the unique id S3 shows for an IAM principal that was deleted; S3 refuses it in a new policy, so the statement, which grants nobody else, is left out.",
        ]);
    });

    it("a bucket adopted before: the stack's own statement, rule, notification and replication are left out, the user's kept", async () => {
        const arn = `arn:aws:s3:::${BUCKET}`;
        const { code, json } = await runJson({
            ...GOOD,
            statements: [
                // As S3 may give it back: everyone spelt { AWS: "*" }, resources in another order, a one-value list.
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [`${arn}/*`, arn], Condition: { Bool: { "aws:SecureTransport": ["false"] } } },
                READ_ONLY_STATEMENT,
            ],
            lifecycle: [
                {
                    ID: "expire-noncurrent-versions",
                    Status: "Enabled",
                    Filter: { Prefix: "" },
                    NoncurrentVersionExpiration: { NoncurrentDays: 30 },
                    Expiration: { ExpiredObjectDeleteMarker: true },
                    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
                },
                LIFECYCLE[0],
            ],
            notifications: {
                TopicConfigurations: [
                    { Id: "replication-events", TopicArn: `arn:aws:sns:us-east-2:${ACCOUNT}:acme-crr-alerts`, Events: ["s3:Replication:OperationFailedReplication"] },
                    ...NOTIFICATIONS.TopicConfigurations!,
                ],
            },
            replication: {
                Role: `arn:aws:iam::${ACCOUNT}:role/acme-s3crr-us-east-2`,
                Rules: [{ ID: "us-east-2-to-us-west-2", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::acme-crrlab-us-west-2" } }],
            },
        });
        expect(code).to.equal(EXIT.adoptable);
        expect(json.alreadyManaged).to.deep.equal([
            "replication configuration (rules written by this stack)",
            "policy statement DenyInsecureTransport",
            "lifecycle rule expire-noncurrent-versions",
            "notification replication-events",
        ]);
        const entry = json.config["s3-crr:existingBuckets"]["us-east-2"];
        expect(entry.policyStatements).to.deep.equal([READ_ONLY_STATEMENT]);
        expect(entry.lifecycleRules.map((r: { id: string }) => r.id)).to.deep.equal(["archive-logs"]);
        expect(entry.notifications).to.deep.equal({ topics: [{ id: "new-invoices", events: ["s3:ObjectCreated:*"], filterPrefix: "invoices/", topicArn: TOPIC }] });
    });

    it("checks the command line before any call: --bucket required and a valid name, --region a region, --account 12 digits", async () => {
        const w = world(GOOD);
        const io = captured();
        expect(await main(["--region", "us-east-9", "--account", "12345"], io, w.deps)).to.equal(EXIT.couldNotRun);
        expect(io.err.split("\n").filter(Boolean)).to.deep.equal([
            "error: --bucket is required: the name of the bucket to adopt",
            "error: --region must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got 'us-east-9'; nearest: us-east-1, us-east-2, us-west-1",
            "error: --account '12345' is not an AWS account id (12 digits)",
        ]);
        expect(w.calls).to.deep.equal([]);
    });

    it("an AWS error (no such bucket) is named, exit 2", async () => {
        const client = new S3Client({ region: "us-east-2", credentials });
        mockClient(client).onAnyCommand().rejects(Object.assign(new Error("The specified bucket does not exist"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } }));
        const io = captured();
        expect(await main(["--bucket", BUCKET, "--region", "us-east-2"], io, { s3: () => client, account: async () => ACCOUNT })).to.equal(EXIT.couldNotRun);
        expect(io.err).to.equal("error: NoSuchBucket: The specified bucket does not exist\n");
    });
});
