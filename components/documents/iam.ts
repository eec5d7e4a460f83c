/**
 * IAM and resource policy documents, as pure functions of resolved ARNs and names. Action lists are named
 * constants here; the component turns Outputs into plain strings and calls these builders in `apply`.
 */

// The object actions a Multi-Region Access Point's policy allows: a bucket of another account grants the same.
import { ACCESS_POINT_OBJECT_ACTIONS } from "./accessPoint";
import { COMPONENT_BUCKET_POLICY_SIDS } from "../model/adoption";

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    /** `Federated`: an OIDC provider in a role's trust (the bootstrap's CI roles). */
    Principal?: "*" | { Service: string } | { AWS: string | string[] } | { Federated: string };
    Action: string | string[];
    /** Absent only in trust policies, where the role itself is the resource. */
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** A policy document of `statements`, in IAM's current policy language version. */
export const policyDocument = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });
const doc = policyDocument;

/**
 * The minimum S3 needs on the source bucket and its objects, and on each destination's objects
 * ("Setting up permissions for live replication"). `GetObjectVersionForReplication` rather than
 * `GetObjectVersion`: the latter does not cover SSE-KMS objects.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export const REPLICATION_SOURCE_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:ListBucket"];
export const REPLICATION_SOURCE_OBJECT_ACTIONS = [
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionTagging",
];
export const REPLICATION_DESTINATION_OBJECT_ACTIONS = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];
/** On the source key, to read SSE-KMS objects. */
export const REPLICATION_SOURCE_KEY_ACTIONS = ["kms:Decrypt"];
/** On each replica key: encrypt replicas (and data keys, for plaintext objects landing in a KMS bucket). */
export const REPLICATION_DESTINATION_KEY_ACTIONS = ["kms:Encrypt", "kms:GenerateDataKey"];

/** What CloudTrail may do in the logging bucket (`AWSLogs/<account>/` only). */
export const CLOUDTRAIL_BUCKET_ACL_CHECK_ACTIONS = ["s3:GetBucketAcl"];
export const CLOUDTRAIL_BUCKET_WRITE_ACTIONS = ["s3:PutObject"];
/** What CloudTrail may do in its log group (the default CloudTrail_CloudWatchLogs_Role policy). */
export const CLOUDTRAIL_LOGS_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"];

export const S3_SERVICE_PRINCIPAL = "s3.amazonaws.com";
export const CLOUDTRAIL_SERVICE_PRINCIPAL = "cloudtrail.amazonaws.com";

/**
 * The ARN of option `permissionsBoundary` in one account: an ARN as given, a policy name as that account's
 * customer managed policy; undefined when the option is not set ("").
 */
export function permissionsBoundaryArn(option: string, partition: string, accountId: string): string | undefined {
    if (option === "") {
        return undefined;
    }
    return option.startsWith("arn:") ? option : `arn:${partition}:iam::${accountId}:policy/${option}`;
}

/** The principal S3 server access logging delivers as (with ACLs disabled, a bucket policy grant is the only way). */
export const S3_LOGGING_SERVICE_PRINCIPAL = "logging.s3.amazonaws.com";
/** What S3 server access logging may do in the target bucket, under its prefix only. */
export const S3_ACCESS_LOG_WRITE_ACTIONS = ["s3:PutObject"];

/**
 * What CloudWatch Logs may do with the key of an encrypted log group (AWS's key policy for log group
 * encryption; AWS CDK's integration snapshots grant the same five).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export const LOGS_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];
/** What CloudTrail may do with the key its log files are encrypted with. */
export const CLOUDTRAIL_KEY_ENCRYPT_ACTIONS = ["kms:GenerateDataKey*"];
export const CLOUDTRAIL_KEY_DESCRIBE_ACTIONS = ["kms:DescribeKey"];

/** Trust policy of a role that only `service` may assume, optionally only on behalf of `sourceAccount`. */
export function serviceTrustPolicy(service: string, sourceAccount?: string): PolicyDocument {
    const statement: PolicyStatement = {
        Sid: "AssumedOnlyBy" + service.split(".")[0].replace(/^./, (c) => c.toUpperCase()),
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
    };
    if (sourceAccount !== undefined) {
        statement.Condition = { StringEquals: { "aws:SourceAccount": sourceAccount } };
    }
    return doc(statement);
}

/** A replication destination as the role policy sees it. */
export interface ReplicationDestinationRefs {
    readonly bucketArn: string;
    readonly region: string;
    /** ARN of the destination's KMS key (SSE-KMS mode only). */
    readonly kmsKeyArn?: string;
}

export interface ReplicationPolicyInput {
    readonly sourceBucketArn: string;
    readonly sourceRegion: string;
    readonly sourceKmsKeyArn?: string;
    readonly destinations: readonly ReplicationDestinationRefs[];
    /** DNS suffix of the partition (`amazonaws.com`, `amazonaws.com.cn`), for `kms:ViaService`. */
    readonly dnsSuffix: string;
}

/**
 * The replication role's policy: exact bucket ARNs, no wildcard beyond `<bucket-arn>/*`, and the KMS
 * statements only when both ends have keys. KMS use is bound to S3 in the right region (`kms:ViaService`)
 * and to the right bucket (`kms:EncryptionContext:aws:s3:arn`: the object ARN, or the bucket ARN when an
 * S3 Bucket Key is in use, hence both forms).
 */
export function replicationRolePolicy(input: ReplicationPolicyInput): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "ReadReplicationConfiguration",
            Effect: "Allow",
            Action: REPLICATION_SOURCE_BUCKET_ACTIONS,
            Resource: input.sourceBucketArn,
        },
        {
            Sid: "ReadSourceObjectVersions",
            Effect: "Allow",
            Action: REPLICATION_SOURCE_OBJECT_ACTIONS,
            Resource: `${input.sourceBucketArn}/*`,
        },
        {
            Sid: "WriteReplicas",
            Effect: "Allow",
            Action: REPLICATION_DESTINATION_OBJECT_ACTIONS,
            Resource: input.destinations.map((d) => `${d.bucketArn}/*`),
        },
    ];
    if (input.sourceKmsKeyArn !== undefined) {
        statements.push({
            Sid: "DecryptSourceObjects",
            Effect: "Allow",
            Action: REPLICATION_SOURCE_KEY_ACTIONS,
            Resource: input.sourceKmsKeyArn,
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${input.sourceRegion}.${input.dnsSuffix}` },
                StringLike: {
                    "kms:EncryptionContext:aws:s3:arn": [input.sourceBucketArn, `${input.sourceBucketArn}/*`],
                },
            },
        });
        input.destinations.forEach((d, i) => {
            if (d.kmsKeyArn === undefined) {
                throw new Error(`replicationRolePolicy: destination ${d.bucketArn} has no KMS key in SSE-KMS mode`);
            }
            statements.push({
                Sid: `EncryptReplicas${i}`,
                Effect: "Allow",
                Action: REPLICATION_DESTINATION_KEY_ACTIONS,
                Resource: d.kmsKeyArn,
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${d.region}.${input.dnsSuffix}` },
                    StringLike: { "kms:EncryptionContext:aws:s3:arn": [d.bucketArn, `${d.bucketArn}/*`] },
                },
            });
        });
    }
    return doc(...statements);
}

/** Denies every request to the bucket and its objects that does not use TLS. */
export function denyInsecureTransportStatement(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * What a destination bucket's policy grants the replication role of another account: the replica writes
 * on its objects and the versioning checks on the bucket (S3 User Guide, "Granting permissions when the
 * source and destination buckets are owned by different AWS accounts"). No owner override
 * (`s3:ObjectOwnerOverrideToBucketOwner`): every bucket here is BucketOwnerEnforced, so replicas belong to
 * the destination's account anyway.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export const CROSS_ACCOUNT_DESTINATION_OBJECT_ACTIONS = REPLICATION_DESTINATION_OBJECT_ACTIONS;
export const CROSS_ACCOUNT_DESTINATION_BUCKET_ACTIONS = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"];

/** A Multi-Region Access Point of another account over a bucket: the account that owns it. */
export interface ForeignAccessPoint {
    readonly partition: string;
    readonly ownerAccountId: string;
}

/**
 * Bucket policy of a replicated bucket: TLS only, and (when other accounts replicate into it) the
 * cross-account grants to exactly their replication roles. A same-account bucket gets no grant: the
 * role's IAM policy is enough within one account. A bucket under a Multi-Region Access Point of another
 * account (`accessPoint`) lets that account's principals in through its access points only
 * (`s3:DataAccessPointAccount`, as AWS's delegation example has it), for what the access point's own policy
 * allows: without it the access point cannot reach the bucket, and requests routed there fail.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/multi-region-access-point-buckets.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointPermissions.html
 */
export function replicatedBucketPolicy(
    bucketArn: string,
    foreignReplicationRoleArns: readonly string[] = [],
    accessPoint?: ForeignAccessPoint,
): PolicyDocument {
    const statements: PolicyStatement[] = [denyInsecureTransportStatement(bucketArn)];
    if (accessPoint !== undefined) {
        statements.push({
            Sid: "MultiRegionAccessPointOfOtherAccount",
            Effect: "Allow",
            Principal: { AWS: `arn:${accessPoint.partition}:iam::${accessPoint.ownerAccountId}:root` },
            Action: ACCESS_POINT_OBJECT_ACTIONS,
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "s3:DataAccessPointAccount": accessPoint.ownerAccountId } },
        });
    }
    if (foreignReplicationRoleArns.length > 0) {
        const principal = { AWS: foreignReplicationRoleArns.length === 1 ? foreignReplicationRoleArns[0] : [...foreignReplicationRoleArns] };
        statements.push(
            {
                Sid: "ReplicasFromOtherAccounts",
                Effect: "Allow",
                Principal: principal,
                Action: CROSS_ACCOUNT_DESTINATION_OBJECT_ACTIONS,
                Resource: `${bucketArn}/*`,
            },
            {
                Sid: "VersioningCheckFromOtherAccounts",
                Effect: "Allow",
                Principal: principal,
                Action: CROSS_ACCOUNT_DESTINATION_BUCKET_ACTIONS,
                Resource: bucketArn,
            },
        );
    }
    return doc(...statements);
}

/**
 * A bucket policy with the bucket's own statements (a side's `bucketPolicyStatements`) after the component's:
 * S3 keeps one policy per bucket, and the component's BucketPolicy replaces whatever the bucket had. A `Sid`
 * of the component's is refused (validation reports it first, naming the argument; this guards the builder).
 */
export function withOwnStatements(policy: PolicyDocument, own: readonly object[]): PolicyDocument {
    const ours = new Set(policy.Statement.map((s) => s.Sid));
    for (const statement of own) {
        const sid = (statement as { Sid?: unknown }).Sid;
        if (typeof sid === "string" && ours.has(sid)) {
            throw new Error(`bucketPolicyStatements: Sid '${sid}' is one of the component's own statements (${COMPONENT_BUCKET_POLICY_SIDS.join(", ")})`);
        }
    }
    return { Version: policy.Version, Statement: [...policy.Statement, ...(own as PolicyStatement[])] };
}

/**
 * S3 Batch Replication with a manifest S3 generates from the replication configuration, and a completion
 * report ("Configuring an IAM role for S3 Batch Replication", policy "if using and storing an S3 generated
 * manifest"): start replication of the source's objects; read the source's replication configuration and put
 * the inventory configuration the manifest generator uses; read the manifest back and write it and the
 * report. Manifest and report both go to the logging bucket under one prefix, so the object statements name
 * `<logging-bucket-arn>/<prefix>*`, not the whole bucket. No KMS statement: the logging bucket is SSE-S3, and
 * the replication itself runs with the replication configuration's role, which holds the keys' grants.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-policies.html
 */
export const BATCH_REPLICATION_OBJECT_ACTIONS = ["s3:InitiateReplication"];
export const BATCH_REPLICATION_BUCKET_ACTIONS = ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"];
export const BATCH_REPLICATION_MANIFEST_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"];
export const BATCH_REPLICATION_REPORT_WRITE_ACTIONS = ["s3:PutObject"];
/** The S3 Batch Operations service principal, the only one trusted by the Batch Replication role. */
export const BATCH_OPERATIONS_SERVICE_PRINCIPAL = "batchoperations.s3.amazonaws.com";

export interface BatchReplicationPolicyInput {
    readonly sourceBucketArn: string;
    readonly loggingBucketArn: string;
    /** Prefix of manifests and reports in the logging bucket, ending in `/`. */
    readonly prefix: string;
}

/** The Batch Replication role's policy: exact ARNs, the report prefix only in the logging bucket. */
export function batchReplicationRolePolicy(input: BatchReplicationPolicyInput): PolicyDocument {
    const reports = `${input.loggingBucketArn}/${input.prefix}*`;
    return doc(
        { Sid: "InitiateReplication", Effect: "Allow", Action: BATCH_REPLICATION_OBJECT_ACTIONS, Resource: `${input.sourceBucketArn}/*` },
        { Sid: "GenerateManifest", Effect: "Allow", Action: BATCH_REPLICATION_BUCKET_ACTIONS, Resource: input.sourceBucketArn },
        { Sid: "ReadManifest", Effect: "Allow", Action: BATCH_REPLICATION_MANIFEST_READ_ACTIONS, Resource: reports },
        { Sid: "WriteManifestAndReport", Effect: "Allow", Action: BATCH_REPLICATION_REPORT_WRITE_ACTIONS, Resource: reports },
    );
}

/**
 * Trust policy of the Batch Replication role: S3 Batch Operations only, as AWS documents it ("Granting
 * permissions for Batch Operations"), without a source condition: AWS documents none for this principal, and
 * a condition a service does not send makes every job fail to assume the role.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html
 */
export function batchReplicationTrustPolicy(): PolicyDocument {
    return serviceTrustPolicy(BATCH_OPERATIONS_SERVICE_PRINCIPAL);
}

/** `arn:<partition>:s3:::<bucket>`. */
export function bucketArn(partition: string, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}

export interface LoggingBucketPolicyInput {
    readonly bucketArn: string;
    readonly accountId: string;
    /** ARN of the one trail allowed to write here (`aws:SourceArn`). */
    readonly trailArn: string;
    /** S3 server access logs of one bucket delivered here under `prefix` (absent: no access logging). */
    readonly accessLogs?: { readonly sourceBucketArn: string; readonly prefix: string };    /** The side's Batch Replication role, writing manifests and reports under `prefix` (option `batchReplication`). */
    readonly batchReplication?: { readonly roleArn: string; readonly prefix: string };
}

/**
 * Bucket policy of a logging bucket: TLS only, CloudTrail (this account's one trail, checked with
 * `aws:SourceArn` and `aws:SourceAccount`) may check the ACL and write under `AWSLogs/<account>/` only, and
 * S3 server access logging (when on) may write the replicated bucket's access logs under their prefix only.
 * No ACL grants: the bucket has ACLs disabled (BucketOwnerEnforced).
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function loggingBucketPolicy(input: LoggingBucketPolicyInput): PolicyDocument {
    const sourceCondition = { "aws:SourceArn": input.trailArn, "aws:SourceAccount": input.accountId };
    const accessLogs: PolicyStatement[] = input.accessLogs
        ? [
              {
                  // The grant AWS documents for a target bucket with ACLs disabled: the logging service, only
                  // under the source bucket's own prefix, only for that bucket of this account.
                  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
                  Sid: "S3ServerAccessLogsDelivery",
                  Effect: "Allow",
                  Principal: { Service: S3_LOGGING_SERVICE_PRINCIPAL },
                  Action: S3_ACCESS_LOG_WRITE_ACTIONS,
                  Resource: `${input.bucketArn}/${input.accessLogs.prefix}*`,
                  Condition: {
                      ArnLike: { "aws:SourceArn": input.accessLogs.sourceBucketArn },
                      StringEquals: { "aws:SourceAccount": input.accountId },
                  },
              },
          ]
        : [];
    return doc(
        denyInsecureTransportStatement(input.bucketArn),
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE_PRINCIPAL },
            Action: CLOUDTRAIL_BUCKET_ACL_CHECK_ACTIONS,
            Resource: input.bucketArn,
            Condition: { StringEquals: sourceCondition },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE_PRINCIPAL },
            Action: CLOUDTRAIL_BUCKET_WRITE_ACTIONS,
            Resource: `${input.bucketArn}/AWSLogs/${input.accountId}/*`,
            Condition: {
                StringEquals: { ...sourceCondition, "s3:x-amz-acl": "bucket-owner-full-control" },
            },
        },
        ...accessLogs,
        ...(input.batchReplication
            ? [
                  {
                      // The Batch Replication role (same account: its IAM policy would do; the bucket policy says it
                      // too, as the other writers here are named) may write and read back under its prefix only.
                      Sid: "BatchReplicationReports",
                      Effect: "Allow" as const,
                      Principal: { AWS: input.batchReplication.roleArn },
                      Action: [...BATCH_REPLICATION_REPORT_WRITE_ACTIONS, ...BATCH_REPLICATION_MANIFEST_READ_ACTIONS],
                      Resource: `${input.bucketArn}/${input.batchReplication.prefix}*`,
                  },
              ]
            : []),
    );
}

/**
 * Policy of the role CloudTrail assumes to deliver to CloudWatch Logs: create and write the trail's own
 * log streams (`<account>_CloudTrail_<region>*`) in one log group.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 */
export function trailLogsRolePolicy(logGroupArn: string, accountId: string, region: string): PolicyDocument {
    return doc({
        Sid: "DeliverTrailEvents",
        Effect: "Allow",
        Action: CLOUDTRAIL_LOGS_ACTIONS,
        Resource: `${logGroupArn}:log-stream:${accountId}_CloudTrail_${region}*`,
    });
}

/** `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`, known before the trail exists. */
export function trailArn(partition: string, region: string, accountId: string, trailName: string): string {
    return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** `arn:<partition>:logs:<region>:<account>:log-group:<name>`, known before the group exists (no `:*`). */
export function logGroupArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}

export interface SideKeyPolicyInput {
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
    /** DNS suffix of the partition, for the regional CloudWatch Logs principal. */
    readonly dnsSuffix: string;
    /** The one log group the key encrypts (`kms:EncryptionContext:aws:logs:arn`). */
    readonly logGroupArn: string;
    /** The one trail whose log files the key encrypts (`aws:SourceArn`). */
    readonly trailArn: string;
    /** The replicated bucket the key encrypts (the encryption context of replicas written into it). */
    readonly bucketArn?: string;
    /** Replication roles of other accounts that write replicas into the bucket (cross-account only). */
    readonly foreignReplicationRoleArns?: readonly string[];
}

/**
 * The key policy of a side's customer managed key (SSE-KMS mode). In a key policy `Resource: "*"` means
 * "this key": the key's own ARN is not known before it exists, and nothing else can be named there.
 * - The account root's `kms:*`, as the default key policy has it: without it no IAM policy grants anything
 *   on the key, so the replication roles' `kms:Decrypt`/`kms:Encrypt` statements (scoped there by
 *   `kms:ViaService` and the bucket's encryption context) and S3's use of the key on behalf of callers
 *   would all be refused, and the key could lock its own administrators out.
 * - CloudWatch Logs of the side's region, for its one log group (ArnEquals on the log group's encryption
 *   context). AssociateKmsKey/CreateLogGroup fail when this statement is missing.
 * - CloudTrail, for its one trail (`aws:SourceArn`), on the encryption context form AWS documents.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function sideKeyPolicy(input: SideKeyPolicyInput): PolicyDocument {
    const trailSource = { "aws:SourceArn": input.trailArn };
    return doc(
        {
            Sid: "EnableIamPolicies",
            Effect: "Allow",
            Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "CloudWatchLogsEncryptLogGroup",
            Effect: "Allow",
            Principal: { Service: `logs.${input.region}.${input.dnsSuffix}` },
            Action: LOGS_KEY_ACTIONS,
            Resource: "*",
            Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": input.logGroupArn } },
        },
        {
            Sid: "CloudTrailEncryptLogFiles",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE_PRINCIPAL },
            Action: CLOUDTRAIL_KEY_ENCRYPT_ACTIONS,
            Resource: "*",
            Condition: {
                StringEquals: trailSource,
                StringLike: {
                    "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${input.partition}:cloudtrail:*:${input.accountId}:trail/*`,
                },
            },
        },
        {
            Sid: "CloudTrailDescribeKey",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE_PRINCIPAL },
            Action: CLOUDTRAIL_KEY_DESCRIBE_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: trailSource },
        },
        ...foreignRoleStatements(input),
    );
}

/**
 * The key policy half of a cross-account replica encryption: the other account's role may encrypt with
 * this key only through S3 in this key's region and only for this bucket, the conditions its own IAM
 * policy states (both halves are needed across accounts).
 */
function foreignRoleStatements(input: SideKeyPolicyInput): PolicyStatement[] {
    const roles = input.foreignReplicationRoleArns ?? [];
    if (roles.length === 0 || input.bucketArn === undefined) {
        return [];
    }
    return [
        {
            Sid: "ReplicasFromOtherAccounts",
            Effect: "Allow",
            Principal: { AWS: roles.length === 1 ? roles[0] : [...roles] },
            Action: REPLICATION_DESTINATION_KEY_ACTIONS,
            Resource: "*",
            Condition: {
                StringEquals: { "kms:ViaService": `s3.${input.region}.${input.dnsSuffix}` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [input.bucketArn, `${input.bucketArn}/*`] },
            },
        },
    ];
}

/** The service principal of CloudWatch alarms (publishing to SNS). */
export const CLOUDWATCH_SERVICE_PRINCIPAL = "cloudwatch.amazonaws.com";
/**
 * What CloudWatch alarms and S3 event notifications need on the key of an encrypted SNS topic they publish
 * to (SNS asks them for a data key and decrypts with it).
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export const TOPIC_PUBLISHER_KEY_ACTIONS = ["kms:GenerateDataKey*", "kms:Decrypt"];

/** The service principal of Amazon EventBridge (rules publishing to SNS). */
export const EVENTS_SERVICE_PRINCIPAL = "events.amazonaws.com";

/**
 * Key policy of a side's alerts key: the account root's `kms:*` (IAM grants keep working, the key cannot
 * lock its administrators out), and the services that publish to the alerts topic: CloudWatch alarms, S3
 * event notifications and (with `eventBridge`, for AWS Backup's failed jobs) EventBridge rules.
 *
 * No `aws:SourceAccount`/`aws:SourceArn` on these statements: AWS documents them without source conditions
 * (SNS's list of services that publish to encrypted topics), and a condition a service does not send on its
 * KMS calls would fail every delivery without a word. The key encrypts this one topic only, whose policy
 * decides who may publish (with source conditions where AWS documents them).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function alertsKeyPolicy(partition: string, accountId: string, options: { readonly eventBridge?: boolean } = {}): PolicyDocument {
    return doc(
        { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
        { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL }, Action: TOPIC_PUBLISHER_KEY_ACTIONS, Resource: "*" },
        { Sid: "S3EventsPublish", Effect: "Allow", Principal: { Service: S3_SERVICE_PRINCIPAL }, Action: TOPIC_PUBLISHER_KEY_ACTIONS, Resource: "*" },
        ...(options.eventBridge
            ? [{ Sid: "EventBridgePublish", Effect: "Allow" as const, Principal: { Service: EVENTS_SERVICE_PRINCIPAL }, Action: TOPIC_PUBLISHER_KEY_ACTIONS, Resource: "*" }]
            : []),
    );
}

export interface AlertsTopicPolicyInput {
    readonly topicArn: string;
    readonly accountId: string;
    /** The accounts whose alarms publish here: this side's, and the sources' of the rules into it. */
    readonly alarmAccountIds: readonly string[];
    /** Per such account, `arn:<partition>:cloudwatch:<region>:<account>:alarm:<alarm prefix>*`: this component's alarms only. */
    readonly alarmArnPatterns: readonly string[];
    /** The side's replicated bucket: the one bucket whose events may be published here. */
    readonly bucketArn: string;
    /** EventBridge rules may publish too (AWS Backup's failed jobs). */
    readonly eventBridge?: boolean;
}

/**
 * Policy of a side's alerts topic: this account's alarms of this component (by name prefix) and this side's
 * replicated bucket may publish (`aws:SourceAccount` against a confused deputy, `aws:SourceArn` to the exact
 * senders), and with `eventBridge` the EventBridge rules of AWS Backup's failed jobs.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
export function alertsTopicPolicy(input: AlertsTopicPolicyInput): PolicyDocument {
    return doc(
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: CLOUDWATCH_SERVICE_PRINCIPAL },
            Action: "sns:Publish",
            Resource: input.topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": input.alarmAccountIds.length === 1 ? input.alarmAccountIds[0] : [...input.alarmAccountIds] },
                ArnLike: { "aws:SourceArn": input.alarmArnPatterns.length === 1 ? input.alarmArnPatterns[0] : [...input.alarmArnPatterns] },
            },
        },
        {
            Sid: "S3EventsPublish",
            Effect: "Allow",
            Principal: { Service: S3_SERVICE_PRINCIPAL },
            Action: "sns:Publish",
            Resource: input.topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": input.accountId }, ArnLike: { "aws:SourceArn": input.bucketArn } },
        },
        // As EventBridge documents it for an SNS target, without a source condition: its documented statement for
        // SNS has none (its Lambda and API Gateway ones name the rule), and a condition a service does not send
        // would drop every failed-job event silently. The topic's other publishers stay conditioned above.
        // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
        ...(input.eventBridge
            ? [{ Sid: "EventBridgePublish", Effect: "Allow" as const, Principal: { Service: EVENTS_SERVICE_PRINCIPAL }, Action: "sns:Publish", Resource: input.topicArn }]
            : []),
    );
}
