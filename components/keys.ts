import * as aws from "./aws";
import { SideContext } from "./context";

/** A side's customer managed key (SSE-KMS mode only). */
export interface SideKey {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
}

/** Registers the side's customer managed key and its alias in SSE-KMS mode; nothing otherwise. */
export function createSideKey(ctx: SideContext): SideKey | undefined {
    if (ctx.pair.encryption !== "aws:kms") {
        return undefined;
    }
    const { region, names } = ctx;
    const key = new aws.kms.Key(
        ctx.childName("kms-key"),
        {
            region,
            description: `Default encryption of ${names.bucket} and of the replicas written into it`,
            enableKeyRotation: true,
            deletionWindowInDays: ctx.pair.kmsKeyDeletionWindowInDays,
            tags: ctx.tags,
        },
        ctx.opts,
    );
    const alias = new aws.kms.Alias(ctx.childName("kms-alias"), { region, name: names.kmsAlias, targetKeyId: key.keyId }, ctx.opts);
    return { key, alias };
}
