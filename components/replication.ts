import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { ResolvedPair, ResolvedSide } from "./validation";

/**
 * Which side replicates to which: every side to every other side. For the pair that is the lab's two
 * rules ("east to west" and "west to east"); for N regions it is a full mesh with one
 * `BucketReplicationConfig` per source bucket (S3 allows only one per bucket) and one rule per
 * destination.
 */
export interface ReplicationRoute {
    readonly source: ResolvedSide;
    readonly destinations: readonly ResolvedSide[];
}

export function replicationRoutes(sides: readonly ResolvedSide[]): ReplicationRoute[] {
    return sides.map((source) => ({ source, destinations: sides.filter((d) => d !== source) }));
}

/** S3 Replication Time Control accepts 15 minutes and nothing else, for the SLA and for metrics. */
export const RTC_MINUTES = 15;

/** What a rule needs to know about its destination once the destination's resources exist. */
export interface RuleDestinationRefs {
    readonly side: ResolvedSide;
    readonly bucketArn: pulumi.Input<string>;
    /** The destination's key, required in SSE-KMS mode (the replica key must be in its region). */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/** `us-east-2-to-us-west-2`: the lab's "east to west", unambiguous for any number of sides. */
export function ruleId(source: ResolvedSide, destination: ResolvedSide): string {
    return `${source.region}-to-${destination.region}`;
}

/**
 * One replication rule, for the whole bucket. Every field S3 has a default for is stated, because the
 * provider shows false diffs otherwise (terraform-provider-aws issues on `filter` and
 * `deleteMarkerReplication`), and `existingObjectReplication` is never set (S3 answers MalformedXML).
 */
export function replicationRule(
    pair: ResolvedPair,
    source: ResolvedSide,
    destination: RuleDestinationRefs,
    priority: number,
): aws.types.input.s3.BucketReplicationConfigRule {
    const kms = pair.encryption === "aws:kms";
    if (kms && destination.kmsKeyArn === undefined) {
        throw new Error(`replicationRule: SSE-KMS mode needs a replica key in ${destination.side.region}`);
    }
    const sourceSelectionCriteria: aws.types.input.s3.BucketReplicationConfigRuleSourceSelectionCriteria = {
        replicaModifications: { status: pair.replicaModificationSync ? "Enabled" : "Disabled" },
    };
    const target: aws.types.input.s3.BucketReplicationConfigRuleDestination = {
        bucket: destination.bucketArn,
        storageClass: destination.side.replicaStorageClass,
    };
    if (kms) {
        sourceSelectionCriteria.sseKmsEncryptedObjects = { status: "Enabled" };
        target.encryptionConfiguration = { replicaKmsKeyId: destination.kmsKeyArn! };
    }
    if (pair.replicationTimeControl) {
        target.replicationTime = { status: "Enabled", time: { minutes: RTC_MINUTES } };
        target.metrics = { status: "Enabled", eventThreshold: { minutes: RTC_MINUTES } };
    }
    return {
        id: ruleId(source, destination.side),
        priority,
        status: "Enabled",
        // The whole bucket: an empty filter, not `{ prefix: "" }`, which the provider reports as a diff forever.
        filter: {},
        // Explicit even when disabled: the filter-based rule schema requires it, and the DR default is off.
        deleteMarkerReplication: { status: pair.deleteMarkerReplication ? "Enabled" : "Disabled" },
        sourceSelectionCriteria,
        destination: target,
    };
}

/** The resources that replicate out of one side's bucket. */
export interface OutboundReplication {
    readonly route: ReplicationRoute;
    readonly role: aws.iam.Role;
    readonly rolePolicy: aws.iam.RolePolicy;
    readonly config: aws.s3.BucketReplicationConfig;
}

/** Throws when the sides resolve to different accounts: this component builds same-account replication. */
export function sameAccount(accounts: readonly string[]): string {
    const distinct = [...new Set(accounts)];
    if (distinct.length !== 1) {
        throw new Error(
            `CrrPair: the sides' providers resolve to different AWS accounts (${distinct.join(", ")}); ` +
                "cross-account replication is not supported, give every side a provider for the same account",
        );
    }
    return distinct[0];
}
