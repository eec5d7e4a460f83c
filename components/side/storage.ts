import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import * as iam from "../documents/iam";
import { createBatchReplicationPolicy, createBatchReplicationRole, SideBatchReplication } from "./batch";
import { HardenedBucket, hardenedBucket } from "./bucket";
import { InboundReplication, SideContext } from "./context";
import { SideKey } from "./keys";

/** A side's buckets: the replicated one and the one its logs go to. */
export interface SideStorage {
    readonly replicated: HardenedBucket;
    readonly logging: HardenedBucket;
    readonly loggingLifecycle: aws.s3.BucketLifecycleConfiguration;
    /** S3 server access logging of the replicated bucket into the logging bucket (option `accessLogging`). */
    readonly accessLogging?: aws.s3.BucketLogging;
    /** The role of the side's Batch Replication jobs, with its policy (option `batchReplication`). */
    readonly batchReplication?: SideBatchReplication;
}

/**
 * Registers the side's replicated bucket and its logging bucket, and (option `accessLogging`) the
 * replicated bucket's S3 server access logging into the logging bucket. The logging bucket's policy names
 * the trail that may write into it before the trail exists: CloudTrail checks that policy when the trail
 * is created. The replicated bucket's policy grants replication roles of other accounts what cross-account
 * replication needs, and a Multi-Region Access Point of another account (`accessPointOwner`) what it needs to
 * reach the bucket; a same-account side's policy stays TLS-only.
 */
export function createStorage(
    ctx: SideContext,
    key: SideKey | undefined,
    inbound: readonly InboundReplication[],
    accessPointOwner?: pulumi.Output<string>,
): SideStorage {
    const { region, names, topology, identity } = ctx;
    const foreign = pulumi.all(inbound.map((i) => pulumi.all([i.accountId, i.role.arn])));
    // The account of the Multi-Region Access Point over every side's bucket (option accessPoint), if any.
    const owner = accessPointOwner ?? pulumi.output(undefined);
    // A mesh side about to leave (its `onRemoval`): `empty` lets the removal delete its buckets with their
    // objects; `retain` records retainOnDelete in the state, which the engine reads when the side is gone
    // from the program: the buckets and their settings stay in AWS, out of the stack.
    const forceDestroy = topology.forceDestroy || ctx.side.onRemoval === "empty";
    const retain: pulumi.CustomResourceOptions = ctx.side.onRemoval === "retain" ? { retainOnDelete: true } : {};
    // The bucket's own statements (an adopted bucket's), resolved with every Output inside them.
    const own = pulumi.output(ctx.side.bucketPolicyStatements as aws.iam.PolicyStatement[]);
    const replicated = hardenedBucket(
        ctx.childName("bucket"),
        {
            bucketName: names.bucket,
            region,
            encryption: key ? { algorithm: "aws:kms", keyArn: key.key.arn } : { algorithm: "AES256" },
            // The bucket depends on its key, so that destroying a stack never schedules the deletion of a
            // key while objects encrypted with it remain (a non-empty bucket stops the destroy before it).
            dependsOn: key ? [key.key] : [],
            forceDestroy,
            tags: ctx.tags,
            // S3 refuses a policy naming a role that does not exist yet: the policy names the inbound roles,
            // so it waits for them.
            policy: (arn) =>
                pulumi.all([arn, identity.accountId, identity.partition, foreign, owner, own]).apply(([bucketArn, accountId, partition, roles, ownerAccountId, statements]) =>
                    JSON.stringify(
                        iam.withOwnStatements(
                            iam.replicatedBucketPolicy(
                                bucketArn,
                                roles.filter(([account]) => account !== accountId).map(([, roleArn]) => roleArn),
                                // Only a bucket of another account than the access point's needs to let it in.
                                ownerAccountId !== undefined && ownerAccountId !== accountId ? { partition, ownerAccountId } : undefined,
                            ),
                            statements,
                        ),
                    ),
                ),
            existing: ctx.side.existingBucket !== undefined,
        },
        // Option `protectData`: the bucket and its configuration resources, all of them (see CrrPairOptions).
        { ...ctx.opts, ...(topology.protectData ? { protect: true } : {}), ...retain },
    );

    // The logging bucket stays SSE-S3 in every mode: S3 server access logging accepts only SSE-S3 on its
    // target bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html);
    // in SSE-KMS mode the trail encrypts its own log files with the side's key (the trail's kmsKeyId).
    const accessLogging = topology.accessLogging;
    const batchRole = topology.batchReplication ? createBatchReplicationRole(ctx) : undefined;
    const batchGrant = batchRole ? pulumi.all([batchRole.arn, names.batchReplicationPrefix]) : pulumi.output(undefined);
    const logging = hardenedBucket(
        ctx.childName("logging-bucket"),
        {
            bucketName: names.loggingBucket,
            region,
            encryption: { algorithm: "AES256" },
            forceDestroy,
            tags: ctx.tags,
            policy: (arn) =>
                pulumi
                    .all([arn, identity.accountId, ctx.expected.trailArn, replicated.bucket.arn, names.accessLogPrefix, batchGrant])
                    .apply(([bucketArn, accountId, trailArn, sourceBucketArn, prefix, batch]) =>
                        JSON.stringify(
                            iam.loggingBucketPolicy({
                                bucketArn,
                                accountId,
                                trailArn,
                                ...(accessLogging ? { accessLogs: { prefix, sourceBucketArn } } : {}),
                                ...(batch ? { batchReplication: { roleArn: batch[0], prefix: batch[1] } } : {}),
                            }),
                        ),
                    ),
        },
        { ...ctx.opts, ...retain },
    );
    // Ordered after versioning: the noncurrent-version rule acts on a versioned bucket. The rule's empty
    // filter covers every prefix: CloudTrail's `AWSLogs/` and the access logs' `s3-access-logs/`.
    const loggingLifecycle = new aws.s3.BucketLifecycleConfiguration(
        ctx.childName("logging-bucket-lifecycle"),
        {
            bucket: logging.bucket.id,
            region,
            rules: [
                {
                    id: "expire-log-files",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: ctx.side.logFileExpirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: topology.logNoncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...ctx.opts, dependsOn: [logging.versioning] },
    );
    // After the logging bucket's policy: with ACLs disabled its grant is the only way S3 may deliver.
    const access = accessLogging
        ? new aws.s3.BucketLogging(
              ctx.childName("bucket-access-logging"),
              {
                  bucket: replicated.bucket.id,
                  region,
                  targetBucket: logging.bucket.id,
                  targetPrefix: names.accessLogPrefix,
                  // Date-partitioned keys (`<prefix><account>/<region>/<bucket>/<yyyy>/<mm>/<dd>/...`), which
                  // Athena and lifecycle prefixes can select by day.
                  targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
              },
              { ...ctx.opts, dependsOn: [logging.policy] },
          )
        : undefined;
    const batchReplication = batchRole
        ? { role: batchRole, policy: createBatchReplicationPolicy(ctx, batchRole, replicated.bucket.arn, logging.bucket.arn) }
        : undefined;
    return { replicated, logging, loggingLifecycle, ...(access ? { accessLogging: access } : {}), ...(batchReplication ? { batchReplication } : {}) };
}
