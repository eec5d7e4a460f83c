import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import * as iam from "../documents/iam";
import { SideContext } from "./context";

/** The role S3 Batch Operations assumes for the side's Batch Replication jobs (option `batchReplication`). */
export interface SideBatchReplication {
    readonly role: aws.iam.Role;
    readonly policy: aws.iam.RolePolicy;
}

/**
 * Registers the side's Batch Replication role (`<name>-<side>-batch-replication-role`, physical name
 * `<prefix>-s3batch-<region>`), trusted by S3 Batch Operations only. Registered before the logging bucket:
 * that bucket's policy names the role, and S3 refuses a policy naming a role that does not exist yet.
 */
export function createBatchReplicationRole(ctx: SideContext): aws.iam.Role {
    return new aws.iam.Role(
        ctx.childName("batch-replication-role"),
        {
            name: ctx.names.batchReplicationRole,
            description: pulumi.interpolate`S3 Batch Replication of ${ctx.names.bucket} (existing and failed objects); reports in ${ctx.names.loggingBucket}/${ctx.names.batchReplicationPrefix}`,
            assumeRolePolicy: JSON.stringify(iam.batchReplicationTrustPolicy()),
            tags: ctx.tags,
            ...ctx.roleBoundary,
        },
        ctx.opts,
    );
}

/** Registers the role's policy over the side's replicated bucket and its logging bucket's report prefix. */
export function createBatchReplicationPolicy(
    ctx: SideContext,
    role: aws.iam.Role,
    sourceBucketArn: pulumi.Output<string>,
    loggingBucketArn: pulumi.Output<string>,
): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        ctx.childName("batch-replication-role-policy"),
        {
            role: role.id,
            policy: pulumi
                .all([sourceBucketArn, loggingBucketArn, ctx.names.batchReplicationPrefix])
                .apply(([source, logging, prefix]) => JSON.stringify(iam.batchReplicationRolePolicy({ sourceBucketArn: source, loggingBucketArn: logging, prefix }))),
        },
        ctx.opts,
    );
}
