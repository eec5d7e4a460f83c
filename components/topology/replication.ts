import * as aws from "../model/aws";
import { ResolvedOptions } from "../model/options";
import { ReplicaStorageClass } from "../model/values";

/**
 * Which side replicates to which: every side to every other side. For the pair that is the lab's two
 * rules ("east to west" and "west to east"); for N regions it is a full mesh with one
 * `BucketReplicationConfig` per source bucket (S3 allows only one per bucket) and one rule per
 * destination.
 */
export interface ReplicationRoute<T> {
    readonly source: T;
    readonly destinations: readonly T[];
}

export function replicationRoutes<T>(sides: readonly T[]): ReplicationRoute<T>[] {
    return sides.map((source) => ({ source, destinations: sides.filter((d) => d !== source) }));
}

/** S3 Replication Time Control accepts 15 minutes and nothing else, for the SLA and for metrics. */
export const RTC_MINUTES = 15;

/** What a rule needs to know about its destination, resolved to plain values. */
export interface RuleDestination {
    readonly region: string;
    readonly bucketArn: string;
    readonly storageClass: ReplicaStorageClass;
    /** The destination's key, required in SSE-KMS mode (the replica key must be in its region). */
    readonly kmsKeyArn?: string;
    /** The destination bucket's account, set only when it is not the source's (cross-account). */
    readonly account?: string;
}

/** `us-east-2-to-us-west-2`: the lab's "east to west", unambiguous for any number of sides. */
export function ruleId(sourceRegion: string, destinationRegion: string): string {
    return `${sourceRegion}-to-${destinationRegion}`;
}

type RuleOptions = Pick<ResolvedOptions, "encryption" | "replicaModificationSync" | "replicationTimeControl" | "deleteMarkerReplication"> &
    Partial<Pick<ResolvedOptions, "replicationMetrics">>;

/**
 * One replication rule, for the whole bucket. Every field S3 has a default for is stated, because the
 * provider shows false diffs otherwise (terraform-provider-aws issues on `filter` and
 * `deleteMarkerReplication`), and `existingObjectReplication` is never set (S3 answers MalformedXML).
 * Cross-account, the destination names its `account`; no `accessControlTranslation`: every bucket here is
 * BucketOwnerEnforced, so replicas belong to the destination's owner without an owner override.
 */
export function replicationRule(
    options: RuleOptions,
    sourceRegion: string,
    destination: RuleDestination,
    priority: number,
): aws.types.input.s3.BucketReplicationConfigRule {
    const kms = options.encryption === "aws:kms";
    if (kms && destination.kmsKeyArn === undefined) {
        throw new Error(`replicationRule: SSE-KMS mode needs a replica key in ${destination.region}`);
    }
    const sourceSelectionCriteria: aws.types.input.s3.BucketReplicationConfigRuleSourceSelectionCriteria = {
        replicaModifications: { status: options.replicaModificationSync ? "Enabled" : "Disabled" },
    };
    const target: aws.types.input.s3.BucketReplicationConfigRuleDestination = {
        bucket: destination.bucketArn,
        storageClass: destination.storageClass,
    };
    if (destination.account !== undefined) {
        target.account = destination.account;
    }
    if (kms) {
        sourceSelectionCriteria.sseKmsEncryptedObjects = { status: "Enabled" };
        target.encryptionConfiguration = { replicaKmsKeyId: destination.kmsKeyArn! };
    }
    if (options.replicationTimeControl) {
        target.replicationTime = { status: "Enabled", time: { minutes: RTC_MINUTES } };
        target.metrics = { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } };
    } else if (options.replicationMetrics) {
        // Metrics without RTC: valid with no event threshold, and only so (S3 rejects a threshold without RTC).
        target.metrics = { status: "Enabled" };
    }
    return {
        id: ruleId(sourceRegion, destination.region),
        priority,
        status: "Enabled",
        // The whole bucket: an empty filter, not `{ prefix: "" }`, which the provider reports as a diff forever.
        filter: {},
        // Explicit even when disabled: the filter-based rule schema requires it, and the DR default is off.
        deleteMarkerReplication: { status: options.deleteMarkerReplication ? "Enabled" : "Disabled" },
        sourceSelectionCriteria,
        destination: target,
    };
}
