import * as aws from "../model/aws";
import { versionLifecycleRule } from "../documents/lifecycle";
import { SideResources } from "./side";

/**
 * Registers the lifecycle configuration of `side`'s replicated bucket, ordered after the bucket's
 * replication configuration (`outbound.config`, registered a layer up, in topology/wiring.ts): S3 fails one
 * of the two when both are put on a bucket at the same time (REFERENCE §2; terraform-provider-aws advises
 * the same order). Replicas written into the bucket follow this lifecycle, not their source's. Returns
 * undefined when the option is off and the side carries no rules of its own.
 */
export function createVersionLifecycle(
    side: SideResources,
    outbound: { readonly config: aws.s3.BucketReplicationConfig },
): aws.s3.BucketLifecycleConfiguration | undefined {
    const ctx = side.context;
    const settings = ctx.topology.versionLifecycle;
    // The bucket's own rules (an adopted bucket's `lifecycleRules`) after the component's: a bucket has one
    // lifecycle configuration, and this resource replaces whatever the bucket had.
    const rules = [...(settings === false ? [] : [versionLifecycleRule(settings)]), ...ctx.side.lifecycleRules];
    if (rules.length === 0) {
        return undefined;
    }
    return new aws.s3.BucketLifecycleConfiguration(
        ctx.childName("bucket-lifecycle"),
        { bucket: side.replicated.bucket.id, region: ctx.region, rules },
        { ...ctx.opts, dependsOn: [outbound.config] },
    );
}
