/**
 * Reads an existing bucket's configuration with the S3 API: every Get that the adopt decision needs, each
 * "not configured" answer (its documented error code) taken as "none". Read-only: no call here writes.
 */
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
    Grant,
    LifecycleRule,
    ListBucketAnalyticsConfigurationsCommand,
    ListBucketInventoryConfigurationsCommand,
    NotificationConfiguration,
    PublicAccessBlockConfiguration,
    ReplicationConfiguration,
    S3Client,
    Tag,
} from "@aws-sdk/client-s3";
import { regionOfLocation } from "./convert";

/** What the bucket has, as the S3 API answered (absent: not configured). */
export interface BucketState {
    readonly bucket: string;
    readonly region: string;
    /** "Enabled", "Suspended", or absent (never versioned). */
    readonly versioning?: string;
    readonly encryption?: { readonly algorithm: string; readonly kmsKeyId?: string; readonly bucketKeyEnabled?: boolean };
    readonly objectLockEnabled: boolean;
    /** BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter; absent when the bucket has no ownership controls (ObjectWriter). */
    readonly objectOwnership?: string;
    /** The bucket ACL's grants to anyone but the bucket owner. */
    readonly foreignGrants: readonly Grant[];
    readonly publicAccessBlock?: PublicAccessBlockConfiguration;
    readonly policy?: string;
    readonly lifecycleRules: readonly LifecycleRule[];
    /** The lifecycle configuration's TransitionDefaultMinimumObjectSize, when it has one. */
    readonly lifecycleTransitionMinimumSize?: string;
    readonly notifications: NotificationConfiguration;
    readonly replication?: ReplicationConfiguration;
    readonly logging?: { readonly targetBucket: string; readonly targetPrefix: string };
    readonly tags: readonly Tag[];
    readonly cors: boolean;
    readonly website: boolean;
    readonly inventoryConfigurations: number;
    readonly analyticsConfigurations: number;
}

/** Runs `get`, and answers `none` when S3 says the configuration does not exist (one of `absent`, by error name). */
async function orNone<T, N>(get: () => Promise<T>, absent: readonly string[], none: N): Promise<T | N> {
    try {
        return await get();
    } catch (e) {
        if (e instanceof Error && absent.includes(e.name)) {
            return none;
        }
        throw e;
    }
}

/** The bucket's region: `region` when given, else GetBucketLocation's answer (asked in us-east-1, which answers for any bucket). */
export async function bucketRegion(s3: (region: string) => S3Client, bucket: string, region?: string): Promise<string> {
    if (region !== undefined) {
        return region;
    }
    const r = await s3("us-east-1").send(new GetBucketLocationCommand({ Bucket: bucket }));
    return regionOfLocation(r.LocationConstraint as string | null | undefined);
}

/** Reads every configuration the adopt decision looks at, in the bucket's region. */
export async function readBucket(s3: (region: string) => S3Client, bucket: string, region?: string): Promise<BucketState> {
    const where = await bucketRegion(s3, bucket, region);
    const c = s3(where);
    const Bucket = bucket;
    const [versioning, encryption, lock, ownership, acl, pab, policy, lifecycle, notifications, replication, logging, tags, cors, website, inventory, analytics] =
        await Promise.all([
            c.send(new GetBucketVersioningCommand({ Bucket })),
            orNone(() => c.send(new GetBucketEncryptionCommand({ Bucket })), ["ServerSideEncryptionConfigurationNotFoundError"], undefined),
            orNone(() => c.send(new GetObjectLockConfigurationCommand({ Bucket })), ["ObjectLockConfigurationNotFoundError"], undefined),
            orNone(() => c.send(new GetBucketOwnershipControlsCommand({ Bucket })), ["OwnershipControlsNotFoundError"], undefined),
            c.send(new GetBucketAclCommand({ Bucket })),
            orNone(() => c.send(new GetPublicAccessBlockCommand({ Bucket })), ["NoSuchPublicAccessBlockConfiguration"], undefined),
            orNone(() => c.send(new GetBucketPolicyCommand({ Bucket })), ["NoSuchBucketPolicy"], undefined),
            orNone(() => c.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), ["NoSuchLifecycleConfiguration"], undefined),
            c.send(new GetBucketNotificationConfigurationCommand({ Bucket })),
            orNone(() => c.send(new GetBucketReplicationCommand({ Bucket })), ["ReplicationConfigurationNotFoundError"], undefined),
            c.send(new GetBucketLoggingCommand({ Bucket })),
            orNone(() => c.send(new GetBucketTaggingCommand({ Bucket })), ["NoSuchTagSet"], undefined),
            orNone(() => c.send(new GetBucketCorsCommand({ Bucket })), ["NoSuchCORSConfiguration"], undefined),
            orNone(() => c.send(new GetBucketWebsiteCommand({ Bucket })), ["NoSuchWebsiteConfiguration"], undefined),
            c.send(new ListBucketInventoryConfigurationsCommand({ Bucket })),
            c.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket })),
        ]);
    const byDefault = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
    const ownerId = acl.Owner?.ID;
    // The configuration without the response's metadata.
    const notificationConfig: NotificationConfiguration = {
        ...(notifications.TopicConfigurations ? { TopicConfigurations: notifications.TopicConfigurations } : {}),
        ...(notifications.QueueConfigurations ? { QueueConfigurations: notifications.QueueConfigurations } : {}),
        ...(notifications.LambdaFunctionConfigurations ? { LambdaFunctionConfigurations: notifications.LambdaFunctionConfigurations } : {}),
        ...(notifications.EventBridgeConfiguration ? { EventBridgeConfiguration: notifications.EventBridgeConfiguration } : {}),
    };
    return {
        bucket,
        region: where,
        ...(versioning.Status ? { versioning: versioning.Status } : {}),
        ...(byDefault?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm
            ? {
                  encryption: {
                      algorithm: byDefault.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
                      ...(byDefault.ApplyServerSideEncryptionByDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.ApplyServerSideEncryptionByDefault.KMSMasterKeyID } : {}),
                      ...(byDefault.BucketKeyEnabled !== undefined ? { bucketKeyEnabled: byDefault.BucketKeyEnabled } : {}),
                  },
              }
            : {}),
        objectLockEnabled: lock?.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled",
        ...(ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ? { objectOwnership: ownership.OwnershipControls.Rules[0].ObjectOwnership } : {}),
        foreignGrants: (acl.Grants ?? []).filter((g) => !(g.Grantee?.Type === "CanonicalUser" && g.Grantee.ID === ownerId)),
        ...(pab?.PublicAccessBlockConfiguration ? { publicAccessBlock: pab.PublicAccessBlockConfiguration } : {}),
        ...(policy?.Policy ? { policy: policy.Policy } : {}),
        lifecycleRules: lifecycle?.Rules ?? [],
        ...(lifecycle?.TransitionDefaultMinimumObjectSize ? { lifecycleTransitionMinimumSize: lifecycle.TransitionDefaultMinimumObjectSize } : {}),
        notifications: notificationConfig,
        ...(replication?.ReplicationConfiguration ? { replication: replication.ReplicationConfiguration } : {}),
        ...(logging.LoggingEnabled?.TargetBucket
            ? { logging: { targetBucket: logging.LoggingEnabled.TargetBucket, targetPrefix: logging.LoggingEnabled.TargetPrefix ?? "" } }
            : {}),
        tags: tags?.TagSet ?? [],
        cors: (cors?.CORSRules?.length ?? 0) > 0,
        website: website !== undefined,
        inventoryConfigurations: inventory.InventoryConfigurationList?.length ?? 0,
        analyticsConfigurations: analytics.AnalyticsConfigurationList?.length ?? 0,
    };
}
