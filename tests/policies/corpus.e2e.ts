/**
 * The replication corpus, run through the policy pack over the Analyzer gRPC protocol as `npm run plan` and
 * the Pulumi engine do (one pack process, one stack holding every case: Analyze for every resource, then AnalyzeStack).
 * Each mistake was found in the wild: the comment above it cites where. Each case lists every diagnostic
 * of the replication policies it must produce, on which resource, with the exact message; the correct
 * variants must produce none.
 */
import { expect } from "chai";
import { Diagnostic } from "../../tools/plan/analyzer";
import { sharedPack } from "../support/pack";
import { Registration } from "../../tools/mocking";
import { ACCOUNT, Arns, Built, changeStatement, minimalStatements, oneWay, s3Trust, UNKNOWN, withoutAction } from "./corpus";

const WORKS = "s3-replication-will-work";
const UNPROVEN = "s3-replication-will-work-unproven";
const PREREQUISITES = "s3-replication-prerequisites";
const WATCHED = [WORKS, UNPROVEN, PREREQUISITES];

/** [policy, resource name, message] */
type Expected = [string, string, string];

interface Case {
    readonly name: string;
    /** Where the mistake (or the correct variant) comes from. */
    readonly source: string;
    readonly build: () => Built;
    readonly expected: () => Expected[];
}

const crossAccountGrant = (a: Arns, actions = ["s3:ReplicateObject", "s3:ReplicateTags", "s3:ReplicateDelete"], principal = a.role) => [
    { Sid: "ReplicationFromSource", Effect: "Allow", Principal: { AWS: principal }, Action: actions, Resource: `${a.destination}/*` },
    { Sid: "Versioning", Effect: "Allow", Principal: { AWS: principal }, Action: ["s3:GetBucketVersioning", "s3:PutBucketVersioning"], Resource: a.destination },
];

const MISTAKES: Case[] = [
    {
        // A bucket encrypted with SSE-KMS by default, replicated without selecting SSE-KMS objects.
        name: "SSE-KMS source, rule without sseKmsEncryptedObjects",
        source: "https://github.com/ministryofjustice/aws-root-account/pull/1014",
        build: () => oneWay("m01", { kms: true, rule: (a) => ({ sourceSelectionCriteria: undefined, destination: { bucket: a.destination } }) }),
        expected: () => [
            [WORKS, "m01-replication", "BucketReplicationConfig 'm01-replication': rule 'everything' does not select SSE-KMS objects while Bucket 'm01-src' encrypts new objects with SSE-KMS by default: objects encrypted with SSE-KMS will not be replicated to Bucket 'm01-dst'. Fix: set sourceSelectionCriteria.sseKmsEncryptedObjects.status to \"Enabled\" on rule 'everything' and name a replica key in destination.encryptionConfiguration.replicaKmsKeyId."],
        ],
    },
    {
        // A replica key given while the rule does not select SSE-KMS objects: S3 refuses the configuration.
        name: "replica key without selecting SSE-KMS objects",
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
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () => oneWay("m03", { kms: true, rule: (a) => ({ destination: { bucket: a.destination } }) }),
        expected: () => [
            [WORKS, "m03-replication", "BucketReplicationConfig 'm03-replication': rule 'everything' selects SSE-KMS objects but names no replica key: S3 rejects the configuration, and no SSE-KMS object is replicated to Bucket 'm03-dst'. Fix: set destination.encryptionConfiguration.replicaKmsKeyId to the ARN of a KMS key in us-west-2."],
        ],
    },
    {
        // KMS keys are regional: a key of another region is not found there.
        name: "replica key in the source's region",
        source: "https://github.com/aws/aws-cli/issues/1517",
        build: () => oneWay("m04", { kms: true, replicaKeyRegion: "us-east-2" }),
        expected: () => [
            [WORKS, "m04-replication", "BucketReplicationConfig 'm04-replication': rule 'everything' encrypts replicas with key 'arn:aws:kms:us-east-2:111111111111:key/m04-replica-key' of us-east-2, but Bucket 'm04-dst' is in us-west-2: KMS keys are regional, so S3 cannot encrypt the replicas and SSE-KMS objects fail to replicate. Fix: set replicaKmsKeyId to the ARN of a KMS key in us-west-2."],
        ],
    },
    {
        // The same, seen in a preview: the key's ARN is unknown, its provider says us-east-2.
        name: "replica key resource on the source's provider (preview)",
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
        source: "https://github.com/hashicorp/terraform/issues/18966",
        build: () => oneWay("m06", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", () => undefined) }),
        expected: () => [
            [WORKS, "m06-replication", "BucketReplicationConfig 'm06-replication': Role 'm06-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/m06-source-key: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: allow \"kms:Decrypt\" on \"arn:aws:kms:us-east-2:111111111111:key/m06-source-key\" in a policy of Role 'm06-replication-role'."],
        ],
    },
    {
        // Replication kept failing until the destination key's permissions were granted.
        name: "no kms:Encrypt on the replica key",
        source: "https://github.com/ministryofjustice/modernisation-platform/pull/13520",
        build: () => oneWay("m07", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", () => undefined) }),
        expected: () => [
            [WORKS, "m07-replication", "BucketReplicationConfig 'm07-replication': Role 'm07-replication-role' may not kms:Encrypt on arn:aws:kms:us-west-2:111111111111:key/m07-replica-key: S3 cannot encrypt replicas for Bucket 'm07-dst' and SSE-KMS objects fail to replicate. Fix: allow \"kms:Encrypt\" on \"arn:aws:kms:us-west-2:111111111111:key/m07-replica-key\" in a policy of Role 'm07-replication-role'."],
        ],
    },
    {
        // AWS support: a key alias cannot stand for the key in replication policies; the key ARN is required.
        name: "kms:Encrypt granted on the replica key's alias",
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
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/15833",
        build: () => oneWay("m09", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "DecryptSource", (s) => ({ ...s, Resource: a.replicaKey })) }),
        expected: () => [
            [WORKS, "m09-replication", "BucketReplicationConfig 'm09-replication': Role 'm09-replication-role' may not kms:Decrypt on arn:aws:kms:us-east-2:111111111111:key/m09-source-key: S3 cannot decrypt the source's SSE-KMS objects and they fail to replicate. Fix: allow \"kms:Decrypt\" on \"arn:aws:kms:us-east-2:111111111111:key/m09-source-key\" in a policy of Role 'm09-replication-role'."],
        ],
    },
    {
        // "The s3:ReplicateObject permission may be missing for the destination bucket."
        name: "no s3:ReplicateObject on the destination",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-failure-codes.html",
        build: () => oneWay("m10", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateObject")) }),
        expected: () => [
            [WORKS, "m10-replication", "BucketReplicationConfig 'm10-replication': Role 'm10-replication-role' may not s3:ReplicateObject on arn:aws:s3:::m10-dst/*: every object fails to replicate to Bucket 'm10-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\" on \"arn:aws:s3:::m10-dst/*\" in a policy of Role 'm10-replication-role'."],
        ],
    },
    {
        // A troubleshooting guide's "minimum" policy: s3:GetObjectVersion, which does not cover replication reads.
        name: "s3:GetObjectVersion instead of s3:GetObjectVersionForReplication",
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
        source: "https://github.com/awsdocs/amazon-s3-userguide/issues/59",
        build: () => oneWay("m12", { statements: (a) => changeStatement(minimalStatements(a), "ReadConfiguration", (s) => ({ ...s, Resource: `${a.source}/*` })) }),
        expected: () => [
            [WORKS, "m12-replication", "BucketReplicationConfig 'm12-replication': Role 'm12-replication-role' may not s3:GetReplicationConfiguration, s3:ListBucket on arn:aws:s3:::m12-src: S3 cannot read the replication configuration and replicates nothing. Fix: allow \"s3:GetReplicationConfiguration\", \"s3:ListBucket\" on \"arn:aws:s3:::m12-src\" in a policy of Role 'm12-replication-role'."],
        ],
    },
    {
        // A module's replication policy naming "arn:aws:s3:::<bucket>/" (no star): no object matches it.
        name: "destination objects as '<bucket>/' without the star",
        source: "https://github.com/mineiros-io/terraform-aws-s3-bucket/pull/50",
        build: () => oneWay("m13", { statements: (a) => changeStatement(minimalStatements(a), "Replicate", (s) => ({ ...s, Resource: `${a.destination}/` })) }),
        expected: () => [
            [WORKS, "m13-replication", "BucketReplicationConfig 'm13-replication': Role 'm13-replication-role' may not s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m13-dst/*: every object fails to replicate to Bucket 'm13-dst' (OperationsFailedReplication). Fix: allow \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m13-dst/*\" in a policy of Role 'm13-replication-role'."],
        ],
    },
    {
        // Delete markers replicated, the destination refuses them without s3:ReplicateDelete.
        name: "delete-marker replication without s3:ReplicateDelete",
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
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/22007",
        build: () => oneWay("m15", { inline: true, rule: () => ({ filter: undefined, prefix: "" }), statements: (a) => minimalStatements(a, { deletes: false }) }),
        expected: () => [
            [WORKS, "m15-src", "The inline replicationConfiguration of BucketV2 'm15-src': Role 'm15-replication-role' may not s3:ReplicateDelete on arn:aws:s3:::m15-dst/*: delete markers are not replicated to BucketV2 'm15-dst' (DstDelObjNotPermitted). Fix: allow \"s3:ReplicateDelete\" on \"arn:aws:s3:::m15-dst/*\" in a policy of Role 'm15-replication-role'."],
        ],
    },
    {
        // "Amazon S3 can not assume the IAM role specified in replication configuration."
        name: "role trusted by another service",
        source: "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/replication-troubleshoot.html",
        build: () => oneWay("m16", { trust: s3Trust("ec2.amazonaws.com") }),
        expected: () => [
            [WORKS, "m16-replication", "BucketReplicationConfig 'm16-replication': S3 cannot assume Role 'm16-replication-role': its trust policy does not let s3.amazonaws.com call sts:AssumeRole, so nothing is replicated (AssumeRoleNotPermitted). Fix: set its assumeRolePolicy to allow the service principal \"s3.amazonaws.com\" the action \"sts:AssumeRole\"."],
        ],
    },
    {
        // The lab's two roles picked the wrong way round: each direction used the other direction's role.
        name: "the reverse direction's role",
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
        source: "https://github.com/cloudposse/terraform-aws-s3-bucket/issues/68",
        build: () => oneWay("m20", { crossAccount: {} }),
        expected: () => [
            [WORKS, "m20-replication", "BucketReplicationConfig 'm20-replication': Bucket 'm20-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm20-replication-role' (account 111111111111) s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m20-dst/*: every object fails to replicate to Bucket 'm20-dst' (OperationsFailedReplication). Fix: add to Bucket 'm20-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m20-replication\" } of \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m20-dst/*\"."],
        ],
    },
    {
        // AWS's older cross-account example granted s3:ReplicateObject and s3:ReplicateDelete only.
        name: "cross-account bucket policy without s3:ReplicateTags",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/dev/crr-walkthrough-2.html",
        build: () => oneWay("m21", { crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, ["s3:ReplicateObject", "s3:ReplicateDelete"], `arn:aws:iam::${ACCOUNT}:root`) } }),
        expected: () => [
            [WORKS, "m21-replication", "BucketReplicationConfig 'm21-replication': Bucket 'm21-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm21-replication-role' (account 111111111111) s3:ReplicateTags on arn:aws:s3:::m21-dst/*: objects with tags fail to replicate to Bucket 'm21-dst'. Fix: add to Bucket 'm21-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m21-replication\" } of \"s3:ReplicateTags\" on \"arn:aws:s3:::m21-dst/*\"."],
        ],
    },
    {
        // Cross-account replication denied: the destination's policy named another principal.
        name: "cross-account bucket policy granting another role",
        source: "https://github.com/aws-controllers-k8s/community/issues/1993",
        build: () => oneWay("m22", { crossAccount: { bucketPolicy: (a) => crossAccountGrant(a, undefined, `arn:aws:iam::${ACCOUNT}:role/someone-else`) } }),
        expected: () => [
            [WORKS, "m22-replication", "BucketReplicationConfig 'm22-replication': Bucket 'm22-dst' belongs to account 222222222222, and its bucket policy does not grant Role 'm22-replication-role' (account 111111111111) s3:ReplicateObject, s3:ReplicateTags on arn:aws:s3:::m22-dst/*: every object fails to replicate to Bucket 'm22-dst' (OperationsFailedReplication). Fix: add to Bucket 'm22-dst''s bucket policy an Allow for principal { AWS: \"arn:aws:iam::111111111111:role/m22-replication\" } of \"s3:ReplicateObject\", \"s3:ReplicateTags\" on \"arn:aws:s3:::m22-dst/*\"."],
        ],
    },
    {
        // A module's replication role with "s3:Get*" and no KMS statements at all, on SSE-KMS buckets.
        name: "SSE-KMS replication with no KMS statement in the role",
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
        source: "https://github.com/hashicorp/terraform/issues/26704",
        build: () => oneWay("m25", { grant: "managed", statements: (a) => changeStatement(minimalStatements(a), "Replicate", withoutAction("s3:ReplicateTags")) }),
        expected: () => [
            [WORKS, "m25-replication", "BucketReplicationConfig 'm25-replication': Role 'm25-replication-role' may not s3:ReplicateTags on arn:aws:s3:::m25-dst/*: objects with tags fail to replicate to Bucket 'm25-dst'. Fix: allow \"s3:ReplicateTags\" on \"arn:aws:s3:::m25-dst/*\" in a policy of Role 'm25-replication-role'."],
        ],
    },
    {
        // The destination bucket's versioning suspended (today's check, in s3-replication-prerequisites).
        name: "destination versioning Suspended",
        source: "https://github.com/terraform-aws-modules/terraform-aws-s3-bucket/issues/172",
        build: () => oneWay("m26", { destinationVersioning: "Suspended" }),
        expected: () => [
            [PREREQUISITES, "m26-replication", "BucketReplicationConfig 'm26-replication': its destination Bucket 'm26-dst' has versioning Suspended; replication needs Enabled."],
        ],
    },
    {
        // Roles created outside the program (the lab's CloudFormation roles), named by ARN: nothing to read.
        name: "a role that is not in the stack (advisory)",
        source: "https://github.com/awslabs/aws-well-architected-labs/issues/615",
        build: () => oneWay("m27", { externalRole: true }),
        expected: () => [
            [UNPROVEN, "m27-replication", "BucketReplicationConfig 'm27-replication': could not prove that S3 can replicate: its role 'arn:aws:iam::111111111111:role/m27-replication' is not a role of this stack, so its trust and permissions cannot be read. Fix: manage the replication role in this stack."],
        ],
    },
    {
        // Replication permissions expected from an AWS managed policy (S3 full access): not readable here.
        name: "permissions only from an AWS managed policy (advisory)",
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
        source: "https://github.com/crossplane-contrib/provider-upjet-aws/issues/1478",
        build: () => oneWay("m29", { kms: true, rule: (a) => ({ destination: { bucket: a.destination, encryptionConfiguration: { replicaKmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" } } }) }),
        expected: () => [
            [UNPROVEN, "m29-replication", "BucketReplicationConfig 'm29-replication': could not prove that rule 'everything''s replica key '1234abcd-12ab-34cd-56ef-1234567890ab' is in the region of Bucket 'm29-dst': it is not a KMS key ARN. Fix: name the key by its ARN (arn:aws:kms:<region>:<account>:key/<id>)."],
        ],
    },
    {
        // A Deny conditioned on the organization: whether S3's requests meet it cannot be read from the stack.
        name: "a conditional Deny on the replication actions (advisory)",
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
];

const CORRECT: Case[] = [
    {
        name: "one-way replication, SSE-S3, AWS's minimal role policy",
        source: "https://github.com/awsdocs/amazon-s3-userguide/blob/main/doc_source/replication-walkthrough1.md",
        build: () => oneWay("c01"),
        expected: () => [],
    },
    {
        name: "SSE-KMS with kms:ViaService and encryption-context conditions",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
        build: () => oneWay("c02", { kms: true }),
        expected: () => [],
    },
    {
        // CDK's grantReplicationPermission: the same statements in the role's default policy (a managed policy, attached).
        name: "CDK's replication grants, as a managed policy attached to the role",
        source: "https://github.com/aws/aws-cdk/pull/34138",
        build: () => oneWay("c03", { kms: true, grant: "managed" }),
        expected: () => [],
    },
    {
        // terraform-aws-modules' s3-replication example: aws_iam_policy + aws_iam_policy_attachment, delete markers on.
        name: "terraform-aws-modules' replication example (PolicyAttachment, delete markers)",
        source: "https://github.com/terraform-aws-modules/terraform-aws-s3-bucket/pull/108",
        build: () => oneWay("c04", { kms: true, grant: "policyAttachment", rule: () => ({ deleteMarkerReplication: { status: "Enabled" } }) }),
        expected: () => [],
    },
    {
        name: "V1 inline rules on a BucketV2, s3:ReplicateDelete granted",
        source: "https://github.com/hashicorp/terraform-provider-aws/issues/22007",
        build: () => oneWay("c05", { inline: true, rule: () => ({ filter: undefined, prefix: "" }) }),
        expected: () => [],
    },
    {
        name: "role granted through a managed policy of the stack",
        source: "https://github.com/hashicorp/terraform/issues/26704",
        build: () => oneWay("c06", { grant: "managed" }),
        expected: () => [],
    },
    {
        name: "s3:Replicate* on the destination's objects",
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
        source: "https://github.com/aws-controllers-k8s/community/issues/1993",
        build: () => oneWay("c08", { grant: "inline" }),
        expected: () => [],
    },
    {
        name: "cross-account with the destination's bucket policy granting the role, and a TLS-only Deny",
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
        source: "https://github.com/awslabs/landing-zone-accelerator-on-aws/issues/1144",
        build: () => oneWay("c10", { kms: true, statements: (a) => changeStatement(minimalStatements(a, { kms: true }), "EncryptReplicas", (s) => ({ ...s, Condition: undefined })) }),
        expected: () => [],
    },
    {
        // Passes: nothing mandatory; the advisory companion says what it will judge once the values are known.
        name: "a preview, where the role's policy is built from ARNs not yet known",
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
        source: "https://github.com/Crown-Commercial-Service/digitalmarketplace-aws/pull/458",
        build: () =>
            oneWay("c12", {
                rule: () => ({ filter: { prefix: "documents/" } }),
                statements: (a) =>
                    minimalStatements(a).map((s) => (s.Sid === "ReadObjects" ? { ...s, Resource: `${a.source}/documents/*` } : s.Sid === "Replicate" ? { ...s, Resource: `${a.destination}/documents/*` } : s)),
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

    it("holds at least 25 mistakes, each with its source, and the correct variants", () => {
        expect(MISTAKES.length).to.be.at.least(25);
        for (const c of [...MISTAKES, ...CORRECT]) {
            expect(c.source, c.name).to.match(/^https:\/\//);
        }
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
