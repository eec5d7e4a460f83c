/**
 * The replication corpus, run through the policy pack over the Analyzer gRPC protocol as `npm run plan` and
 * the Pulumi engine do (one pack process, one stack holding every case: Analyze for every resource, then AnalyzeStack).
 * Each case cites where it comes from (`source`): a provider issue or pull request, or the AWS page that says
 * the setup fails (or works), and belongs to one category of docs/policies.md's table. Each case lists every
 * diagnostic of the replication policies it must produce, on which resource, with the exact message; the
 * correct variants must produce none but a preview's "not proven yet".
 */
import { expect } from "chai";
import { Diagnostic } from "../../tools/plan/analyzer";
import { sharedPack } from "../support/pack";
import { Registration } from "../../tools/mocking";
import { Statement } from "../../policies/lib/model";
import { ACCOUNT, Arns, Built, CATEGORIES, Category, changeStatement, minimalStatements, oneWay, OTHER_ACCOUNT, s3Trust, UNKNOWN, withoutAction } from "./corpus";

const WORKS = "s3-replication-will-work";
const UNPROVEN = "s3-replication-will-work-unproven";
const PREREQUISITES = "s3-replication-prerequisites";
const CROSS_ACCOUNT = "s3-cross-account-replication";
const WATCHED = [WORKS, UNPROVEN, PREREQUISITES, CROSS_ACCOUNT];

/** [policy, resource name, message] */
type Expected = [string, string, string];

interface Case {
    readonly name: string;
    readonly category: Category;
    /** Where the mistake (or the correct variant) comes from. */
    readonly source: string;
    readonly build: () => Built;
    readonly expected: () => Expected[];
}

const crossAccountGrant = (a: Arns, actions = ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ReplicateDelete"], principal = a.role) => [
    { Sid: "ReplicationFromSource", Effect: "Allow", Principal: { AWS: principal }, Action: actions, Resource: `${a.destination}/*` },
    { Sid: "Versioning", Effect: "Allow", Principal: { AWS: principal }, Action: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"], Resource: a.destination },
];

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;

/** A trust policy for S3 under `condition`. */
const trustWith = (condition: Statement["Condition"]) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: condition }],
});
/** A bucket guard: every S3 action denied to every principal but `principals`. */
const adminsOnly = (bucket: string, principals: string[]): Statement => ({
    Sid: "AdminsOnly",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucket, `${bucket}/*`],
    Condition: { ArnNotLike: { "aws:PrincipalArn": principals } },
});
/** The replication writes, granted to the role in the destination's bucket policy. */
const bucketGrant = (a: Arns): Statement => ({
    Sid: "ReplicationRole",
    Effect: "Allow",
    Principal: { AWS: a.role },
    Action: ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ReplicateDelete"],
    Resource: `${a.destination}/*`,
});
const keyPolicy = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
/** The default key policy's statement: the account's IAM policies count. */
const rootStatement = (account = ACCOUNT): Statement => ({ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" });
const adminStatement = (): Statement => ({ Sid: "KeyAdministrators", Effect: "Allow", Principal: { AWS: ADMIN }, Action: "kms:*", Resource: "*" });
/** A key policy guard: the key used for data only through S3 of `region`. */
const onlyThroughS3 = (region: string): Statement => ({
    Sid: "OnlyThroughS3",
    Effect: "Deny",
    Principal: "*",
    Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringNotEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
});
/** The minimal statements with Object Lock's reads on the source's objects. */
const lockReads = (a: Arns) =>
    changeStatement(minimalStatements(a), "ReadObjects", (s) => ({ ...s, Action: [...(s.Action as string[]), "s3:GetObjectRetention", "s3:GetObjectLegalHold"] }));
/** A rule handing the replicas to the destination's owner (the cross-account option adds the account). */
const overrideRule = (a: Arns) => ({ destination: { bucket: a.destination, storageClass: "STANDARD", accessControlTranslation: { owner: "Destination" } } });
const overrideStatements = (a: Arns): Statement[] => [
    ...minimalStatements(a),
    { Sid: "OwnerOverride", Effect: "Allow", Action: "s3:ObjectOwnerOverrideToBucketOwner", Resource: `${a.destination}/*` },
];
/** AWS's destination bucket policy for the owner override: the override granted to the source's account. */
const ownerOverrideGrant = (a: Arns): Statement[] => [
    ...crossAccountGrant(a),
    { Sid: "OwnerOverride", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: ["s3:ObjectOwnerOverrideToBucketOwner"], Resource: `${a.destination}/*` },
];
/** A rule replicating one prefix, with its priority. */
const prefixRule = (a: Arns, prefix: string, priority: number) => ({
    id: prefix,
    priority,
    status: "Enabled",
    filter: { prefix: `${prefix}/` },
    deleteMarkerReplication: { status: "Disabled" },
    destination: { bucket: a.destination, storageClass: "STANDARD" },
});

const MISTAKES: Case[] = [
    {
        // A bucket encrypted with SSE-KMS by default, replicated without selecting SSE-KMS objects.
        name: "SSE-KMS source, rule without sseKmsEncryptedObjects",
        category: "sse-kms",
        source: "https://github.com/ministryofjustice/aws-root-account/pull/1014",
        build: () => oneWay("m01", { kms: true, rule: (a) => ({ sourceSelectionCriteria: undefined, destination: { bucket: a.destination } }) }),
        expected: () => [
            [WORKS, "m01-replication", "BucketReplicationConfig 'm01-replication': rule 'everything' does not select SSE-KMS objects while Bucket 'm01-src' encrypts new objects with SSE-KMS by default: objects encrypted with SSE-KMS will not be replicated to Bucket 'm01-dst'. Fix: set sourceSelectionCriteria.sseKmsEncryptedObjects.status to \"Enabled\" on rule 'everything' and name a replica key in destination.encryptionConfiguration.replicaKmsKeyId."],
        ],
    },
    {
        // A replica key given while the rule does not select SSE-KMS objects: S3 refuses the configuration.
        name: "replica key without selecting SSE-KMS objects",
        category: "deploy-time",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/26241",
        build: () =>
            oneWay("m02", {
                rule: (a) => ({
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Disabled" } },
                    destination: { bucket: a.destination, encryptionConfiguration: { replicaKmsKeyId: a.replicaKey } },
                }),
            }),
        expected: () => [
            [WORKS, "m02-replication", "BucketReplicationConfig 'm02-replication': rule 'everything' names a replica key but does not select SSE-KMS objects: S3 rejects the configuration. Fix: set sourceSelectionCriteria.sseKmsEncryptedObjects.status to \"Enabled\" on rule 'everything', or remove destination.encryptionConfiguration."],
        ],
    },
    {
        // SSE-KMS objects selected, no replica key named.
        name: "SSE-KMS selected without a replica key",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () => oneWay("m03", { kms: true, rule: (a) => ({ destination: { bucket: a.destination } }) }),
        expected: () => [
            [WORKS, "m03-replication", "BucketReplicationConfig 'm03-replication': rule 'everything' selects SSE-KMS objects but names no replica key: S3 rejects the configuration, and no SSE-KMS object is replicated to Bucket 'm03-dst'. Fix: set destination.encryptionConfiguration.replicaKmsKeyId to the ARN of a KMS key in us-west-2."],
        ],
    },
    {
        // KMS keys are regional: a key of another region is not found there.
        name: "replica key in the source's region",
        category: "sse-kms",
        source: "https://github.com/aws/aws-cli/issues/1517",
        build: () => oneWay("m04", { kms: true, replicaKeyRegion: "us-east-2" }),
        expected: () => [
            [WORKS, "m04-replication", "BucketReplicationConfig 'm04-replication': rule 'everything' encrypts replicas with key 'arn:aws:kms:us-east-2:111111111111:key/m04-replica-key' of us-east-2, but Bucket 'm04-dst' is in us-west-2: KMS keys are regional, so S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate. Fix: set replicaKmsKeyId to the ARN of a KMS key in us-west-2."],
        ],
    },
    {
        // The same, seen in a preview: the key's ARN is unknown, its provider says us-east-2.
        name: "replica key resource on the source's provider (preview)",
        category: "sse-kms",
        source: "https://github.com/nozaq/terraform-aws-remote-state-s3-backend/issues/45",
        build: () =>
            oneWay("m05", {
                kms: true,
                replicaKeyRegion: "us-east-2",
                rule: (a) => ({ destination: { bucket: a.destination, encryptionConfiguration: { replicaKmsKeyId: UNKNOWN } } }),
            }),
        expected: () => [
            [WORKS, "m05-replication", "BucketReplicationConfig 'm05-replication': rule 'everything' encrypts replicas with key Key 'm05-replica-key' of us-east-2, but Bucket 'm05-dst' is in us-west-2: KMS keys are regional, so S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate. Fix: set replicaKmsKeyId to the ARN of a KMS key in us-west-2."],
        ],
    },
    {
        // The role cannot decrypt the source objects: replication marked FAILED.
        name: "no kms:Decrypt on the source key",
        category: "permissions",
        source: "https://github.com/hashicorp/terraform/issues/18966",
        build: () => oneWay("m06", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", () => undefined) }),
        expected: () => [
            [WORKS, "m06-replication", "BucketReplicationConfig 'm06-replication': Role 'm06-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/m06-source-key: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: allow \"kms:Decrypt\" on \"arn:aws:kms:us-east-2:111111111111:key/m06-source-key\" in a policy of Role 'm06-replication-role'."],
        ],
    },
    {
        // Replication kept failing until the destination key's permissions were granted.
        name: "no kms:Encrypt on the replica key",
        category: "permissions",
        source: "https://github.com/ministryofjustice/modernisation-platform/pull/13520",
        build: () => oneWay("m07", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", () => undefined) }),
        expected: () => [
            [WORKS, "m07-replication", "BucketReplicationConfig 'm07-replication': Role 'm07-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/m07-replica-key: S3 cannot encrypt replicas for Bucket 'm07-dst' and SSE-KMS objects fail to replicate. Fix: allow \"kms:Encrypt\" on \"arn:aws:kms:us-west-2:111111111111:key/m07-replica-key\" in a policy of Role 'm07-replication-role'."],
        ],
    },
    {
        // AWS support: a key alias cannot stand for the key in replication policies; the key ARN is required.
        name: "kms:Encrypt granted on the replica key's alias",
        category: "permissions",
        source: "https://github.com/ministryofjustice/aws-root-account/pull/1015",
        build: () =>
            oneWay("m08", {
                kms: true,
                statements: (a) =>
                    changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", (s) => ({ ...s, Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/replica` })),
            }),
        expected: () => [
            [WORKS, "m08-replication", "BucketReplicationConfig 'm08-replication': Role 'm08-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/m08-replica-key: S3 cannot encrypt replicas for Bucket 'm08-dst' and SSE-KMS objects fail to replicate. Fix: allow \"kms:Encrypt\" on \"arn:aws:kms:us-west-2:111111111111:key/m08-replica-key\" in a policy of Role 'm08-replication-role'."],
        ],
    },
    {
        // Custom KMS keys with replication "not working": the decrypt grant named the wrong key.
        name: "kms:Decrypt granted on the replica key instead of the source key",
        category: "permissions",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/15833",
        build: () => oneWay("m09", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", (s) => ({ ...s, Resource: a.replicaKey })) }),
        expected: () => [
            [WORKS, "m09-replication", "BucketReplicationConfig 'm09-replication': Role 'm09-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/m09-source-key: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: allow \"kms:Decrypt\" on \"arn:aws:kms:us-east-2:111111111111:key/m09-source-key\" in a policy of Role 'm09-replication-role'."],
        ],
    },
    {
        // "The s3:ReplicateObject permission may be missing for the destination bucket."
        name: "no s3:ReplicateObject on the destination",
        category: "permissions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html",
        build: () => oneWay("m10", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateObject")) }),
        expected: () => [
            [WORKS, "m10-replication", "BucketReplicationConfig 'm10-replication': Role 'm10-replication-role' may not s3:ReplicateObject on arn:aws:s3:::m10-dst/*: every object fails to replicate to Bucket 'm10-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\" on \"arn:aws:s3:::m10-dst/*\" in a policy of Role 'm10-replication-role'."],
        ],
    },
    {
        // A troubleshooting guide's "minimum" policy: s3:GetObjectVersion, which does not cover replication reads.
        name: "s3:GetObjectVersion instead of s3:GetObjectVersionForReplication",
        category: "permissions",
        source: "https://backbenchacademy.in/?p=212745",
        build: () =>
            oneWay("m11", {
                statements: (a) =>
                    changeStatement(minimalStatements(a), "ReadObjects", (s) => ({ ...s, Action: ["s3:GetObjectVersion", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"] })),
            }),
        expected: () => [
            [WORKS, "m11-replication", "BucketReplicationConfig 'm11-replication': Role 'm11-replication-role' may not s3:GetObjectVersionForReplication on arn:aws:s3:::m11-src/*: S3 cannot read the source objects and every object fails to replicate. Fix: allow \"s3:GetObjectVersionForReplication\" on \"arn:aws:s3:::m11-src/*\" in a policy of Role 'm11-replication-role'."],
        ],
    },
    {
        // A walkthrough's role "missing some authorization": bucket-level actions granted on the objects only.
        name: "source bucket actions granted on <bucket>/* only",
        category: "permissions",
        source: "https://github.com/awsdocs/amazon-s3-userguide/issues/59",
        build: () => oneWay("m12", { statements: (a) => changeStatement(minimalStatements(a), "ReadConfiguration", (s) => ({ ...s, Resource: `${a.source}/*` })) }),
        expected: () => [
            [WORKS, "m12-replication", "BucketReplicationConfig 'm12-replication': Role 'm12-replication-role' may not s3:GetReplicationConfiguration, s3:ListBucket on arn:aws:s3:::m12-src: S3 cannot read the replication configuration and replicates nothing. Fix: allow \"s3:GetReplicationConfiguration\", \"s3:ListBucket\" on \"arn:aws:s3:::m12-src\" in a policy of Role 'm12-replication-role'."],
        ],
    },
    {
        // A module's replication policy naming "arn:aws:s3:::<bucket>/" (no star): no object matches it.
        name: "destination objects as '<bucket>/' without the star",
        category: "permissions",
        source: "https://github.com/mineiros-io/terraform-aws-s3-bucket/pull/50",
        build: () => oneWay("m13", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Resource: `${a.destination}/` })) }),
        expected: () => [
            [WORKS, "m13-replication", "BucketReplicationConfig 'm13-replication': Role 'm13-replication-role' may not s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m13-dst/*: every object fails to replicate to Bucket 'm13-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m13-dst/*\" in a policy of Role 'm13-replication-role'."],
        ],
    },
    {
        // Delete markers replicated, the destination refuses them without s3:ReplicateDelete.
        name: "delete-marker replication without s3:ReplicateDelete",
        category: "permissions",
        source: "https://github.com/ceph/ceph/pull/61962",
        build: () =>
            oneWay("m14", {
                rule: () => ({ deleteMarkerReplication: { status: "Enabled" } }),
                statements: (a) => minimalStatements(a, { deletes: false }),
            }),
        expected: () => [
            [WORKS, "m14-replication", "BucketReplicationConfig 'm14-replication': Role 'm14-replication-role' may not s3:ReplicateDelete on arn:aws:s3:::m14-dst/*: delete markers are not replicated to Bucket 'm14-dst' (DstDelObjNotPermitted). Fix: allow \"s3:ReplicateDelete\" on \"arn:aws:s3:::m14-dst/*\" in a policy of Role 'm14-replication-role'."],
        ],
    },
    {
        // V1 inline rules (no filter) replicate delete markers by default.
        name: "V1 inline rule without filter, role without s3:ReplicateDelete",
        category: "permissions",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/22007",
        build: () => oneWay("m15", { inline: true, rule: () => ({ filter: undefined, prefix: "" }), statements: (a) => minimalStatements(a, { deletes: false }) }),
        expected: () => [
            [WORKS, "m15-src", "The inline replicationConfiguration of BucketV2 'm15-src': Role 'm15-replication-role' may not s3:ReplicateDelete on arn:aws:s3:::m15-dst/*: delete markers are not replicated to BucketV2 'm15-dst' (DstDelObjNotPermitted). Fix: allow \"s3:ReplicateDelete\" on \"arn:aws:s3:::m15-dst/*\" in a policy of Role 'm15-replication-role'."],
        ],
    },
    {
        // "Amazon S3 can not assume the IAM role specified in replication configuration."
        name: "role trusted by another service",
        category: "trust",
        source: "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/replication-troubleshoot.html",
        build: () => oneWay("m16", { trust: s3Trust("ec2.amazonaws.com") }),
        expected: () => [
            [WORKS, "m16-replication", "BucketReplicationConfig 'm16-replication': S3 cannot assume Role 'm16-replication-role': its trust policy does not let s3.amazonaws.com call sts:AssumeRole, so nothing is replicated (AssumeRoleNotPermitted). Fix: set its assumeRolePolicy to allow the service principal \"s3.amazonaws.com\" the action \"sts:AssumeRole\"."],
        ],
    },
    {
        // The lab's two roles picked the wrong way round: each direction used the other direction's role.
        name: "the reverse direction's role",
        category: "permissions",
        source: "https://github.com/awslabs/aws-well-architected-labs/issues/615",
        build: () => oneWay("m17", { statements: (a) => minimalStatements({ ...a, source: a.destination, destination: a.source }) }),
        expected: () => [
            [WORKS, "m17-replication", "BucketReplicationConfig 'm17-replication': Role 'm17-replication-role' may not s3:GetReplicationConfiguration, s3:ListBucket on arn:aws:s3:::m17-src: S3 cannot read the replication configuration and replicates nothing. Fix: allow \"s3:GetReplicationConfiguration\", \"s3:ListBucket\" on \"arn:aws:s3:::m17-src\" in a policy of Role 'm17-replication-role'."],
            [WORKS, "m17-replication", "BucketReplicationConfig 'm17-replication': Role 'm17-replication-role' may not s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging on arn:aws:s3:::m17-src/*: S3 cannot read the source objects and every object fails to replicate. Fix: allow \"s3:GetObjectVersionForReplication\", \"s3:GetObjectVersionAcl\", \"s3:GetObjectVersionTagging\" on \"arn:aws:s3:::m17-src/*\" in a policy of Role 'm17-replication-role'."],
            [WORKS, "m17-replication", "BucketReplicationConfig 'm17-replication': Role 'm17-replication-role' may not s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m17-dst/*: every object fails to replicate to Bucket 'm17-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m17-dst/*\" in a policy of Role 'm17-replication-role'."],
        ],
    },
    {
        // Roles restricted with explicit Deny statements break replication.
        name: "an explicit Deny of s3:ReplicateDelete with delete markers replicated",
        category: "limits",
        source: "https://github.com/awsdocs/amazon-s3-developer-guide/pull/110",
        build: () =>
            oneWay("m18", {
                rule: () => ({ deleteMarkerReplication: { status: "Enabled" } }),
                statements: (a) => [...minimalStatements(a), { Sid: "NoDeletes", Effect: "Deny", Action: ["s3:Delete*", "s3:ReplicateDelete"], Resource: "*" }],
            }),
        expected: () => [
            [WORKS, "m18-replication", "BucketReplicationConfig 'm18-replication': RolePolicy 'm18-replication-policy' denies Role 'm18-replication-role' s3:ReplicateDelete on arn:aws:s3:::m18-dst/* (statement 'NoDeletes'), and an explicit Deny overrides every Allow: delete markers are not replicated to Bucket 'm18-dst' (DstDelObjNotPermitted). Fix: remove s3:ReplicateDelete from that Deny statement, or exclude \"arn:aws:s3:::m18-dst/*\" from its Resource."],
        ],
    },
    {
        // Check explicit denies: a guard that denies S3 outside the source bucket also denies the destination.
        name: "a Deny with NotResource that leaves out the destination",
        category: "limits",
        source: "https://repost.aws/knowledge-center/s3-troubleshoot-replication",
        build: () =>
            oneWay("m19", {
                statements: (a) => [...minimalStatements(a), { Sid: "OnlyOurBucket", Effect: "Deny", Action: "s3:*", NotResource: [a.source, `${a.source}/*`] }],
            }),
        expected: () => [
            [WORKS, "m19-replication", "BucketReplicationConfig 'm19-replication': RolePolicy 'm19-replication-policy' denies Role 'm19-replication-role' s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m19-dst/* (statement 'OnlyOurBucket'), and an explicit Deny overrides every Allow: every object fails to replicate to Bucket 'm19-dst' (OperationsFailedReplication). Fix: remove s3:ReplicateObject, s3:ReplicateTags from that Deny statement, or exclude \"arn:aws:s3:::m19-dst/*\" from its Resource."],
        ],
    },
    {
        // A module whose cross-account replication lacked the destination side's permissions.
        name: "cross-account destination without a bucket policy",
        category: "cross-account",
        source: "https://github.com/cloudposse/terraform-aws-s3-bucket/issues/68",
        build: () => oneWay("m20", { crossAccount: {} }),
        expected: () => [
            [WORKS, "m20-replication", "BucketReplicationConfig 'm20-replication': Bucket 'm20-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm20-replication-role' (account 111111111111) s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m20-dst/*: every object fails to replicate to Bucket 'm20-dst' (OperationsFailedReplication). Fix: add to Bucket 'm20-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m20-replication\" } of \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m20-dst/*\"."],
        ],
    },
    {
        // AWS's older cross-account example granted s3:ReplicateObject and s3:ReplicateDelete only.
        name: "cross-account bucket policy without s3:ReplicateTags",
        category: "cross-account",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/dev/crr-walkthrough-2.html",
        build: () => oneWay("m21", { crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, ["s3:ReplicateObject", "s3:ReplicateDelete"], `arn:aws:iam::${ACCOUNT}:root`) } }),
        expected: () => [
            [WORKS, "m21-replication", "BucketReplicationConfig 'm21-replication': Bucket 'm21-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm21-replication-role' (account 111111111111) s3:ReplicateTags on arn:aws:s3:::m21-dst/*: objects with tags fail to replicate to Bucket 'm21-dst'. Fix: add to Bucket 'm21-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m21-replication\" } of \"s3:ReplicateTags\" on \"arn:aws:s3:::m21-dst/*\"."],
            [CROSS_ACCOUNT, "m21-dst-policy", "BucketPolicy 'm21-dst-policy' of Bucket 'm21-dst', a cross-account replication destination, allows arn:aws:iam::111111111111:root s3:ReplicateObject, s3:ReplicateDelete (statement 'ReplicationFromSource'): only the replication roles that write into it (arn:aws:iam::111111111111:role/m21-replication) should be granted anything. Fix: remove that principal from the statement."],
            [CROSS_ACCOUNT, "m21-dst-policy", "BucketPolicy 'm21-dst-policy' of Bucket 'm21-dst', a cross-account replication destination, allows arn:aws:iam::111111111111:root s3:GetBucketVersioning, s3:PutBucketVersioning (statement 'Versioning'): only the replication roles that write into it (arn:aws:iam::111111111111:role/m21-replication) should be granted anything. Fix: remove that principal from the statement."],
        ],
    },
    {
        // Cross-account replication denied: the destination's policy named another principal.
        name: "cross-account bucket policy granting another role",
        category: "cross-account",
        source: "https://github.com/aws-controllers-k8s/community/issues/1993",
        build: () => oneWay("m22", { crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, undefined, `arn:aws:iam::${ACCOUNT}:role/someone-else`) } }),
        expected: () => [
            [WORKS, "m22-replication", "BucketReplicationConfig 'm22-replication': Bucket 'm22-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm22-replication-role' (account 111111111111) s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m22-dst/*: every object fails to replicate to Bucket 'm22-dst' (OperationsFailedReplication). Fix: add to Bucket 'm22-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m22-replication\" } of \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m22-dst/*\"."],
            [CROSS_ACCOUNT, "m22-dst-policy", "BucketPolicy 'm22-dst-policy' of Bucket 'm22-dst', a cross-account replication destination, allows arn:aws:iam::111111111111:role/someone-else s3:ReplicateObject, s3:ReplicateTags, s3:ReplicateDelete (statement 'ReplicationFromSource'): only the replication roles that write into it (arn:aws:iam::111111111111:role/m22-replication) should be granted anything. Fix: remove that principal from the statement."],
            [CROSS_ACCOUNT, "m22-dst-policy", "BucketPolicy 'm22-dst-policy' of Bucket 'm22-dst', a cross-account replication destination, allows arn:aws:iam::111111111111:role/someone-else s3:GetBucketVersioning, s3:PutBucketVersioning (statement 'Versioning'): only the replication roles that write into it (arn:aws:iam::111111111111:role/m22-replication) should be granted anything. Fix: remove that principal from the statement."],
        ],
    },
    {
        // A module's replication role with "s3:Get*" and no KMS statements at all, on SSE-KMS buckets.
        name: "SSE-KMS replication with no KMS statement in the role",
        category: "permissions",
        source: "https://github.com/cloudposse/terraform-aws-s3-bucket/issues/277",
        build: () => oneWay("m23", { kms: true, statements: (a) => minimalStatements(a) }),
        expected: () => [
            [WORKS, "m23-replication", "BucketReplicationConfig 'm23-replication': Role 'm23-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/m23-source-key: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: allow \"kms:Decrypt\" on \"arn:aws:kms:us-east-2:111111111111:key/m23-source-key\" in a policy of Role 'm23-replication-role'."],
            [WORKS, "m23-replication", "BucketReplicationConfig 'm23-replication': Role 'm23-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/m23-replica-key: S3 cannot encrypt replicas for Bucket 'm23-dst' and SSE-KMS objects fail to replicate. Fix: allow \"kms:Encrypt\" on \"arn:aws:kms:us-west-2:111111111111:key/m23-replica-key\" in a policy of Role 'm23-replication-role'."],
        ],
    },
    {
        // A misspelt action is accepted by IAM and grants nothing.
        name: "a misspelt s3:ReplicateObjects",
        category: "permissions",
        source: "https://github.com/awslabs/landing-zone-accelerator-on-aws/issues/1144",
        build: () =>
            oneWay("m24", {
                statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Action: ["s3:ReplicateObjects", "s3:ReplicateTags", "s3:ReplicateDelete"] })),
            }),
        expected: () => [
            [WORKS, "m24-replication", "BucketReplicationConfig 'm24-replication': Role 'm24-replication-role' may not s3:ReplicateObject on arn:aws:s3:::m24-dst/*: every object fails to replicate to Bucket 'm24-dst' (OperationsFailedReplication). ('s3:ReplicateObjects' in its policies is not an IAM action: did you mean 's3:ReplicateObject'?) Fix: allow \"s3:ReplicateObject\" on \"arn:aws:s3:::m24-dst/*\" in a policy of Role 'm24-replication-role'."],
        ],
    },
    {
        // The replication policy as a managed policy, attached, without s3:ReplicateTags.
        name: "managed policy attached without s3:ReplicateTags",
        category: "permissions",
        source: "https://github.com/hashicorp/terraform/issues/26704",
        build: () => oneWay("m25", { grant: "managed", statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateTags")) }),
        expected: () => [
            [WORKS, "m25-replication", "BucketReplicationConfig 'm25-replication': Role 'm25-replication-role' may not s3:ReplicateTags on arn:aws:s3:::m25-dst/*: objects with tags fail to replicate to Bucket 'm25-dst'. Fix: allow \"s3:ReplicateTags\" on \"arn:aws:s3:::m25-dst/*\" in a policy of Role 'm25-replication-role'."],
        ],
    },
    {
        // The destination bucket's versioning suspended (today's check, in s3-replication-prerequisites).
        name: "destination versioning Suspended",
        category: "deploy-time",
        source: "https://github.com/terraform-aws-modules/terraform-aws-s3-bucket/issues/172",
        build: () => oneWay("m26", { destinationVersioning: "Suspended" }),
        expected: () => [
            [PREREQUISITES, "m26-replication", "BucketReplicationConfig 'm26-replication': its destination Bucket 'm26-dst' has versioning Suspended; replication needs Enabled."],
        ],
    },
    {
        // Roles created outside the program (the lab's CloudFormation roles), named by ARN: nothing to read.
        name: "a role that is not in the stack (advisory)",
        category: "permissions",
        source: "https://github.com/awslabs/aws-well-architected-labs/issues/615",
        build: () => oneWay("m27", { externalRole: true }),
        expected: () => [
            [UNPROVEN, "m27-replication", "BucketReplicationConfig 'm27-replication': could not prove that S3 can replicate: its role 'arn:aws:iam::111111111111:role/m27-replication' is not a role of this stack, so its trust and permissions cannot be read. Fix: manage the replication role in this stack."],
        ],
    },
    {
        // Replication permissions expected from an AWS managed policy (S3 full access): not readable here.
        name: "permissions only from an AWS managed policy (advisory)",
        category: "permissions",
        source: "https://github.com/aws-controllers-k8s/s3-controller/pull/111",
        build: () => oneWay("m28", { grant: "inline", statements: () => [], managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }),
        expected: () => [
            [UNPROVEN, "m28-replication", "BucketReplicationConfig 'm28-replication': could not prove that Role 'm28-replication-role' may s3:GetReplicationConfiguration, s3:ListBucket on arn:aws:s3:::m28-src: no policy of this stack allows it, and 'arn:aws:iam::aws:policy/AmazonS3FullAccess' is not defined in this stack. Fix: grant these actions in a policy of this stack."],
            [UNPROVEN, "m28-replication", "BucketReplicationConfig 'm28-replication': could not prove that Role 'm28-replication-role' may s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging on arn:aws:s3:::m28-src/*: no policy of this stack allows it, and 'arn:aws:iam::aws:policy/AmazonS3FullAccess' is not defined in this stack. Fix: grant these actions in a policy of this stack."],
            [UNPROVEN, "m28-replication", "BucketReplicationConfig 'm28-replication': could not prove that Role 'm28-replication-role' may s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m28-dst/*: no policy of this stack allows it, and 'arn:aws:iam::aws:policy/AmazonS3FullAccess' is not defined in this stack. Fix: grant these actions in a policy of this stack."],
        ],
    },
    {
        // A replica key given by id, not ARN.
        name: "replica key given by key id (advisory)",
        category: "sse-kms",
        source: "https://github.com/crossplane-contrib/provider-upjet-aws/issues/1478",
        build: () => oneWay("m29", { kms: true, rule: (a) => ({ destination: { bucket: a.destination, encryptionConfiguration: { replicaKmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" } } }) }),
        expected: () => [
            [UNPROVEN, "m29-replication", "BucketReplicationConfig 'm29-replication': could not prove that rule 'everything''s replica key '1234abcd-12ab-34cd-56ef-1234567890ab' is in the region of Bucket 'm29-dst': it is not a KMS key ARN. Fix: name the key by its ARN (arn:aws:kms:<region>:<account>:key/<id>)."],
        ],
    },
    {
        // A Deny conditioned on the organization: whether S3's requests meet it cannot be read from the stack.
        name: "a conditional Deny on the replication actions (advisory)",
        category: "conditions",
        source: "https://github.com/awsdocs/amazon-s3-developer-guide/pull/110",
        build: () =>
            oneWay("m30", {
                statements: (a) => [
                    ...minimalStatements(a),
                    { Sid: "OrgOnly", Effect: "Deny", Action: "s3:Replicate*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-example" } } },
                ],
            }),
        expected: () => [
            [UNPROVEN, "m30-replication", "BucketReplicationConfig 'm30-replication': could not prove that Role 'm30-replication-role' may s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m30-dst/*: RolePolicy 'm30-replication-policy' denies them under a condition on aws:PrincipalOrgID (statement 'OrgOnly'), whose value in S3's requests the plan cannot know. Fix: exclude the replication role or these actions from that Deny."],
        ],
    },
    {
        // A destination the stack does not define: its bucket policy cannot be read, the role's policies still are.
        name: "a destination outside the stack, the role without s3:ReplicateObject",
        category: "permissions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html",
        build: () =>
            oneWay("n33", { externalDestination: "arn:aws:s3:::n33-elsewhere", statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateObject")) }),
        expected: () => [
            [PREREQUISITES, "n33-replication", "BucketReplicationConfig 'n33-replication': no destination bucket of this stack could be identified in its rules."],
            [WORKS, "n33-replication", "BucketReplicationConfig 'n33-replication': Role 'n33-replication-role' may not s3:ReplicateObject on arn:aws:s3:::n33-elsewhere/*: every object fails to replicate to arn:aws:s3:::n33-elsewhere (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\" on \"arn:aws:s3:::n33-elsewhere/*\" in a policy of Role 'n33-replication-role'."],
            [UNPROVEN, "n33-replication", "BucketReplicationConfig 'n33-replication': could not prove that rule 'everything''s destination arn:aws:s3:::n33-elsewhere lets Role 'n33-replication-role' replicate into it: the destination bucket and its policy are not in this stack."],
        ],
    },
    // --- Trust: the conditions of the trust policy must admit S3's request for this source bucket and account ---
    {
        // The confused-deputy guard copied from another account's template: S3 assumes the role for this account.
        name: "trust conditioned on another account's aws:SourceAccount",
        category: "trust",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        build: () => oneWay("n01", { trust: trustWith({ StringEquals: { "aws:SourceAccount": OTHER_ACCOUNT } }) }),
        expected: () => [
            [WORKS, "n01-replication", "BucketReplicationConfig 'n01-replication': S3 cannot assume Role 'n01-replication-role': its trust policy lets s3.amazonaws.com call sts:AssumeRole only when aws:SourceAccount is '222222222222', and S3 assumes it for Bucket 'n01-src' with '111111111111' for aws:SourceAccount, so nothing is replicated (AssumeRoleNotPermitted). Fix: make the trust policy's condition admit '111111111111' for aws:SourceAccount."],
        ],
    },
    {
        // The guard naming the other direction's bucket (a bi-directional pair's roles swapped).
        name: "trust conditioned on another bucket's aws:SourceArn",
        category: "trust",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
        build: () => oneWay("n02", { trust: trustWith({ ArnLike: { "aws:SourceArn": "arn:aws:s3:::n02-dst" } }) }),
        expected: () => [
            [WORKS, "n02-replication", "BucketReplicationConfig 'n02-replication': S3 cannot assume Role 'n02-replication-role': its trust policy lets s3.amazonaws.com call sts:AssumeRole only when aws:SourceArn matches 'arn:aws:s3:::n02-dst', and S3 assumes it for Bucket 'n02-src' with 'arn:aws:s3:::n02-src' for aws:SourceArn, so nothing is replicated (AssumeRoleNotPermitted). Fix: make the trust policy's condition admit 'arn:aws:s3:::n02-src' for aws:SourceArn."],
        ],
    },
    {
        // An external id is what a third party passes when it assumes a role; S3 passes none.
        name: "trust requiring an sts:ExternalId",
        category: "trust",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html",
        build: () => oneWay("n03", { trust: trustWith({ StringEquals: { "sts:ExternalId": "replication" } }) }),
        expected: () => [
            [WORKS, "n03-replication", "BucketReplicationConfig 'n03-replication': S3 cannot assume Role 'n03-replication-role': its trust policy lets s3.amazonaws.com call sts:AssumeRole only when sts:ExternalId is 'replication', and S3 assumes it for Bucket 'n03-src' with no sts:ExternalId, so nothing is replicated (AssumeRoleNotPermitted). Fix: remove the condition on sts:ExternalId from the trust policy (S3's request does not carry it)."],
        ],
    },
    {
        // A condition on a key whose value in S3's request the plan cannot know: not proven, never "allowed".
        name: "trust conditioned on aws:PrincipalOrgID (advisory)",
        category: "trust",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
        build: () => oneWay("n04", { trust: trustWith({ StringEquals: { "aws:PrincipalOrgID": "o-exampleorg" } }) }),
        expected: () => [
            [UNPROVEN, "n04-replication", "BucketReplicationConfig 'n04-replication': could not prove that S3 can assume Role 'n04-replication-role': its trust policy allows s3.amazonaws.com sts:AssumeRole under a condition on aws:PrincipalOrgID, whose value the plan cannot know. Fix: condition the trust on aws:SourceAccount and aws:SourceArn only."],
        ],
    },
    // --- What limits an Allow: the permissions boundary, Denies in bucket and key policies ---
    {
        // A boundary caps the role's grants: an Allow in the role's policy outside it grants nothing.
        name: "a permissions boundary without the replication writes",
        category: "limits",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        build: () => oneWay("n05", { boundary: (a) => [{ Sid: "ReadOnly", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: [a.source, `${a.source}/*`] }] }),
        expected: () => [
            [WORKS, "n05-replication", "BucketReplicationConfig 'n05-replication': the permissions boundary Policy 'n05-boundary' of Role 'n05-replication-role' does not allow s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::n05-dst/*: a boundary caps whatever the role's policies grant, so every object fails to replicate to Bucket 'n05-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::n05-dst/*\" in Policy 'n05-boundary'."],
        ],
    },
    {
        // "Replication fails if the bucket policy denies access to the replication role": same account too.
        name: "the destination's bucket policy denies every principal but an administrator",
        category: "limits",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html",
        build: () => oneWay("n06", { bucketPolicies: { destination: (a) => [adminsOnly(a.destination, [ADMIN])] } }),
        expected: () => [
            [WORKS, "n06-replication", "BucketReplicationConfig 'n06-replication': BucketPolicy 'n06-dst-policy' of Bucket 'n06-dst' denies Role 'n06-replication-role' s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::n06-dst/* (statement 'AdminsOnly'), and an explicit Deny overrides every Allow: every object fails to replicate to Bucket 'n06-dst' (OperationsFailedReplication). Fix: remove s3:ReplicateObject, s3:ReplicateTags from that Deny statement, or exclude the replication role \"arn:aws:iam::111111111111:role/n06-replication\" from it."],
        ],
    },
    {
        // A Deny with NotPrincipal denies every principal it does not name, the replication role included.
        name: "the source's bucket policy denies with NotPrincipal an administrator",
        category: "limits",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
        build: () =>
            oneWay("n07", {
                bucketPolicies: { source: (a) => [{ Sid: "OnlyAdmins", Effect: "Deny", NotPrincipal: { AWS: ADMIN }, Action: "s3:*", Resource: [a.source, `${a.source}/*`] }] },
            }),
        expected: () => [
            [WORKS, "n07-replication", "BucketReplicationConfig 'n07-replication': BucketPolicy 'n07-src-policy' of Bucket 'n07-src' denies Role 'n07-replication-role' s3:GetReplicationConfiguration, s3:ListBucket on arn:aws:s3:::n07-src (statement 'OnlyAdmins'), and an explicit Deny overrides every Allow: S3 cannot read the replication configuration and replicates nothing. Fix: remove s3:GetReplicationConfiguration, s3:ListBucket from that Deny statement, or exclude the replication role \"arn:aws:iam::111111111111:role/n07-replication\" from it."],
            [WORKS, "n07-replication", "BucketReplicationConfig 'n07-replication': BucketPolicy 'n07-src-policy' of Bucket 'n07-src' denies Role 'n07-replication-role' s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging on arn:aws:s3:::n07-src/* (statement 'OnlyAdmins'), and an explicit Deny overrides every Allow: S3 cannot read the source objects and every object fails to replicate. Fix: remove s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging from that Deny statement, or exclude the replication role \"arn:aws:iam::111111111111:role/n07-replication\" from it."],
        ],
    },
    {
        // A same-account bucket policy's Allow naming the role counts, but still within the role's boundary.
        name: "a bucket policy's grant to the role beyond its permissions boundary",
        category: "limits",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        build: () =>
            oneWay("n08", {
                statements: (a) => changeStatement(minimalStatements(a), "Replicate", () => undefined),
                bucketPolicies: { destination: (a) => [bucketGrant(a)] },
                boundary: (a) => changeStatement(minimalStatements(a), "Replicate", () => undefined),
            }),
        expected: () => [
            [WORKS, "n08-replication", "BucketReplicationConfig 'n08-replication': the permissions boundary Policy 'n08-boundary' of Role 'n08-replication-role' does not allow s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::n08-dst/*: a boundary caps whatever the role's policies grant, so every object fails to replicate to Bucket 'n08-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::n08-dst/*\" in Policy 'n08-boundary'."],
        ],
    },
    {
        // A key policy's guard naming the other region's S3: KMS denies S3 in the key's own region.
        name: "the source key's policy denies every use but through S3 of another region",
        category: "limits",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
        build: () => oneWay("n09", { kms: true, sourceKeyInputs: () => ({ policy: keyPolicy(rootStatement(), onlyThroughS3("us-west-2")) }) }),
        expected: () => [
            [WORKS, "n09-replication", "BucketReplicationConfig 'n09-replication': the key policy of Key 'n09-source-key' denies Role 'n09-replication-role' kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/n09-source-key (statement 'OnlyThroughS3'), and an explicit Deny overrides every Allow: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: remove kms:Decrypt from that Deny statement, or exclude the replication role \"arn:aws:iam::111111111111:role/n09-replication\" from it."],
        ],
    },
    // --- Conditions, evaluated on the keys S3's requests carry ---
    {
        name: "kms:ViaService of the destination's region on the source key",
        category: "conditions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () =>
            oneWay("n10", {
                kms: true,
                statements: (a) =>
                    changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", (s) => ({
                        ...s,
                        Condition: { StringLike: { "kms:ViaService": "s3.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": a.source } },
                    })),
            }),
        expected: () => [
            [WORKS, "n10-replication", "BucketReplicationConfig 'n10-replication': Role 'n10-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/n10-source-key: the Allow in RolePolicy 'n10-replication-policy' (statement 'DecryptSource') holds only when kms:ViaService matches 's3.us-west-2.amazonaws.com', and S3's request carries 's3.us-east-2.amazonaws.com' for kms:ViaService: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: make that statement's condition admit 's3.us-east-2.amazonaws.com' for kms:ViaService."],
        ],
    },
    {
        // "When an S3 Bucket Key is enabled ... the encryption context will be the bucket's ARN, not the object's ARN."
        name: "S3 Bucket Keys on, KMS grants conditioned on the objects' ARNs",
        category: "conditions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#bk-replication",
        build: () => oneWay("n11", { kms: true, statements: (a) => minimalStatements(a, { kms: true, bucketKey: false }) }),
        expected: () => [
            [WORKS, "n11-replication", "BucketReplicationConfig 'n11-replication': Role 'n11-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/n11-source-key: the Allow in RolePolicy 'n11-replication-policy' (statement 'DecryptSource') holds only when kms:EncryptionContext:aws:s3:arn matches 'arn:aws:s3:::n11-src/*', and S3's request carries 'arn:aws:s3:::n11-src' for kms:EncryptionContext:aws:s3:arn: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: make that statement's condition admit 'arn:aws:s3:::n11-src' for kms:EncryptionContext:aws:s3:arn."],
            [WORKS, "n11-replication", "BucketReplicationConfig 'n11-replication': Role 'n11-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/n11-replica-key: the Allow in RolePolicy 'n11-replication-policy' (statement 'EncryptReplicas') holds only when kms:EncryptionContext:aws:s3:arn matches 'arn:aws:s3:::n11-dst/*', and S3's request carries 'arn:aws:s3:::n11-dst' for kms:EncryptionContext:aws:s3:arn: S3 cannot encrypt replicas for Bucket 'n11-dst' and SSE-KMS objects fail to replicate. Fix: make that statement's condition admit 'arn:aws:s3:::n11-dst' for kms:EncryptionContext:aws:s3:arn."],
        ],
    },
    {
        // Without a Bucket Key the context is each object's ARN: a grant on the bucket's ARN alone covers none.
        name: "S3 Bucket Keys off, KMS grants conditioned on the bucket's ARN",
        category: "conditions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context",
        build: () => oneWay("n12", { kms: true, bucketKey: false, statements: (a) => minimalStatements(a, { kms: true }) }),
        expected: () => [
            [WORKS, "n12-replication", "BucketReplicationConfig 'n12-replication': Role 'n12-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/n12-source-key: the Allow in RolePolicy 'n12-replication-policy' (statement 'DecryptSource') holds only when kms:EncryptionContext:aws:s3:arn matches 'arn:aws:s3:::n12-src', and S3's request carries each object's ARN ('arn:aws:s3:::n12-src/*') for kms:EncryptionContext:aws:s3:arn: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: make that statement's condition admit each object's ARN ('arn:aws:s3:::n12-src/*') for kms:EncryptionContext:aws:s3:arn."],
            [WORKS, "n12-replication", "BucketReplicationConfig 'n12-replication': Role 'n12-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/n12-replica-key: the Allow in RolePolicy 'n12-replication-policy' (statement 'EncryptReplicas') holds only when kms:EncryptionContext:aws:s3:arn matches 'arn:aws:s3:::n12-dst', and S3's request carries each object's ARN ('arn:aws:s3:::n12-dst/*') for kms:EncryptionContext:aws:s3:arn: S3 cannot encrypt replicas for Bucket 'n12-dst' and SSE-KMS objects fail to replicate. Fix: make that statement's condition admit each object's ARN ('arn:aws:s3:::n12-dst/*') for kms:EncryptionContext:aws:s3:arn."],
        ],
    },
    {
        // An attribute-based grant on a tag the role does not carry.
        name: "grants conditioned on a principal tag the role does not have",
        category: "conditions",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag",
        build: () =>
            oneWay("n13", {
                statements: (a) => changeStatement(minimalStatements(a), "ReadObjects", (s) => ({ ...s, Condition: { StringEquals: { "aws:PrincipalTag/team": "storage" } } })),
            }),
        expected: () => [
            [WORKS, "n13-replication", "BucketReplicationConfig 'n13-replication': Role 'n13-replication-role' may not s3:GetObjectVersionForReplication, s3:GetObjectVersionAcl, s3:GetObjectVersionTagging on arn:aws:s3:::n13-src/*: the Allow in RolePolicy 'n13-replication-policy' (statement 'ReadObjects') holds only when aws:PrincipalTag/team is 'storage', and S3's request carries no aws:PrincipalTag/team: S3 cannot read the source objects and every object fails to replicate. Fix: remove the condition on aws:PrincipalTag/team from that statement (S3's request does not carry it)."],
        ],
    },
    {
        // The source IP of S3's own requests is not something a program can know: not proven, never "allowed".
        name: "the replication writes allowed only from an address range (advisory)",
        category: "conditions",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip",
        build: () =>
            oneWay("n14", {
                statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })),
            }),
        expected: () => [
            [UNPROVEN, "n14-replication", "BucketReplicationConfig 'n14-replication': could not prove that Role 'n14-replication-role' may s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::n14-dst/*: the Allow in RolePolicy 'n14-replication-policy' (statement 'Replicate') holds only under a condition on aws:SourceIp, whose value in S3's requests the plan cannot know, and nothing else allows them. Fix: grant \"s3:ReplicateObject\", \"s3:ReplicateTags\" without that condition."],
        ],
    },
    // --- KMS keys as KMS sees them ---
    {
        // A key policy without the account-root statement: the role's IAM grant on the key counts for nothing.
        name: "a replica key whose key policy has no account-root statement",
        category: "keys",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        build: () => oneWay("n15", { kms: true, replicaKeyInputs: () => ({ policy: keyPolicy(adminStatement()) }) }),
        expected: () => [
            [WORKS, "n15-replication", "BucketReplicationConfig 'n15-replication': the key policy of Key 'n15-replica-key' allows neither the account root (arn:aws:iam::111111111111:root) nor Role 'n15-replication-role' kms:Encrypt: IAM policies count for a KMS key only through its key policy, so S3 cannot encrypt replicas for Bucket 'n15-dst' and SSE-KMS objects fail to replicate. Fix: add to the key policy of Key 'n15-replica-key' the default key policy's statement (principal { AWS: \"arn:aws:iam::111111111111:root\" }, action \"kms:*\"), or an Allow of \"kms:Encrypt\" for principal { AWS: \"arn:aws:iam::111111111111:role/n15-replication\" }."],
        ],
    },
    {
        // DstKmsKeyInvalidState: "The AWS KMS key for the destination bucket isn't in a valid state."
        name: "a disabled replica key",
        category: "keys",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html",
        build: () => oneWay("n16", { kms: true, replicaKeyInputs: () => ({ isEnabled: false }) }),
        expected: () => [
            [WORKS, "n16-replication", "BucketReplicationConfig 'n16-replication': rule 'everything''s replica key Key 'n16-replica-key' is disabled (isEnabled: false): KMS refuses every request for a disabled key, so S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate (DstKmsKeyInvalidState). Fix: set isEnabled to true."],
        ],
    },
    {
        // "Amazon S3 only supports symmetric encryption KMS keys."
        name: "an asymmetric replica key",
        category: "keys",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_EncryptionConfiguration.html",
        build: () => oneWay("n17", { kms: true, replicaKeyInputs: () => ({ customerMasterKeySpec: "RSA_2048", keyUsage: "ENCRYPT_DECRYPT" }) }),
        expected: () => [
            [WORKS, "n17-replication", "BucketReplicationConfig 'n17-replication': rule 'everything''s replica key Key 'n17-replica-key' is not a symmetric encryption key (key spec RSA_2048, usage ENCRYPT_DECRYPT): S3 supports only symmetric encryption KMS keys, so S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate. Fix: use a key with key spec SYMMETRIC_DEFAULT and usage ENCRYPT_DECRYPT."],
        ],
    },
    {
        // "Objects encrypted through AWS managed keys cannot be shared cross-account."
        name: "the source account's aws/s3 key as the replica key of another account's bucket",
        category: "keys",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#replication-kms-cross-acct-scenario",
        build: () =>
            oneWay("n18", {
                kms: true,
                crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, ["s3:ReplicateObject", "s3:ReplicateTags"]) },
                rule: (a) => ({ destination: { bucket: a.destination, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/aws/s3` } } }),
            }),
        expected: () => [
            [WORKS, "n18-replication", "BucketReplicationConfig 'n18-replication': rule 'everything''s replica key 'arn:aws:kms:us-west-2:111111111111:alias/aws/s3' is the AWS managed key aws/s3 of account 111111111111, which cannot encrypt replicas for Bucket 'n18-dst' of account 222222222222: its key policy lets only its own account use it and cannot be changed, so SSE-KMS objects fail to replicate. Fix: name a customer managed key whose key policy lets the replication role use it."],
        ],
    },
    {
        // "If the KMS keys are owned by another AWS account, the owner of the KMS keys must grant these permissions."
        name: "another account's replica key whose policy trusts only its own account",
        category: "keys",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () =>
            oneWay("n19", {
                kms: true,
                crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, ["s3:ReplicateObject", "s3:ReplicateTags"]) },
                replicaKeyAccount: OTHER_ACCOUNT,
                replicaKeyInputs: () => ({ policy: keyPolicy(rootStatement(OTHER_ACCOUNT)) }),
            }),
        expected: () => [
            [WORKS, "n19-replication", "BucketReplicationConfig 'n19-replication': the key policy of Key 'n19-replica-key' (account 222222222222) allows neither Role 'n19-replication-role' nor its account 111111111111 kms:Encrypt: a key of another account is used only as its key policy allows, so S3 cannot encrypt replicas for Bucket 'n19-dst' and SSE-KMS objects fail to replicate. Fix: add to the key policy of Key 'n19-replica-key' an Allow of \"kms:Encrypt\" for principal { AWS: \"arn:aws:iam::111111111111:role/n19-replication\" }."],
        ],
    },
    // --- Object Lock ---
    {
        // DstBucketObjectLockConfigMissing.
        name: "a source with Object Lock, a destination without",
        category: "object-lock",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html",
        build: () => oneWay("n20", { sourceInputs: { objectLockEnabled: true }, statements: lockReads }),
        expected: () => [
            [WORKS, "n20-replication", "BucketReplicationConfig 'n20-replication': Bucket 'n20-src' has Object Lock and rule 'everything''s destination Bucket 'n20-dst' does not: S3 cannot replicate objects of a bucket with Object Lock into it (DstBucketObjectLockConfigMissing). Fix: create Bucket 'n20-dst' with objectLockEnabled: true (Object Lock is set when a bucket is created)."],
        ],
    },
    {
        // "You must grant two new permissions on the source S3 bucket ...: s3:GetObjectRetention and s3:GetObjectLegalHold."
        name: "Object Lock on both, the role without the retention and legal-hold reads",
        category: "object-lock",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication",
        build: () => oneWay("n21", { sourceInputs: { objectLockEnabled: true }, destinationInputs: { objectLockEnabled: true } }),
        expected: () => [
            [WORKS, "n21-replication", "BucketReplicationConfig 'n21-replication': Role 'n21-replication-role' may not s3:GetObjectRetention, s3:GetObjectLegalHold on arn:aws:s3:::n21-src/*: S3 cannot read the source objects' retention, and locked objects fail to replicate. Fix: allow \"s3:GetObjectRetention\", \"s3:GetObjectLegalHold\" on \"arn:aws:s3:::n21-src/*\" in a policy of Role 'n21-replication-role'."],
        ],
    },
    // --- Replica owner override ---
    {
        // "Grant Amazon S3 permissions to change replica ownership ... s3:ObjectOwnerOverrideToBucketOwner" on the role.
        name: "owner override without s3:ObjectOwnerOverrideToBucketOwner on the role",
        category: "owner-override",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html",
        build: () => oneWay("n22", { crossAccount: { bucketPolicy: ownerOverrideGrant }, rule: overrideRule }),
        expected: () => [
            [WORKS, "n22-replication", "BucketReplicationConfig 'n22-replication': Role 'n22-replication-role' may not s3:ObjectOwnerOverrideToBucketOwner on arn:aws:s3:::n22-dst/*: S3 cannot hand the replicas to Bucket 'n22-dst''s owner, and every object fails to replicate (DstPutObjectNotPermitted). Fix: allow \"s3:ObjectOwnerOverrideToBucketOwner\" on \"arn:aws:s3:::n22-dst/*\" in a policy of Role 'n22-replication-role'."],
        ],
    },
    {
        // "The owner of the destination bucket must grant the owner of the source bucket permission" for the override.
        name: "owner override without its grant in the destination's bucket policy",
        category: "owner-override",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-troubleshoot.html",
        build: () => oneWay("n23", { crossAccount: { bucketPolicy: (a) => crossAccountGrant(a) }, rule: overrideRule, statements: overrideStatements }),
        expected: () => [
            [WORKS, "n23-replication", "BucketReplicationConfig 'n23-replication': Bucket 'n23-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'n23-replication-role' (account 111111111111) s3:ObjectOwnerOverrideToBucketOwner on arn:aws:s3:::n23-dst/*: S3 cannot hand the replicas to Bucket 'n23-dst''s owner, and every object fails to replicate (DstPutObjectNotPermitted). Fix: add to Bucket 'n23-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/n23-replication\" } of \"s3:ObjectOwnerOverrideToBucketOwner\" on \"arn:aws:s3:::n23-dst/*\"."],
        ],
    },
    {
        // "add the following to each Destination element: AccessControlTranslation ... [and] Account".
        name: "owner override without destination.account",
        category: "owner-override",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html#repl-ownership-owneroverride-option",
        build: () => oneWay("n24", { rule: overrideRule, statements: overrideStatements }),
        expected: () => [
            [WORKS, "n24-replication", "BucketReplicationConfig 'n24-replication': rule 'everything' changes the replica owner (accessControlTranslation) without naming the destination's account: S3 rejects the configuration (the owner override goes with destination.account). Fix: set destination.account to the destination bucket's account."],
        ],
    },
    // --- What S3 refuses at deploy time (PutBucketReplication) ---
    {
        name: "Replication Time Control without metrics",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_Destination.html",
        build: () => oneWay("n25", { rule: (a) => ({ destination: { bucket: a.destination, replicationTime: { status: "Enabled", time: { minutes: 15 } } } }) }),
        expected: () => [
            [WORKS, "n25-replication", "BucketReplicationConfig 'n25-replication': rule 'everything' turns on Replication Time Control without replication metrics: S3 rejects the configuration (RTC must come with metrics enabled). Fix: set destination.metrics to { status: \"Enabled\", eventThreshold: { minutes: 15 } }."],
        ],
    },
    {
        name: "Replication Time Control of 10 minutes",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationTimeValue.html",
        build: () =>
            oneWay("n26", {
                rule: (a) => ({
                    destination: { bucket: a.destination, replicationTime: { status: "Enabled", time: { minutes: 10 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 10 } } },
                }),
            }),
        expected: () => [
            [WORKS, "n26-replication", "BucketReplicationConfig 'n26-replication': rule 'everything' sets 10 minutes for Replication Time Control: S3 rejects the configuration (15 is the only value it accepts). Fix: set it to 15."],
            [WORKS, "n26-replication", "BucketReplicationConfig 'n26-replication': rule 'everything' sets 10 minutes for the metrics' event threshold: S3 rejects the configuration (15 is the only value it accepts). Fix: set it to 15."],
        ],
    },
    {
        // "Metrics cannot contain an event threshold when ReplicationTime is not specified".
        name: "a metrics event threshold without Replication Time Control",
        category: "deploy-time",
        source: "https://github.com/pulumi/pulumi-aws/issues/5806",
        build: () => oneWay("n27", { rule: (a) => ({ destination: { bucket: a.destination, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } } }) }),
        expected: () => [
            [WORKS, "n27-replication", "BucketReplicationConfig 'n27-replication': rule 'everything''s metrics have an event threshold without Replication Time Control: S3 rejects the configuration (\"Metrics cannot contain an event threshold when ReplicationTime is not specified\"). Fix: remove destination.metrics.eventThreshold, or enable destination.replicationTime."],
        ],
    },
    {
        // "If your Filter includes a Tag element, the DeleteMarkerReplication Status must be set to Disabled."
        name: "a tag filter with delete-marker replication",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html",
        build: () => oneWay("n28", { rule: () => ({ filter: { tag: { key: "replicate", value: "yes" } }, deleteMarkerReplication: { status: "Enabled" } }) }),
        expected: () => [
            [WORKS, "n28-replication", "BucketReplicationConfig 'n28-replication': rule 'everything' filters on tags and replicates delete markers: S3 rejects the configuration (S3 does not replicate delete markers for tag-based rules). Fix: set deleteMarkerReplication.status to \"Disabled\" on rule 'everything', or filter on a prefix only."],
        ],
    },
    {
        // With a filter, each rule states its priority, and no two share one.
        name: "two filter-based rules with the same priority",
        category: "deploy-time",
        source: "https://github.com/hashicorp/terraform-provider-aws/pull/20269",
        build: () => oneWay("n29", { rules: (a) => [prefixRule(a, "documents", 1), prefixRule(a, "images", 1)] }),
        expected: () => [
            [WORKS, "n29-replication", "BucketReplicationConfig 'n29-replication': rules 'documents' and 'images' share priority 1: S3 rejects the configuration (no two filter-based rules share a priority). Fix: give every rule its own priority."],
        ],
    },
    {
        // "This parameter is no longer supported": S3 answers MalformedXML.
        name: "existingObjectReplication enabled",
        category: "deploy-time",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/21961",
        build: () => oneWay("n30", { rule: () => ({ existingObjectReplication: { status: "Enabled" } }) }),
        expected: () => [
            [WORKS, "n30-replication", "BucketReplicationConfig 'n30-replication': rule 'everything' enables existingObjectReplication: S3 rejects the configuration (MalformedXML: the setting is no longer supported). Fix: remove it, and replicate existing objects with S3 Batch Replication."],
        ],
    },
    {
        // "If you don't specify the Filter element, Amazon S3 assumes ... V1. In the earlier version, this element is not allowed."
        name: "replica modification sync in a rule without a filter",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html",
        build: () => oneWay("n31", { rule: () => ({ filter: undefined, prefix: "", sourceSelectionCriteria: { replicaModifications: { status: "Enabled" } } }) }),
        expected: () => [
            [WORKS, "n31-replication", "BucketReplicationConfig 'n31-replication': rule 'everything' syncs replica modifications without a filter (the earlier V1 schema): S3 rejects the configuration (replica modification sync needs the filter-based schema). Fix: add filter: {} to rule 'everything' and state its deleteMarkerReplication."],
        ],
    },
    {
        // "A Filter must specify exactly one Prefix, Tag, or an And child element."
        name: "a filter with a prefix and a tag side by side",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRuleFilter.html",
        build: () => oneWay("n32", { rule: () => ({ filter: { prefix: "documents/", tag: { key: "replicate", value: "yes" } } }) }),
        expected: () => [
            [WORKS, "n32-replication", "BucketReplicationConfig 'n32-replication': rule 'everything''s filter sets 2 of prefix, tag and and: S3 rejects the configuration (a filter holds exactly one of them). Fix: put the prefix and the tags inside filter.and."],
        ],
    },
];

const CORRECT: Case[] = [
    {
        name: "one-way replication, SSE-S3, AWS's minimal role policy",
        category: "permissions",
        source: "https://github.com/awsdocs/amazon-s3-userguide/blob/main/doc_source/replication-walkthrough1.md",
        build: () => oneWay("c01"),
        expected: () => [],
    },
    {
        name: "SSE-KMS with kms:ViaService and encryption-context conditions",
        category: "sse-kms",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () => oneWay("c02", { kms: true }),
        expected: () => [],
    },
    {
        // CDK's grantReplicationPermission: the same statements in the role's default policy (a managed policy, attached).
        name: "CDK's replication grants, as a managed policy attached to the role",
        category: "permissions",
        source: "https://github.com/aws/aws-cdk/pull/34138",
        build: () => oneWay("c03", { kms: true, grant: "managed" }),
        expected: () => [],
    },
    {
        // terraform-aws-modules' s3-replication example: aws_iam_policy + aws_iam_policy_attachment, delete markers on.
        name: "terraform-aws-modules' replication example (PolicyAttachment, delete markers)",
        category: "permissions",
        source: "https://github.com/terraform-aws-modules/terraform-aws-s3-bucket/pull/108",
        build: () => oneWay("c04", { kms: true, grant: "policyAttachment", rule: () => ({ deleteMarkerReplication: { status: "Enabled" } }) }),
        expected: () => [],
    },
    {
        name: "V1 inline rules on a BucketV2, s3:ReplicateDelete granted",
        category: "deploy-time",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/22007",
        build: () => oneWay("c05", { inline: true, rule: () => ({ filter: undefined, prefix: "" }) }),
        expected: () => [],
    },
    {
        name: "role granted through a managed policy of the stack",
        category: "permissions",
        source: "https://github.com/hashicorp/terraform/issues/26704",
        build: () => oneWay("c06", { grant: "managed" }),
        expected: () => [],
    },
    {
        name: "s3:Replicate* on the destination's objects",
        category: "permissions",
        source: "https://github.com/minio/minio/pull/10536",
        build: () =>
            oneWay("c07", {
                rule: () => ({ deleteMarkerReplication: { status: "Enabled" } }),
                statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Action: "s3:Replicate*" })),
            }),
        expected: () => [],
    },
    {
        name: "the role's inline policy",
        category: "permissions",
        source: "https://github.com/aws-controllers-k8s/community/issues/1993",
        build: () => oneWay("c08", { grant: "inline" }),
        expected: () => [],
    },
    {
        name: "cross-account with the destination's bucket policy granting the role, and a TLS-only Deny",
        category: "cross-account",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-2.html",
        build: () =>
            oneWay("c09", {
                crossAccount: {
                    bucketPolicy: (a) => [
                        ...crossAccountGrant(a),
                        { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [a.destination, `${a.destination}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                    ],
                },
            }),
        expected: () => [],
    },
    {
        // Landing Zone Accelerator's maintainers: kms:Encrypt alone on the destination key suffices.
        name: "kms:Encrypt without kms:GenerateDataKey",
        category: "keys",
        source: "https://github.com/awslabs/landing-zone-accelerator-on-aws/issues/1144",
        build: () => oneWay("c10", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", (s) => ({ ...s, Condition: undefined })) }),
        expected: () => [],
    },
    {
        // Passes: nothing mandatory; the advisory companion says what it will judge once the values are known.
        name: "a preview, where the role's policy is built from ARNs not yet known",
        category: "permissions",
        source: "https://github.com/ministryofjustice/aws-root-account/pull/1013",
        build: () => oneWay("c11", { kms: true, previewPolicy: true }),
        expected: () => [
            [
                "s3-replication-will-work-unproven",
                "c11-replication",
                "BucketReplicationConfig 'c11-replication': not proven during this preview, because the policy documents of " +
                    "Role 'c11-replication-role' cannot be read until the resources they are built from exist. S3's needs are " +
                    "checked again when the values are known (pulumi up, or npm run plan offline); nothing to fix now.",
            ],
        ],
    },
    {
        name: "a rule for one prefix, with grants scoped to that prefix",
        category: "permissions",
        source: "https://github.com/Crown-Commercial-Service/digitalmarketplace-aws/pull/458",
        build: () =>
            oneWay("c12", {
                rule: () => ({ filter: { prefix: "documents/" } }),
                statements: (a) =>
                    minimalStatements(a).map((s) => (s.Sid === "ReadObjects" ? { ...s, Resource: `${a.source}/documents/*` } : s.Sid === "Replicate" ? { ...s, Resource: `${a.destination}/documents/*` } : s)),
            }),
        expected: () => [],
    },
    {
        // AWS's trust policy for the replication role with the confused-deputy guard: this account, this source bucket.
        name: "trust conditioned on this account's aws:SourceAccount and the source's aws:SourceArn",
        category: "trust",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
        build: () => oneWay("d01", { trust: trustWith({ StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::d01-src" } }) }),
        expected: () => [],
    },
    {
        name: "a permissions boundary holding the replication actions",
        category: "limits",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        build: () => oneWay("d02", { boundary: (a) => minimalStatements(a) }),
        expected: () => [],
    },
    {
        // The same guard, with the replication role among the exceptions.
        name: "the destination's bucket policy denies every principal but an administrator and the replication role",
        category: "limits",
        source: "https://aws.amazon.com/blogs/security/how-to-restrict-amazon-s3-bucket-access-to-a-specific-iam-role/",
        build: () => oneWay("d03", { bucketPolicies: { destination: (a) => [adminsOnly(a.destination, [ADMIN, a.role])] } }),
        expected: () => [],
    },
    {
        // Within one account, a bucket policy naming the role grants as an identity policy does.
        name: "the replication writes granted to the role in the destination's bucket policy (one account)",
        category: "limits",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
        build: () =>
            oneWay("d04", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", () => undefined), bucketPolicies: { destination: (a) => [bucketGrant(a)] } }),
        expected: () => [],
    },
    {
        name: "the source key's policy denies every use but through S3 of its own region",
        category: "limits",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
        build: () => oneWay("d05", { kms: true, sourceKeyInputs: () => ({ policy: keyPolicy(rootStatement(), onlyThroughS3("us-east-2")) }) }),
        expected: () => [],
    },
    {
        // Without a Bucket Key, each object's ARN: AWS's example policy for SSE-KMS replication.
        name: "S3 Bucket Keys off, KMS grants conditioned on the objects' ARNs",
        category: "conditions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#kms-replication-examples",
        build: () => oneWay("d06", { kms: true, bucketKey: false }),
        expected: () => [],
    },
    {
        name: "grants conditioned on a principal tag the role has",
        category: "conditions",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag",
        build: () =>
            oneWay("d07", {
                roleInputs: () => ({ tags: { team: "storage" } }),
                statements: (a) => changeStatement(minimalStatements(a), "ReadObjects", (s) => ({ ...s, Condition: { StringEquals: { "aws:PrincipalTag/team": "storage" } } })),
            }),
        expected: () => [],
    },
    {
        // A guard on the principal's ARN that names the replication role.
        name: "grants conditioned on aws:PrincipalArn of the replication role",
        category: "conditions",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn",
        build: () =>
            oneWay("d08", {
                statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Condition: { ArnEquals: { "aws:PrincipalArn": a.role } } })),
            }),
        expected: () => [],
    },
    {
        // A key policy may name the role itself: then no IAM grant and no account-root statement is needed.
        name: "a replica key whose key policy names the role, the role's policy silent on it",
        category: "keys",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
        build: () =>
            oneWay("d09", {
                kms: true,
                statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", () => undefined),
                replicaKeyInputs: (a) => ({ policy: keyPolicy(adminStatement(), { Sid: "ReplicationRole", Effect: "Allow", Principal: { AWS: a.role }, Action: "kms:Encrypt", Resource: "*" }) }),
            }),
        expected: () => [],
    },
    {
        // The AWS managed key serves every principal of its account through S3: no KMS statement needed.
        name: "a source encrypted with its account's aws/s3 key, the role without a kms:Decrypt statement",
        category: "keys",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key",
        build: () =>
            oneWay("d10", { kms: true, awsManagedSourceKey: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", () => undefined) }),
        expected: () => [],
    },
    {
        // Cross-account SSE-KMS as AWS documents it: the key owner's key policy grants the source's role.
        name: "another account's replica key whose policy grants the role",
        category: "keys",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html#replication-kms-cross-acct-scenario",
        build: () =>
            oneWay("d11", {
                kms: true,
                crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, ["s3:ReplicateObject", "s3:ReplicateTags"]) },
                replicaKeyAccount: OTHER_ACCOUNT,
                replicaKeyInputs: (a) => ({
                    policy: keyPolicy(rootStatement(OTHER_ACCOUNT), {
                        Sid: "SourceReplicationRole",
                        Effect: "Allow",
                        Principal: { AWS: a.role },
                        Action: "kms:Encrypt",
                        Resource: "*",
                        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
                    }),
                }),
            }),
        expected: () => [],
    },
    {
        name: "Object Lock on both, the role with s3:GetObjectRetention and s3:GetObjectLegalHold",
        category: "object-lock",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-replication",
        build: () => oneWay("d12", { sourceInputs: { objectLockEnabled: true }, destinationInputs: { objectLockEnabled: true }, statements: lockReads }),
        expected: () => [],
    },
    {
        // AWS's owner override: the role may override, the destination's bucket policy grants the source account.
        name: "owner override across accounts, as AWS documents it",
        category: "owner-override",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-walkthrough-3.html",
        build: () => oneWay("d13", { crossAccount: { bucketPolicy: ownerOverrideGrant }, rule: overrideRule, statements: overrideStatements }),
        expected: () => [],
    },
    {
        name: "Replication Time Control with metrics, 15 minutes each",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html",
        build: () =>
            oneWay("d14", {
                rule: (a) => ({
                    destination: { bucket: a.destination, replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
                }),
            }),
        expected: () => [],
    },
    {
        name: "two rules with their own priorities, one filtering on a tag without delete markers",
        category: "deploy-time",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html",
        build: () =>
            oneWay("d15", {
                rules: (a) => [prefixRule(a, "documents", 2), { ...prefixRule(a, "tagged", 1), filter: { and: { prefix: "tagged/", tags: { replicate: "yes" } } } }],
            }),
        expected: () => [],
    },
];

function toRegistrations(built: Built): Registration[] {
    return built.records.map((r) => ({ ...r, custom: true, outputs: r.outputs ?? r.inputs }));
}

describe("replication corpus through the policy pack (Analyzer gRPC)", function () {
    this.timeout(60000);
    // Every case in one stack, analysed once: the cases' resources carry their case's id as a name prefix and
    // never refer to another case's, and the policies judge each configuration on its own.
    const found = new Map<Case, Expected[]>();
    before(async () => {
        const pack = await sharedPack().ready;
        const built = [...MISTAKES, ...CORRECT].map((c) => [c, toRegistrations(c.build())] as const);
        const resources = built.flatMap(([, rs]) => rs);
        const caseOf = new Map(built.flatMap(([c, rs]) => rs.map((r) => [r.urn, c] as const)));
        const nameOf = new Map(resources.map((r) => [r.urn, r.name]));
        const stack = { project: "corpus", stack: "corpus", config: {}, resources };
        await pack.configure(await pack.info(), stack);
        const diagnostics: Diagnostic[] = await pack.analyze(stack);
        built.forEach(([c]) => found.set(c, []));
        for (const d of diagnostics.filter((x) => WATCHED.includes(x.policy))) {
            const c = caseOf.get(d.urn ?? "");
            if (!c) {
                throw new Error(`a diagnostic on no case's resource: ${d.policy}: ${d.message}`);
            }
            found.get(c)!.push([d.policy, nameOf.get(d.urn!)!, d.message]);
        }
    });

    it("holds at least 60 cases, each with its source, and in every category a mistake and a correct variant", () => {
        expect(MISTAKES.length + CORRECT.length).to.be.at.least(60);
        for (const c of [...MISTAKES, ...CORRECT]) {
            expect(c.source, c.name).to.match(/^https:\/\//);
        }
        const categories = (cases: Case[]) => [...new Set(cases.map((c) => c.category))].sort();
        expect(categories(MISTAKES)).to.deep.equal([...CATEGORIES].sort());
        expect(categories(CORRECT)).to.deep.equal([...CATEGORIES].sort());
    });

    it("names every case once", () => {
        const names = [...MISTAKES, ...CORRECT].map((c) => c.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).to.deep.equal([]);
    });

    for (const c of MISTAKES) {
        it(`catches: ${c.name}`, () => {
            expect(found.get(c)).to.deep.equal(c.expected());
        });
    }
    for (const c of CORRECT) {
        it(`passes: ${c.name}`, () => {
            // Nothing mandatory, and no advisory but the ones the case expects (a preview's "not proven yet").
            expect(found.get(c)).to.deep.equal(c.expected());
            expect(c.expected().filter(([policy]) => policy !== UNPROVEN)).to.deep.equal([]);
        });
    }
});
