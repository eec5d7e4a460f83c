import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import * as iam from "../documents/iam";
import { InboundReplication, SideContext } from "./context";

/** A side's customer managed key (SSE-KMS mode only). */
export interface SideKey {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
}

/**
 * Registers the side's customer managed key and its alias in SSE-KMS mode; nothing otherwise. The key
 * encrypts the replicated bucket (and the replicas written into it), the trail's log files and the trail's
 * log group. Its policy ({@link iam.sideKeyPolicy}) is part of the key itself, so everything that takes
 * the key's ARN is created after the policy is in place. Replication roles of other accounts that write
 * into this side get their own statement (a cross-account key use needs both the role's IAM policy and
 * the key policy); the policy then names those roles, so the key waits for them.
 */
export function createSideKey(ctx: SideContext, inbound: readonly InboundReplication[]): SideKey | undefined {
    if (ctx.topology.encryption !== "aws:kms") {
        return undefined;
    }
    const { region, names, identity } = ctx;
    // An adopted bucket (`existingBucket`) outlives the stack, and so must the key its objects written meanwhile
    // are encrypted with: destroy leaves the key (and its alias) in AWS, out of the stack.
    const retain: pulumi.CustomResourceOptions =
        ctx.side.onRemoval === "retain" || ctx.side.existingBucket !== undefined ? { retainOnDelete: true } : {};
    const foreign = pulumi.all(inbound.map((i) => pulumi.all([i.accountId, i.role.arn])));
    const policy = pulumi
        .all([identity.partition, identity.accountId, identity.dnsSuffix, region, ctx.expected.logGroupArn, ctx.expected.trailArn, names.bucket, foreign])
        .apply(([partition, accountId, dnsSuffix, r, logGroupArn, trailArn, bucket, roles]) =>
            JSON.stringify(
                iam.sideKeyPolicy({
                    partition,
                    accountId,
                    region: r,
                    dnsSuffix,
                    logGroupArn,
                    trailArn,
                    bucketArn: iam.bucketArn(partition, bucket),
                    foreignReplicationRoleArns: roles.filter(([account]) => account !== accountId).map(([, arn]) => arn),
                }),
            ),
        );
    const key = new aws.kms.Key(
        ctx.childName("kms-key"),
        {
            region,
            description: pulumi.interpolate`Encrypts ${names.bucket}, the replicas written into it, and the trail ${names.trail} and its log group`,
            enableKeyRotation: true,
            deletionWindowInDays: ctx.topology.kmsKeyDeletionWindowInDays,
            policy,
            tags: ctx.tags,
        },
        // Option `protectData`: a deleted key makes every object encrypted with it unreadable.
        // A mesh side leaving with its data retained keeps its key: the retained bucket's objects need it.
        { ...ctx.opts, ...(ctx.topology.protectData ? { protect: true } : {}), ...retain },
    );
    const alias = new aws.kms.Alias(ctx.childName("kms-alias"), { region, name: names.kmsAlias, targetKeyId: key.keyId }, { ...ctx.opts, ...retain });
    return { key, alias };
}
