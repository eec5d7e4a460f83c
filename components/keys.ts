import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { SideContext } from "./context";
import * as iam from "./iam";

/** A side's customer managed key (SSE-KMS mode only). */
export interface SideKey {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
}

/**
 * Registers the side's customer managed key and its alias in SSE-KMS mode; nothing otherwise. The key
 * encrypts the replicated bucket (and the replicas written into it), the trail's log files and the trail's
 * log group. Its policy ({@link iam.sideKeyPolicy}) is part of the key itself, so everything that takes
 * the key's ARN is created after the policy is in place.
 */
export function createSideKey(ctx: SideContext): SideKey | undefined {
    if (ctx.pair.encryption !== "aws:kms") {
        return undefined;
    }
    const { region, names, identity } = ctx;
    const policy = pulumi
        .all([identity.partition, identity.accountId, identity.dnsSuffix, ctx.expected.logGroupArn, ctx.expected.trailArn])
        .apply(([partition, accountId, dnsSuffix, logGroupArn, trailArn]) =>
            JSON.stringify(iam.sideKeyPolicy({ partition, accountId, region, dnsSuffix, logGroupArn, trailArn })),
        );
    const key = new aws.kms.Key(
        ctx.childName("kms-key"),
        {
            region,
            description: `Encrypts ${names.bucket}, the replicas written into it, and the trail ${names.trail} and its log group`,
            enableKeyRotation: true,
            deletionWindowInDays: ctx.pair.kmsKeyDeletionWindowInDays,
            policy,
            tags: ctx.tags,
        },
        ctx.opts,
    );
    const alias = new aws.kms.Alias(ctx.childName("kms-alias"), { region, name: names.kmsAlias, targetKeyId: key.keyId }, ctx.opts);
    return { key, alias };
}
