import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { HardenedBucket, hardenedBucket } from "./bucket";
import { SideContext } from "./context";
import * as iam from "./iam";
import { SideKey } from "./keys";

/** A side's buckets: the replicated one and the one its logs go to. */
export interface SideStorage {
    readonly replicated: HardenedBucket;
    readonly logging: HardenedBucket;
    readonly loggingLifecycle: aws.s3.BucketLifecycleConfiguration;
}

/**
 * Registers the side's replicated bucket and its logging bucket. The logging bucket's policy names the
 * trail that may write into it (`expectedTrailArn`: known before the trail exists, because CloudTrail
 * checks that policy when the trail is created).
 */
export function createStorage(ctx: SideContext, key: SideKey | undefined, expectedTrailArn: pulumi.Output<string>): SideStorage {
    const { region, names, pair, identity } = ctx;
    const replicated = hardenedBucket(
        ctx.childName("bucket"),
        {
            bucketName: names.bucket,
            region,
            encryption: key ? { algorithm: "aws:kms", keyArn: key.key.arn } : { algorithm: "AES256" },
            forceDestroy: pair.forceDestroy,
            tags: ctx.tags,
            policy: (arn) => arn.apply((a) => JSON.stringify(iam.replicatedBucketPolicy(a))),
        },
        ctx.opts,
    );

    // CloudTrail log files stay SSE-S3: an SSE-KMS logging bucket would need a key policy for CloudTrail.
    const logging = hardenedBucket(
        ctx.childName("logging-bucket"),
        {
            bucketName: names.loggingBucket,
            region,
            encryption: { algorithm: "AES256" },
            forceDestroy: pair.forceDestroy,
            tags: ctx.tags,
            policy: (arn) =>
                pulumi
                    .all([arn, identity.accountId, expectedTrailArn])
                    .apply(([bucketArn, accountId, trailArn]) => JSON.stringify(iam.loggingBucketPolicy({ bucketArn, accountId, trailArn }))),
        },
        ctx.opts,
    );
    // Ordered after versioning: the noncurrent-version rule acts on a versioned bucket.
    const loggingLifecycle = new aws.s3.BucketLifecycleConfiguration(
        ctx.childName("logging-bucket-lifecycle"),
        {
            bucket: logging.bucket.id,
            region,
            rules: [
                {
                    id: "expire-cloudtrail-log-files",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: ctx.side.logFileExpirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: pair.logNoncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        { ...ctx.opts, dependsOn: [logging.versioning] },
    );
    return { replicated, logging, loggingLifecycle };
}
