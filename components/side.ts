import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { createAudit, SideAudit } from "./audit";
import { SideContext, sideContext, SideIdentity } from "./context";
import { createSideKey } from "./keys";
import { SideNames } from "./naming";
import { createStorage, SideStorage } from "./storage";
import { ResolvedPair, ResolvedSide } from "./validation";

export type { SideIdentity } from "./context";

/** Everything one region of the pair holds, before replication is wired between regions. */
export interface SideResources extends SideStorage, SideAudit {
    readonly side: ResolvedSide;
    readonly names: SideNames;
    readonly identity: SideIdentity;
    readonly context: SideContext;
    readonly kmsKey?: aws.kms.Key;
    readonly kmsAlias?: aws.kms.Alias;
}

/**
 * Registers one region of the pair from its builders by concern (keys, storage, audit), every child with
 * the side's provider and (for regional resources) the side's region set explicitly. Child names start
 * with `<pairName>-<side key>-`.
 */
export function createSide(parent: pulumi.Resource, pairName: string, pair: ResolvedPair, side: ResolvedSide): SideResources {
    const ctx = sideContext(parent, pairName, pair, side);
    const key = createSideKey(ctx);
    const storage = createStorage(ctx, key);
    const audit = createAudit(ctx, storage, key);
    return {
        side,
        names: ctx.names,
        identity: ctx.identity,
        context: ctx,
        kmsKey: key?.key,
        kmsAlias: key?.alias,
        ...storage,
        ...audit,
    };
}
