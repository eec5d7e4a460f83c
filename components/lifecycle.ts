import * as aws from "./model/aws";
import { SideResources } from "./side";
import { VersionLifecycleSettings } from "./model/types";
import { OutboundReplication } from "./wiring";

type Settings = { readonly [F in keyof VersionLifecycleSettings]-?: NonNullable<VersionLifecycleSettings[F]> };

/**
 * The one rule of a replicated bucket's lifecycle configuration (option `versionLifecycle`). Pure, for
 * testing. The empty filter covers every key. `expiredObjectDeleteMarker` removes a delete marker once the
 * noncurrent versions behind it have expired (it may not share a rule with `expiration.days`, which this rule
 * does not set: current versions never expire here).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
 */
export function versionLifecycleRule(settings: Settings) {
    return {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
        expiration: { expiredObjectDeleteMarker: true },
        abortIncompleteMultipartUpload: { daysAfterInitiation: settings.abortIncompleteMultipartUploadDays },
    };
}

/**
 * Registers the lifecycle configuration of `side`'s replicated bucket, ordered after the bucket's
 * replication configuration (`outbound.config`): S3 fails one of the two when both are put on a bucket at
 * the same time (REFERENCE §2; terraform-provider-aws advises the same order). Replicas written into the
 * bucket follow this lifecycle, not their source's. Returns undefined when the option is off.
 */
export function createVersionLifecycle(side: SideResources, outbound: OutboundReplication): aws.s3.BucketLifecycleConfiguration | undefined {
    const ctx = side.context;
    const settings = ctx.topology.versionLifecycle;
    if (settings === false) {
        return undefined;
    }
    return new aws.s3.BucketLifecycleConfiguration(
        ctx.childName("bucket-lifecycle"),
        { bucket: side.replicated.bucket.id, region: ctx.region, rules: [versionLifecycleRule(settings)] },
        { ...ctx.opts, dependsOn: [outbound.config] },
    );
}
